package dev.rendezvous.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.assembly.ChunkFixtures;
import dev.rendezvous.recorder.webm.MediaFixtures;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.S3Server;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import dev.rendezvous.topics.model.RecordingFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Crash safety and scaling of the recorder, each recorder a separate JVM (this module's classpath) against a real
 * Kafka broker and a real S3 API server (s3proxy): a recorder SIGKILLed with a file open mid-way resumes after a
 * restart into one complete file, without duplicated or missing media; two recorders in one group share the
 * recordings and each file is stored by exactly one of them.
 */
class RecorderCrashIT {

    private static final String BUCKET = "recordings-crash";
    private static final String ACCESS = "it-access";
    private static final String SECRET = "it-secret-key-crash";
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Pattern HELD = Pattern.compile(
            "rendezvous_recorder_chunk_offsets_held\\{[^}]*partition=\"(\\d+)\"[^}]*} ([0-9.]+)");

    @TempDir
    static Path dir;
    private static KafkaBroker broker;
    private static S3Server s3server;
    private static S3Client s3;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Process> recorders = new ArrayList<>();

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        s3server = new S3Server(dir.resolve("s3"), Ports.freePorts(1).get(0), ACCESS, SECRET, dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        s3server.ensureBucket(BUCKET);
        s3server.start(Duration.ofSeconds(60));
        s3 = S3Client.builder().endpointOverride(URI.create(s3server.endpoint())).region(Region.of(S3Server.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, 1);
        }
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (s3server != null) {
            s3server.close();
        }
    }

    @AfterEach
    void killRecorders() throws InterruptedException {
        for (Process p : recorders) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecorderKilledMidFileResumesAfterARestartIntoOneCompleteFile() throws Exception {
        MediaFixtures.requireFfmpeg();
        int seconds = 15;
        Path media = Files.createDirectories(dir.resolve("media-crash"));
        List<MediaFixtures.Coded> frames = vp8Noise(media, seconds);
        List<MediaFixtures.Coded> opus = MediaFixtures.opus(media, seconds);
        String recording = "rec-crash-" + System.nanoTime();
        List<RecordingChunk> chunks = withEnd(recording, ChunkFixtures.interleave(
                ChunkFixtures.chunks(recording, "p-1", 1, "video", 90_000,
                        MediaFixtures.packetizeVp8(frames, 100, 1100), 0),
                ChunkFixtures.chunks(recording, "p-1", 2, "audio", 48_000, MediaFixtures.packetizeOpus(opus, 200), 0)));
        // the first 12 s (more than two S3 parts of video: part 2 is uploaded, part 1 is held) before the kill
        long cut = ChunkFixtures.T0 + 12_000_000;
        List<RecordingChunk> before = chunks.stream().filter(c -> c.baseEpochMicros() < cut).toList();
        List<RecordingChunk> after = chunks.subList(before.size(), chunks.size());
        assertThat(before.stream().mapToLong(c -> c.packets().stream().mapToLong(p -> p.rtp().length).sum()).sum())
                .as("enough media before the kill for a multipart upload in flight").isGreaterThan(11L << 20);
        String key = "recordings/" + recording + "/p-1-camera.webm";
        String group = "recorder-crash";

        try (KafkaProducer<String, byte[]> producer = producer(); KafkaConsumer<String, byte[]> files = filesConsumer()) {
            int managementPort = Ports.freePort();
            Process first = startRecorder(group, managementPort, "first");
            long[] firstOffset = produce(producer, recording, before);
            int partition = (int) firstOffset[0];
            await("the first recorder read the first 12 s and holds them", () ->
                    heldBack(managementPort, partition) >= before.size());
            await("part 2 of the file uploaded while part 1 (the head) waits", () ->
                    s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).uploads().size() == 1);
            OptionalLong committed = committed(group, partition);
            assertThat(committed.orElse(0)).as("nothing of the open file committed").isLessThanOrEqualTo(firstOffset[1]);

            first.destroyForcibly();   // SIGKILL: no shutdown hook, no commit, the upload left half-done
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            produce(producer, recording, after);

            startRecorder(group, managementPort, "second");
            List<RecordingFile> announced = new ArrayList<>();
            await("the file announced", () -> {
                announced.addAll(poll(files, recording));
                return !announced.isEmpty();
            });
            await("the second recorder committed past the recording", () ->
                    committed(group, partition).orElse(0) >= firstOffset[1] + chunks.size());
            announced.addAll(poll(files, recording));   // anything announced before the commit is there by now
            await("the composite announced", () -> {
                announced.addAll(poll(files, recording));
                return announced.stream().anyMatch(a -> "composite".equals(a.kind()));
            });
            assertThat(announced).as("the participant file and the composite, each announced exactly once")
                    .extracting(RecordingFile::kind).containsExactlyInAnyOrder("participant", "composite");
            RecordingFile f = announced.stream().filter(a -> "participant".equals(a.kind())).findFirst().orElseThrow();
            assertThat(f.objectKey()).isEqualTo(key);
            assertThat(s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix(key)).uploads())
                    .as("the dead recorder's upload aborted").isEmpty();
            assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("recordings/" + recording + "/")).contents())
                    .extracting(o -> o.key()).containsExactlyInAnyOrder(key, "recordings/" + recording + "/composite.webm");

            Path file = dir.resolve(recording + ".webm");
            Files.write(file, s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArray());
            assertThat(Files.size(file)).isEqualTo(f.sizeBytes());
            assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
            double duration = Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0));
            assertThat(duration).as("no missing or duplicated seconds").isBetween(seconds - 0.1, seconds + 0.1);
            assertThat(packets(file, "v:0")).as("every frame once").isEqualTo(frames.size());
            assertThat(packets(file, "a:0")).as("every audio packet once").isEqualTo(opus.size());
        }
    }

    @Test
    void twoRecordersShareTheRecordingsAndEachFileIsStoredOnceByOneOfThem() throws Exception {
        MediaFixtures.requireFfmpeg();
        Path media = Files.createDirectories(dir.resolve("media-share"));
        List<MediaFixtures.Coded> frames = MediaFixtures.vp8(media, 4, 15);
        List<MediaFixtures.Coded> opus = MediaFixtures.opus(media, 4);
        int partitions = Topics.RECORDING_CHUNKS.partitions();
        String prefix = "rec-share-" + System.nanoTime() + "-";
        Map<Integer, List<RecordingChunk>> byPartition = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.put(p, withEnd(prefix + p, ChunkFixtures.interleave(
                    ChunkFixtures.chunks(prefix + p, "p-" + p, 1, "video", 90_000,
                            MediaFixtures.packetizeVp8(frames, 100, 1100), 0),
                    ChunkFixtures.chunks(prefix + p, "p-" + p, 2, "audio", 48_000,
                            MediaFixtures.packetizeOpus(opus, 200), 0))));
        }
        long cut = ChunkFixtures.T0 + 2_000_000;
        String group = "recorder-share";

        try (KafkaProducer<String, byte[]> producer = producer(); KafkaConsumer<String, byte[]> files = filesConsumer()) {
            int portA = Ports.freePort();
            startRecorder(group, portA, "share-a");
            Map<Integer, Long> ends = new HashMap<>();
            for (var e : byPartition.entrySet()) {
                produceTo(producer, e.getKey(), e.getValue().stream().filter(c -> c.baseEpochMicros() < cut).toList());
            }
            await("recorder A holds the first half of every recording", () -> {
                for (var e : byPartition.entrySet()) {
                    long half = e.getValue().stream().filter(c -> c.baseEpochMicros() < cut).count();
                    if (heldBack(portA, e.getKey()) < half) {
                        return false;
                    }
                }
                return true;
            });
            int portB = Ports.freePort();
            startRecorder(group, portB, "share-b");   // a rebalance with every file open
            for (var e : byPartition.entrySet()) {
                ends.put(e.getKey(), produceTo(producer, e.getKey(),
                        e.getValue().stream().filter(c -> c.baseEpochMicros() >= cut).toList()) + 1);
            }
            List<RecordingFile> announced = new ArrayList<>();
            await("every file and every composite announced", () -> {
                announced.addAll(poll(files, prefix));
                return announced.size() >= 2 * partitions;
            });
            await("every partition committed past its recording", () -> {
                for (var e : ends.entrySet()) {
                    if (committed(group, e.getKey()).orElse(0) < e.getValue()) {
                        return false;
                    }
                }
                return true;
            });
            announced.addAll(poll(files, prefix));
            assertThat(announced).extracting(RecordingFile::objectKey).doesNotHaveDuplicates().hasSize(2 * partitions);
            assertThat(announced).filteredOn(a -> "composite".equals(a.kind())).hasSize(partitions);

            String logA = Files.readString(dir.resolve("logs/recorder-share-a.log"));
            String logB = Files.readString(dir.resolve("logs/recorder-share-b.log"));
            assertThat(logA).as("A gave up files whose partition moved").contains("dropped unfinished");
            int storedByA = 0;
            for (RecordingFile f : announced) {
                int inA = occurrences(logA, f.objectKey() + " stored (");
                int inB = occurrences(logB, f.objectKey() + " stored (");
                assertThat(inA + inB).as("%s stored by exactly one recorder, once", f.objectKey()).isEqualTo(1);
                if ("composite".equals(f.kind())) {
                    continue;   // made once, by the recorder that finished the recording (its media: CompositeRendererTest)
                }
                storedByA += inA;
                Path file = dir.resolve(f.recordingId() + ".webm");
                Files.write(file, s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(f.objectKey())).asByteArray());
                assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
                assertThat(packets(file, "v:0")).as("%s: every frame once", f.objectKey()).isEqualTo(frames.size());
                assertThat(packets(file, "a:0")).as("%s: every audio packet once", f.objectKey()).isEqualTo(opus.size());
            }
            assertThat(storedByA).as("both recorders did a share").isBetween(1, partitions - 1);
        }
    }

    // ---- helpers ----

    /** Sends the chunks in order to {@code partition}; returns the offset of the last. */
    private static long produceTo(KafkaProducer<String, byte[]> producer, int partition, List<RecordingChunk> chunks)
            throws Exception {
        long last = -1;
        for (RecordingChunk c : chunks) {
            last = producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), partition, c.recordingId(),
                    RecordingChunkCodec.encode(c))).get(30, TimeUnit.SECONDS).offset();
        }
        return last;
    }

    private static int occurrences(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Starts a recorder JVM on this module's classpath; its log goes to {@code logs/recorder-<name>.log}. */
    private Process startRecorder(String group, int managementPort, String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                RecorderApplication.class.getName(),
                "--server.port=0",
                "--management.server.port=" + managementPort,
                "--rendezvous.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--rendezvous.recorder.group-id=" + group,
                "--rendezvous.s3.endpoint=" + s3server.endpoint(),
                "--rendezvous.s3.bucket=" + BUCKET);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs").resolve("recorder-" + name + ".log").toFile());
        pb.environment().put("RENDEZVOUS_S3_ACCESS_KEY", ACCESS);
        pb.environment().put("RENDEZVOUS_S3_SECRET_KEY", SECRET);   // never on a command line
        Process p = pb.start();
        recorders.add(p);
        Awaitility.await("recorder " + name + " ready").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .failFast("recorder " + name + " exited (see logs/recorder-" + name + ".log)", () -> !p.isAlive())
                .ignoreExceptions()
                .until(() -> get(managementPort, "/actuator/health/readiness").statusCode() == 200);
        return p;
    }

    /** Sends the chunks in order; returns {partition, offset of the first}. */
    private static long[] produce(KafkaProducer<String, byte[]> producer, String recording, List<RecordingChunk> chunks)
            throws Exception {
        long[] first = null;
        for (RecordingChunk c : chunks) {
            var md = producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), recording,
                    RecordingChunkCodec.encode(c))).get(30, TimeUnit.SECONDS);
            if (first == null) {
                first = new long[] {md.partition(), md.offset()};
            }
        }
        return first;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> filesConsumer() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-files-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(Topics.RECORDING_FILES.name()));
        return c;
    }

    /** The chunks with the recording's end marker after them, as the forwarder sends it on stop. */
    private static List<RecordingChunk> withEnd(String recordingId, List<RecordingChunk> chunks) {
        List<RecordingChunk> all = new ArrayList<>(chunks);
        long end = chunks.get(chunks.size() - 1).baseEpochMicros() + 1;
        all.add(new RecordingChunk(recordingId, "m-1", "fw-1", RecordingChunk.END_TRACK_ID, "", "",
                RecordingChunk.END_KIND, 0, Map.of(), 0, true, end, List.of()));
        return all;
    }

    private static List<RecordingFile> poll(KafkaConsumer<String, byte[]> files, String recordingPrefix) {
        List<RecordingFile> out = new ArrayList<>();
        for (var r : files.poll(Duration.ofMillis(300))) {
            RecordingFile f = Topics.RECORDING_FILES.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (f.recordingId().startsWith(recordingPrefix)) {
                out.add(f);
            }
        }
        return out;
    }

    private static OptionalLong committed(String group, int partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(Topics.RECORDING_CHUNKS.name(), partition));
            return o == null ? OptionalLong.empty() : OptionalLong.of(o.offset());
        }
    }

    /** The recorder's held-back gauge for {@code partition}, from its Prometheus endpoint (-1 when absent). */
    private static long heldBack(int managementPort, int partition) {
        Map<Integer, Double> held = new HashMap<>();
        Matcher m = HELD.matcher(get(managementPort, "/actuator/prometheus").body());
        while (m.find()) {
            held.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
        }
        return held.containsKey(partition) ? held.get(partition).longValue() : -1;
    }

    private static long packets(Path file, String stream) throws Exception {
        return Long.parseLong(MediaFixtures.probe(file, "-select_streams", stream, "-count_packets",
                "-show_entries", "stream=nb_read_packets").get(0));
    }

    /** {@code seconds} of 640×480 noise at 30 fps, VP8 at about 8 Mbit/s (a keyframe a second): big enough for parts. */
    private static List<MediaFixtures.Coded> vp8Noise(Path dir, int seconds) throws Exception {
        Path ivf = dir.resolve("noise.ivf");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=30",
                "-vf", "noise=alls=60:allf=t", "-t", String.valueOf(seconds), "-c:v", "libvpx", "-g", "30",
                "-b:v", "8M", "-minrate", "8M", "-maxrate", "8M", "-deadline", "realtime", "-cpu-used", "8",
                "-auto-alt-ref", "0", "-lag-in-frames", "0", ivf.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ivf)).order(ByteOrder.LITTLE_ENDIAN);
        int rate = b.getInt(16);
        int scale = b.getInt(20);
        b.position(b.getShort(6));
        List<MediaFixtures.Coded> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            int size = b.getInt();
            long pts = b.getLong();
            byte[] data = new byte[size];
            b.get(data);
            frames.add(new MediaFixtures.Coded(pts * 90_000L * scale / rate, (data[0] & 0x01) == 0, data));
        }
        return frames;
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(condition);
    }
}
