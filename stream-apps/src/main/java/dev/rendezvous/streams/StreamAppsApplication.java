package dev.rendezvous.streams;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the stream-apps deployable; everything is wired in {@link dev.rendezvous.streams.config}. */
@SpringBootApplication
public class StreamAppsApplication {

    public static void main(String[] args) {
        SpringApplication.run(StreamAppsApplication.class, args);
    }
}
