package dev.rendezvous.forwarder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the media-forwarder deployable; everything is wired in {@link dev.rendezvous.forwarder.config}. */
@SpringBootApplication
public class MediaForwarderApplication {

    public static void main(String[] args) {
        SpringApplication.run(MediaForwarderApplication.class, args);
    }
}
