package dev.rendezvous.forwarder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.forwarder.drain.DrainedExit;
import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.MediaSignal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Draining through the admin call, with a real broker and the real command path: the forwarder holds a room, POST
 * /actuator/drain makes its metrics on Kafka say draining (placement's cue to move the room), and once the room is
 * closed (CLOSE_ROOM, as stream-apps sends when it moved it) the drain is over and the process would exit.
 */
class ForwarderDrainIT {

    private static final String ID = "fwd-drain-it";
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-00000000d001";

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ConfigurableApplicationContext app;
    private static String managementUrl;
    private static final AtomicBoolean exited = new AtomicBoolean();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        DrainedExit exit = () -> exited.set(true);
        app = new SpringApplicationBuilder(MediaForwarderApplication.class)
                .main(MediaForwarderApplication.class)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("testDrainedExit",
                        DrainedExit.class, () -> exit, bd -> bd.setPrimary(true)))
                .run("--server.port=0", "--management.server.port=0",
                        "--rendezvous.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--rendezvous.forwarder.id=" + ID, "--rendezvous.forwarder.udp-port=0");
        managementUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port");
        await("ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> send("GET", "/actuator/health/readiness").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldAnnounceDrainingAndEndTheDrainWhenItsLastRoomIsClosed() throws Exception {
        MediaEngine engine = app.getBean(MediaEngine.class);
        try (KafkaProducer<String, byte[]> producer = producer(); KafkaConsumer<String, byte[]> metrics = metricsFromNow()) {
            command(producer, ForwarderCommand.Kind.SUBSCRIBE, "s-1", MediaSignal.subscribe(null));
            await("the room is open").atMost(Duration.ofSeconds(30)).until(() -> engine.roomCount() == 1);
            assertThat(latestMetrics(metrics, Duration.ofSeconds(5)).isDraining()).isFalse();

            HttpResponse<String> begun = send("POST", "/actuator/drain");
            assertThat(begun.statusCode()).isEqualTo(200);
            assertThat(begun.body()).contains("\"draining\":true");
            await("the metrics on Kafka say draining").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        ForwarderMetrics m = latestMetrics(metrics, Duration.ofMillis(200));
                        return m != null && m.isDraining();
                    });
            assertThat(exited).as("a room is still here").isFalse();
            assertThat(send("GET", "/actuator/drain").body()).contains("\"draining\":true").doesNotContain("outcome");

            // stream-apps moved the room away: CLOSE_ROOM to this forwarder
            command(producer, ForwarderCommand.Kind.CLOSE_ROOM, null, null);
            await("the drain over, the process would exit").atMost(Duration.ofSeconds(10)).untilTrue(exited);
            assertThat(engine.roomCount()).isZero();
            assertThat(send("GET", "/actuator/drain").body()).contains("\"outcome\":\"EMPTY\"");
        }
    }

    private static void command(KafkaProducer<String, byte[]> producer, ForwarderCommand.Kind kind, String socket,
                                MediaSignal signal) throws Exception {
        ForwarderCommand c = new ForwarderCommand(ID, MEETING, socket, socket == null ? null : "p-" + socket, kind, signal,
                Instant.now());
        producer.send(new ProducerRecord<>(Topics.FORWARDER_COMMANDS.name(), ID,
                Topics.FORWARDER_COMMANDS.valueSerde().serializer().serialize(Topics.FORWARDER_COMMANDS.name(), c)))
                .get(10, TimeUnit.SECONDS);
    }

    /** The newest of this forwarder's metrics records that arrive within {@code wait}, or null. */
    private static ForwarderMetrics latestMetrics(KafkaConsumer<String, byte[]> consumer, Duration wait) {
        ForwarderMetrics latest = null;
        Instant deadline = Instant.now().plus(wait);
        do {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (ID.equals(r.key())) {
                    latest = Topics.FORWARDER_METRICS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                }
            }
        } while (latest == null && Instant.now().isBefore(deadline));
        return latest;
    }

    private static KafkaConsumer<String, byte[]> metricsFromNow() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        String topic = Topics.FORWARDER_METRICS.name();
        List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position);
        return c;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    private static HttpResponse<String> send(String method, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(managementUrl + path)).timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
