package dev.rendezvous.recorder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the recorder deployable; everything is wired in {@link dev.rendezvous.recorder.config}. */
@SpringBootApplication
public class RecorderApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecorderApplication.class, args);
    }
}
