package dev.rendezvous.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.recorder.assembly.ChunkFixtures;
import dev.rendezvous.recorder.webm.MediaFixtures;
import dev.rendezvous.stack.S3Server;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import dev.rendezvous.topics.model.RecordingFile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
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

/**
 * The recorder as a real process (in this JVM, on a free port) against a real single-node Kafka broker and a
 * real S3 API server (s3proxy).
 */
class RecorderChunkIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static S3Server s3;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;
    private static String publicUrl;
    /** HTTP/1.1 (no h2c upgrade attempt); a generous request timeout: a first Prometheus scrape on a loaded CI
     *  machine once took more than 5 s, and the limit is there to catch a hang, not to time the endpoint. */
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        s3 = new S3Server(dir.resolve("s3"), Ports.freePorts(1).get(0), "it-access", "it-secret-key-1",
                dir.resolve("logs"), Clock.systemUTC(), StackListener.logging());
        s3.ensureBucket("recordings-it");
        s3.start(Duration.ofSeconds(60));
        app = new SpringApplicationBuilder(RecorderApplication.class)
                .main(RecorderApplication.class)
                .run("--server.port=0",
                        "--management.server.port=0",
                        "--rendezvous.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--rendezvous.s3.endpoint=" + s3.endpoint(),
                        "--rendezvous.s3.access-key=it-access",
                        "--rendezvous.s3.secret-key=it-secret-key-1",
                        "--rendezvous.s3.bucket=recordings-it");
        // the actuator's own port; server.port serves no actuator endpoint
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port");
        publicUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void shouldAssembleARecordingsChunksIntoAFileInS3AndAnnounceIt() throws Exception {
        MediaFixtures.requireFfmpeg();
        awaitTrue("recorder ready (chunk partitions assigned)", () -> get("/actuator/health/readiness").statusCode() == 200);
        String recording = "rec-file-" + System.nanoTime();
        Path media = dir.resolve("media");
        java.nio.file.Files.createDirectories(media);
        List<RecordingChunk> chunks = ChunkFixtures.interleave(
                ChunkFixtures.chunks(recording, "p-7", 1, "video", 90_000,
                        MediaFixtures.packetizeVp8(MediaFixtures.vp8(media, 3, 15), 100, 1100), 0),
                ChunkFixtures.chunks(recording, "p-7", 2, "audio", 48_000,
                        MediaFixtures.packetizeOpus(MediaFixtures.opus(media, 3), 200), 0));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
             KafkaConsumer<String, byte[]> files = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "it-files",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                     new ByteArrayDeserializer())) {
            for (RecordingChunk c : chunks) {
                producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), recording, RecordingChunkCodec.encode(c)));
            }
            // the forwarder's end marker after the tracks' last chunks: the recording stopped
            producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), recording, RecordingChunkCodec.encode(
                    new RecordingChunk(recording, "m-1", "fw-1", RecordingChunk.END_TRACK_ID, "", "",
                            RecordingChunk.END_KIND, 0, Map.of(), 0, true, ChunkFixtures.T0 + 4_000_000, List.of()))));
            producer.flush();
            files.subscribe(List.of(Topics.RECORDING_FILES.name()));
            List<RecordingFile> announced = new java.util.ArrayList<>();
            awaitTrue("the file announced", () -> {
                for (var r : files.poll(Duration.ofMillis(200))) {
                    RecordingFile f = Topics.RECORDING_FILES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (f.recordingId().equals(recording)) {
                        announced.add(f);
                    }
                }
                return announced.size() >= 2;
            });
            assertThat(announced).extracting(RecordingFile::kind).containsExactly("participant", "composite");
            RecordingFile f = announced.get(0);
            assertThat(f.kind()).isEqualTo("participant");
            assertThat(f.participantId()).isEqualTo("p-7");
            assertThat(f.source()).isEqualTo("camera");
            assertThat(f.bucket()).isEqualTo("recordings-it");
            assertThat(f.objectKey()).isEqualTo("recordings/" + recording + "/p-7-camera.webm");
            assertThat(f.durationMs()).isBetween(2_850L, 3_150L);
            Path file = dir.resolve(recording + ".webm");
            try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
                    .region(Region.of(S3Server.REGION)).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("it-access", "it-secret-key-1"))).build()) {
                java.nio.file.Files.write(file, client.getObjectAsBytes(r -> r.bucket("recordings-it").key(f.objectKey()))
                        .asByteArray());
            }
            assertThat(java.nio.file.Files.size(file)).isEqualTo(f.sizeBytes());
            assertThat(MediaFixtures.probe(file, "-show_entries", "stream=codec_name")).containsExactly("vp8", "opus");
            assertThat(MediaFixtures.decodeErrors(file)).isEmpty();

            RecordingFile composite = announced.get(1);
            assertThat(composite.objectKey()).isEqualTo("recordings/" + recording + "/composite.webm");
            assertThat(composite.bucket()).isEqualTo("recordings-it");
            assertThat(composite.meetingId()).isEqualTo("m-1");
            assertThat(composite.participantId()).as("a composite is nobody's").isNull();
            assertThat(composite.source()).isNull();
            assertThat(composite.durationMs()).isBetween(2_850L, 3_150L);
            Path compositeFile = dir.resolve(recording + "-composite.webm");
            try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
                    .region(Region.of(S3Server.REGION)).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("it-access", "it-secret-key-1"))).build()) {
                java.nio.file.Files.write(compositeFile, client.getObjectAsBytes(
                        r -> r.bucket("recordings-it").key(composite.objectKey())).asByteArray());
            }
            assertThat(java.nio.file.Files.size(compositeFile)).isEqualTo(composite.sizeBytes());
            assertThat(MediaFixtures.probe(compositeFile, "-show_entries", "stream=codec_name")).containsExactly("vp8", "opus");
            assertThat(MediaFixtures.probe(compositeFile, "-show_entries", "stream=width,height")).containsExactly("1280", "720");
            double seconds = Double.parseDouble(MediaFixtures.probe(compositeFile, "-show_entries", "format=duration").get(0));
            assertThat(seconds).isBetween(2.5, 3.5);
            assertThat(MediaFixtures.decodeErrors(compositeFile)).isEmpty();
            assertThat(app.getBean(MeterRegistry.class).get("rendezvous.recorder.composites").tag("outcome", "stored")
                    .counter().count()).isEqualTo(1);
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
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains("rendezvous_recorder_chunks_total{")
                .contains("recording=\"" + recording + "\"");
        // the S3 guard's breaker, closed (and no breaker of a dependency the recorder does not call)
        assertThat(metrics.lines().filter(l -> l.startsWith("resilience4j_circuitbreaker_state{") && l.endsWith(" 1.0")))
                .hasSize(1).allMatch(l -> l.contains("name=\"s3\"") && l.contains("state=\"closed\""));
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(publicUrl).isNotEqualTo(baseUrl);
        assertThat(getFrom(publicUrl, "/actuator/prometheus").statusCode()).as("not on the public port").isEqualTo(404);
        assertThat(getFrom(publicUrl, "/actuator/health").statusCode()).isEqualTo(404);
    }

    private static double count(MeterRegistry registry, String name, String recording) {
        Counter c = registry.find(name).tag("recording", recording).counter();
        return c == null ? 0 : c.count();
    }

    private static HttpResponse<String> get(String path) {
        return getFrom(baseUrl, path);
    }

    private static HttpResponse<String> getFrom(String base, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
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
