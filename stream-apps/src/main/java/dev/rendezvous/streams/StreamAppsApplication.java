package dev.rendezvous.streams;

import dev.rendezvous.topics.TopicProvisioner;
import java.util.Arrays;
import java.util.Locale;
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
        // Kafka Streams 4.4 builds log text with String.format ("%d") at every check of a task's empty partitions,
        // whatever the log level. In a default format locale other than en_US (LANG=C.UTF-8 gives "en") every such
        // "%d" makes a new DecimalFormatSymbols: ~10 % of this app's allocation at 3,000 chat msg/s
        // (docs/benchmarks.md). en_US formats digits without it. Only String.format's numbers are affected; nothing
        // this app shows people goes through it.
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
        SpringApplication.run(StreamAppsApplication.class, args);
    }
}
