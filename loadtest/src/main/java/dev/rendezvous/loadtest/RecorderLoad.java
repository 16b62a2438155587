package dev.rendezvous.loadtest;

import dev.rendezvous.loadtest.media.MachineInfo;
import dev.rendezvous.loadtest.media.ReportWriter;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import dev.rendezvous.topics.model.RecordingFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
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

/**
 * How many concurrent recordings one recorder keeps up with: feeds N recordings at once into
 * {@code recording.chunk.captured} at real-time pace, as forwarders would (one participant each: a 30 fps VP8 camera
 * of ~1 Mbit/s and 50 Opus packets/s, in 0.5-s chunks per track), ends them together, and measures the recorder
 * process's CPU (from /proc), its consumer group's lag (chunks not yet read: "without dropped chunks" means the lag
 * stays bounded), and how long after the last chunk each file is announced on {@code recording.file.stored}. Writes a
 * section into docs/benchmarks.md.
 *
 * <pre>
 *   ./rendezvous up      # (another terminal) the recorder with S3
 *   java -Dloader.main=dev.rendezvous.loadtest.RecorderLoad -jar loadtest/target/rendezvous-loadtest-exec.jar \
 *        --recordings=1,4,8,16 --duration=PT30S --report=docs/benchmarks.md
 * </pre>
 */
public final class RecorderLoad {

    private static final int FPS = 30;
    private static final int VIDEO_FRAME_BYTES = 4_000;   // ~1 Mbit/s at 30 fps
    private static final int RTP_PAYLOAD = 1_100;
    private static final long CHUNK_MICROS = 500_000;

