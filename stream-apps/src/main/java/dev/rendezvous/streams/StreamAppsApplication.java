package dev.rendezvous.streams;

import dev.rendezvous.topics.TopicProvisioner;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the stream-apps deployable; everything is wired in {@link dev.rendezvous.streams.config}. */
@SpringBootApplication
public class StreamAppsApplication {

    /**
     * With {@code --rendezvous.provision-only=true} (the Helm chart's topic Job) it only creates or updates the
     * catalogue's topics and exits, without starting Spring, Kafka Streams or PostgreSQL.
     */
    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--rendezvous.provision-only=true")) {
            System.exit(TopicProvisioner.runCommand(args, System.getenv()));
        }
        SpringApplication.run(StreamAppsApplication.class, args);
    }
}
