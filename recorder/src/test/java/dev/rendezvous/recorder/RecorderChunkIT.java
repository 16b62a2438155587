package dev.rendezvous.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The recorder as a real process (in this JVM, on a free port) against a real single-node Kafka broker. */
class RecorderChunkIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        app = new SpringApplicationBuilder(RecorderApplication.class)
                .main(RecorderApplication.class)
                .run("--server.port=0",
                        "--rendezvous.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--rendezvous.s3.endpoint=http://127.0.0.1:1",
                        "--rendezvous.s3.access-key=it-access",
                        "--rendezvous.s3.secret-key=it-secret");
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
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
    void shouldCountEveryChunkOfARecordingOnceItsConsumerIsAssigned() throws Exception {
        awaitTrue("recorder ready (chunk partitions assigned)", () -> get("/actuator/health/readiness").statusCode() == 200);
        assertThat(get("/actuator/health").body()).contains("chunkConsumer");

        String recording = "rec-it-" + System.nanoTime();
        byte[][] chunks = {new byte[] {(byte) 0x80, 0x60, 0x00, 0x01}, new byte[1200], new byte[65_536]};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] chunk : chunks) {
                producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), recording, chunk)).get(10, TimeUnit.SECONDS);
            }
        }

        MeterRegistry registry = app.getBean(MeterRegistry.class);
        awaitTrue("3 chunks counted", () -> count(registry, "rendezvous.recorder.chunks", recording) >= 3);
        assertThat(count(registry, "rendezvous.recorder.chunks", recording)).isEqualTo(3.0);
        assertThat(count(registry, "rendezvous.recorder.chunk.bytes", recording)).isEqualTo(4 + 1200 + 65_536);
        assertThat(get("/actuator/prometheus").body())
                .contains("rendezvous_recorder_chunks_total{")
                .contains("recording=\"" + recording + "\"");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    private static double count(MeterRegistry registry, String name, String recording) {
        Counter c = registry.find(name).tag("recording", recording).counter();
        return c == null ? 0 : c.count();
    }

    private static HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(condition::getAsBoolean);
    }
}