    record Options(String bootstrap, List<Integer> levels, Duration duration, String group, Path report) {
        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (String a : args) {
                if (a.startsWith("--") && a.contains("=")) {
                    m.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
                }
            }
            return new Options(m.getOrDefault("bootstrap", "127.0.0.1:19092"),
                    Arrays.stream(m.getOrDefault("recordings", "1,4,8,16").split(",")).map(String::trim)
                            .map(Integer::parseInt).toList(),
                    Duration.parse(m.getOrDefault("duration", "PT30S")),
                    m.getOrDefault("group", "rendezvous-recorder"),
                    Path.of(m.getOrDefault("report", "docs/benchmarks.md")));
        }
    }

    record Result(int recordings, double chunksPerSecond, double mbitPerSecond, double recorderCores, long maxLag,
                  int files, double readyP50Ms, double readyP95Ms, double readyMaxMs) {}

    /** One recorded track being generated: its RTP state and the packets of the chunk being filled. */
    private static final class Track {
        final String recordingId;
        final String meetingId;
        final String participantId;
        final long trackId;
        final boolean video;
        final List<RecordingChunk.Packet> packets = new ArrayList<>();
        long chunkBaseMicros;
        long sequence;
        int seq;
        long timestamp;
        int frame;

        Track(String recordingId, String meetingId, String participantId, long trackId, boolean video) {
            this.recordingId = recordingId;
            this.meetingId = meetingId;
            this.participantId = participantId;
            this.trackId = trackId;
            this.video = video;
        }

        RecordingChunk chunk(boolean last) {
            RecordingChunk c = new RecordingChunk(recordingId, meetingId, "fwd-load", trackId, participantId,
                    video ? "camera" : "microphone", video ? "video" : "audio", video ? 90_000 : 48_000,
                    video ? Map.of(96, "VP8") : Map.of(111, "opus"), sequence++, last,
                    packets.isEmpty() ? 0 : chunkBaseMicros, List.copyOf(packets));
            packets.clear();
            return c;
        }
    }

    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        long recorderPid = recorderPid();
        if (recorderPid < 0) {
            System.err.println("no recorder process found (a java process running recorder*.jar); start ./rendezvous up");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, opt.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, opt.bootstrap()))) {
            for (int n : opt.levels()) {
                Result r = run(opt, n, producer, admin, recorderPid);
                results.add(r);
                System.out.printf(Locale.ROOT, "%d recordings: %.0f chunks/s, %.1f Mbit/s, recorder %.2f cores, max lag %d,"
                        + " %d files, ready p50 %.0f ms p95 %.0f ms%n", n, r.chunksPerSecond(), r.mbitPerSecond(),
                        r.recorderCores(), r.maxLag(), r.files(), r.readyP50Ms(), r.readyP95Ms());
            }
        }
        ReportWriter.write(opt.report(), "recorder-load", report(opt, results));
        System.out.println("report written to " + opt.report());
    }

    private static Result run(Options opt, int n, KafkaProducer<String, byte[]> producer, Admin admin, long pid)
            throws Exception {
        List<Track> tracks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String rec = "rec-load-" + UUID.randomUUID();
            String meeting = UUID.randomUUID().toString();
            tracks.add(new Track(rec, meeting, "p-" + i, 1, true));
            tracks.add(new Track(rec, meeting, "p-" + i, 2, false));
        }
        Map<String, Long> stored = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> files = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, opt.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "recorder-load-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            files.subscribe(List.of(Topics.RECORDING_FILES.name()));
            while (files.assignment().isEmpty()) {
                files.poll(Duration.ofMillis(100));
            }
            long cpu0 = processTicks(pid);
            long wall0 = System.nanoTime();
            long bytes = 0;
            long chunks = 0;
            long maxLag = 0;
            long nextLagCheck = 0;
            long startMicros = System.currentTimeMillis() * 1_000;
            long endNanos = wall0 + opt.duration().toNanos();
            long tick = 0;
            // 10-ms ticks: each tick adds the packets due in it; a track's chunk goes out every 0.5 s
            while (System.nanoTime() < endNanos) {
                long nowMicros = startMicros + tick * 10_000;
                for (Track t : tracks) {
                    emitDue(t, tick, nowMicros);
                    if (nowMicros - t.chunkBaseMicros >= CHUNK_MICROS && !t.packets.isEmpty()) {
                        byte[] value = RecordingChunkCodec.encode(t.chunk(false));
                        producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), t.recordingId, value));
                        bytes += value.length;
                        chunks++;
                    }
                }
                tick++;
                if (System.nanoTime() > nextLagCheck) {
                    maxLag = Math.max(maxLag, lag(admin, opt.group()));
                    nextLagCheck = System.nanoTime() + 1_000_000_000L;
                }
                long sleep = wall0 + tick * 10_000_000L - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));   // pacing the generator, not a test wait
                }
            }
            long lastSent = System.nanoTime();
            java.util.Map<String, String> ended = new java.util.LinkedHashMap<>();
            for (Track t : tracks) {
                byte[] value = RecordingChunkCodec.encode(t.chunk(true));
                producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), t.recordingId, value));
                bytes += value.length;
                chunks++;
                ended.put(t.recordingId, t.meetingId);
            }
            // each recording's end marker, after its tracks' last chunks, as the forwarder sends it on stop
            ended.forEach((recordingId, meetingId) -> producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(),
                    recordingId, RecordingChunkCodec.encode(new RecordingChunk(recordingId, meetingId, "fwd-load",
                            RecordingChunk.END_TRACK_ID, "", "", RecordingChunk.END_KIND, 0, Map.of(), 0, true,
                            System.currentTimeMillis() * 1_000, List.of())))));
            producer.flush();
            double seconds = (System.nanoTime() - wall0) / 1e9;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            java.util.Set<String> wanted = new java.util.HashSet<>();
            tracks.forEach(t -> wanted.add(t.recordingId));
            while (stored.size() < wanted.size() && System.nanoTime() < deadline) {
                for (var r : files.poll(Duration.ofMillis(100))) {
                    RecordingFile f = Topics.RECORDING_FILES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (f != null && wanted.contains(f.recordingId()) && f.sizeBytes() > 0) {
                        stored.putIfAbsent(f.recordingId(), System.nanoTime() - lastSent);
                    }
                }
                maxLag = Math.max(maxLag, lag(admin, opt.group()));
            }
            double cores = (processTicks(pid) - cpu0) / 100.0 / ((System.nanoTime() - wall0) / 1e9);
            double[] ready = stored.values().stream().mapToDouble(v -> v / 1e6).sorted().toArray();
            return new Result(n, chunks / seconds, bytes * 8 / seconds / 1e6, cores, maxLag, ready.length,
                    pct(ready, 50), pct(ready, 95), ready.length == 0 ? Double.NaN : ready[ready.length - 1]);
        }
    }

    /** The packets of the 10-ms tick: video frames at 30 fps (a keyframe every 2 s), Opus every 20 ms. */
    private static void emitDue(Track t, long tick, long nowMicros) {
        if (t.video) {
            long frameTick = t.frame * 100L / FPS;   // the tick of the next frame
            if (tick < frameTick) {
                return;
            }
            boolean key = t.frame % (2 * FPS) == 0;
            byte[] payload = new byte[VIDEO_FRAME_BYTES];
            payload[0] = (byte) (key ? 0x00 : 0x01);
            if (key) {
                payload[3] = (byte) 0x9D;
                payload[4] = 0x01;
                payload[5] = 0x2A;
                payload[6] = (byte) (640 & 0xFF);
                payload[7] = (byte) (640 >> 8);
                payload[8] = (byte) (480 & 0xFF);
                payload[9] = (byte) (480 >> 8);
            }
            for (int off = 0; off < payload.length; off += RTP_PAYLOAD) {
                int len = Math.min(RTP_PAYLOAD, payload.length - off);
                byte[] rtp = new byte[12 + 1 + len];
                header(rtp, 96, off + len == payload.length, t.seq++, t.timestamp);
                rtp[12] = (byte) (off == 0 ? 0x10 : 0x00);   // VP8 descriptor: S on the frame's first packet
                System.arraycopy(payload, off, rtp, 13, len);
                add(t, nowMicros, rtp);
            }
            t.timestamp += 90_000 / FPS;
            t.frame++;
        } else if (tick % 2 == 0) {
            byte[] rtp = new byte[12 + 80];
            header(rtp, 111, true, t.seq++, t.timestamp);
            add(t, nowMicros, rtp);
            t.timestamp += 960;
        }
    }

    private static void add(Track t, long nowMicros, byte[] rtp) {
        if (t.packets.isEmpty()) {
            t.chunkBaseMicros = nowMicros;
        }
        t.packets.add(new RecordingChunk.Packet((int) (nowMicros - t.chunkBaseMicros), rtp));
    }

    private static void header(byte[] b, int pt, boolean marker, int seq, long ts) {
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | pt);
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
    }

    /** Chunks written but not yet read by the recorder's group, over all partitions. */
    private static long lag(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.RECORDING_CHUNKS.name()))
                    .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long recorderPid() throws Exception {
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(d.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains("java") && cmd.matches("(?s).*/recorder[^/ ]*\\.jar .*")) {
                        return Long.parseLong(d.getFileName().toString());
                    }
                } catch (Exception ignored) {
                    // a process that ended meanwhile
                }
            }
        }
        return -1;
    }

    /** utime + stime of the process, in clock ticks (100 per second). */
    private static long processTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String report(Options opt, List<Result> results) {
        MachineInfo m = MachineInfo.current();
        StringBuilder b = new StringBuilder();
        b.append("### Recorder: concurrent recordings — ").append(LocalDate.now()).append("\n\n");
        b.append("Machine: ").append(m.describe()).append(".\n\n");
        b.append("Conditions: `./rendezvous up` (one broker, the recorder writing to s3proxy, all apps idle otherwise) on\n")
                .append("the same cores as this tool (`RecorderLoad`). Each recording is one participant's camera (VP8, 30 fps,\n")
                .append("~1 Mbit/s, a keyframe every 2 s) and microphone (Opus, 50 packets/s) in 0.5-s chunks, fed at real-time\n")
                .append("pace for ").append(opt.duration().toSeconds()).append(" s; all end together. Recorder CPU = its process's\n")
                .append("user + system time over the run (cores). Lag = chunks written but not read by the recorder's group (max of\n")
                .append("1-s samples): bounded lag means no chunk is dropped or left behind. Ready = from the last chunk sent to\n")
                .append("the file's `recording.file.stored` (S3 upload included).\n\n");
        b.append("| recordings | chunks/s | Mbit/s in | recorder CPU (cores) | recordings per recorder core | max lag (chunks) | files | ready p50 / p95 / max ms |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.2f | %.0f | %d | %d/%d | %.0f / %.0f / %.0f |%n",
                    r.recordings(), r.chunksPerSecond(), r.mbitPerSecond(), r.recorderCores(),
                    r.recorderCores() > 0 ? r.recordings() / r.recorderCores() : Double.NaN, r.maxLag(), r.files(),
                    r.recordings(), r.readyP50Ms(), r.readyP95Ms(), r.readyMaxMs()));
        }
        return b.toString();
    }
}
