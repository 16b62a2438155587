package dev.rendezvous.loadtest;

import dev.rendezvous.topics.serde.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;

/**
 * Chat end-to-end latency: a message sent on one socket until it is delivered on another socket of the same
 * meeting, through gateway → Kafka → stream-apps → Kafka → gateway. Open loop: sends are scheduled at the
 * target rate and latency is measured from the scheduled time, so a stall is not hidden (no coordinated
 * omission). Many small rooms (a sender and a receiver each) carry the load, as in the product.
 *
 * <pre>
 *   ./rendezvous up        # in another terminal
 *   java -jar loadtest/target/rendezvous-loadtest-exec.jar --base-url=http://127.0.0.1:8080 \
 *        --rates=100,1000,3000 --duration=PT30S --rooms=100 --report=docs/benchmarks.md
 * </pre>
 */
public final class ChatLoad {

    record Options(String baseUrl, List<Integer> rates, Duration duration, Duration warmup, int rooms, Path report) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String a : args) {
                if (a.equals("--help")) {
                    System.out.println("options: --base-url= --rates=100,1000,3000 --duration=PT30S --warmup=PT5S --rooms=100 --report=PATH");
                    System.exit(0);
                }
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("unknown argument " + a + " (try --help)");
                }
                m.put(a.substring(2, eq), a.substring(eq + 1));
            }
            return new Options(
                    m.getOrDefault("base-url", "http://127.0.0.1:8080"),
                    java.util.Arrays.stream(m.getOrDefault("rates", "100,1000,3000").split(",")).map(String::trim).map(Integer::parseInt).toList(),
                    Duration.parse(m.getOrDefault("duration", "PT30S")),
                    Duration.parse(m.getOrDefault("warmup", "PT5S")),
                    Integer.parseInt(m.getOrDefault("rooms", "100")),
                    m.containsKey("report") ? Path.of(m.get("report")) : null);
        }
    }

    record Result(int rate, long sent, long delivered, long errors, Histogram latency, double cpuPct, double achievedRate) {}

    private final Options opt;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
    private final RestClient rest;
    /** send time (scheduled, nanoTime) by clientMsgId; removed on delivery to the receiver. */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private ChatLoad(Options opt) {
        this.opt = opt;
        this.rest = new RestClient(http, opt.baseUrl());
    }

    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        new ChatLoad(opt).run();
        System.exit(0);
    }

    private void run() throws Exception {
        String email = "load-" + UUID.randomUUID() + "@example.test";
        rest.post("/api/v1/auth/register", Map.of("email", email, "password", "load-test-password", "displayName", "Load"), null);
        String token = rest.post("/api/v1/auth/login", Map.of("email", email, "password", "load-test-password"), null).path("token").asText();

        List<WsClient> senders = new ArrayList<>();
        List<String> meetings = new ArrayList<>();
        List<WsClient> all = new ArrayList<>();
        System.out.printf("opening %d rooms with a sender and a receiver each%n", opt.rooms());
        for (int i = 0; i < opt.rooms(); i++) {
            String meetingId = rest.post("/api/v1/meetings", Map.of("title", "load " + i), token).path("meetingId").asText();
            meetings.add(meetingId);
            WsClient sender = join(meetingId, token);
            WsClient receiver = join(meetingId, token);
            String receiverSocket = receiver.socketId();
            receiver.onFrame(f -> onReceiverFrame(f));
            sender.onFrame(f -> {
                if (f.type().equals("error")) {
                    errors.incrementAndGet();
                }
            });
            senders.add(sender);
            all.add(sender);
            all.add(receiver);
            if (receiverSocket == null) {
                throw new IllegalStateException("no hello from receiver");
            }
        }

        List<Result> results = new ArrayList<>();
        for (int rate : opt.rates()) {
            System.out.printf("rate %d msg/s: warm-up %s%n", rate, opt.warmup());
            drive(senders, meetings, rate, opt.warmup());
            awaitDrain(Duration.ofSeconds(5));
            recorder.getIntervalHistogram(); // discard warm-up
            delivered.set(0);
            errors.set(0);
            System.out.printf("rate %d msg/s: measuring %s%n", rate, opt.duration());
            long cpu0 = systemCpuTicks()[0], idle0 = systemCpuTicks()[1];
            long t0 = System.nanoTime();
            long sent = drive(senders, meetings, rate, opt.duration());
            double seconds = (System.nanoTime() - t0) / 1e9;
            awaitDrain(Duration.ofSeconds(10));
            long[] t = systemCpuTicks();
            double busy = 100.0 * (1 - (double) (t[1] - idle0) / Math.max(1, t[0] - cpu0));
            Histogram h = recorder.getIntervalHistogram();
            Result r = new Result(rate, sent, delivered.get(), errors.get(), h, busy, sent / seconds);
            results.add(r);
            System.out.printf("rate %d: sent %d delivered %d errors %d lost %d | p50 %.2f ms p90 %.2f p99 %.2f p99.9 %.2f max %.2f | machine CPU %.0f%%%n",
                    rate, sent, r.delivered(), r.errors(), inFlight.size(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6, busy);
            inFlight.clear();
        }
        double pingP50 = pingRoundTrip(senders.get(0));
        all.forEach(WsClient::close);
        if (opt.report() != null) {
            writeReport(results, pingP50);
        }
    }

    private WsClient join(String meetingId, String token) throws InterruptedException {
        WsClient c = WsClient.connect(http, opt.baseUrl());
        c.await("hello", Duration.ofSeconds(10));
        c.send(Map.of("type", "join", "meetingId", meetingId, "token", token));
        c.await("joined", Duration.ofSeconds(20));
        return c;
    }

    private void onReceiverFrame(WsClient.Frame f) {
        String type = f.type();
        if (type.equals("chat")) {
            Long sentAt = inFlight.remove(f.json().path("clientMsgId").asText());
            if (sentAt != null) {
                recorder.recordValue(Math.max(0, f.receivedNanos() - sentAt));
                delivered.incrementAndGet();
            }
        } else if (type.equals("error")) {
            errors.incrementAndGet();
        }
    }

    /** Sends at {@code rate} msg/s for {@code d}, round-robin over rooms; returns how many were sent. */
    private long drive(List<WsClient> senders, List<String> meetings, int rate, Duration d) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + d.toNanos();
        long n = 0;
        for (long next = start; next < end; next += interval, n++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int room = (int) (n % senders.size());
            String id = UUID.randomUUID().toString();
            inFlight.put(id, next);
            senders.get(room).send(Map.of("type", "chat", "meetingId", meetings.get(room), "clientMsgId", id,
                    "text", "load message " + n));
        }
        return n;
    }

    private void awaitDrain(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Median of 200 ping/pong round trips: the WebSocket and loopback part of every hop, without Kafka. */
    private double pingRoundTrip(WsClient c) throws InterruptedException {
        Histogram h = new Histogram(3);
        var box = new java.util.concurrent.SynchronousQueue<Long>();
        c.onFrame(f -> {
            if (f.type().equals("pong")) {
                box.offer(f.receivedNanos());
            }
        });
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            c.send(Map.of("type", "ping"));
            Long t1 = box.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            if (t1 != null) {
                h.recordValue(t1 - t0);
            }
        }
        return ms(h, 50);
    }

    private static double ms(Histogram h, double pct) {
        return h.getValueAtPercentile(pct) / 1e6;
    }

    /** [total, idle] jiffies of the whole machine from /proc/stat (all processes: broker, apps, this tool). */
    private static long[] systemCpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {1, 0};
        }
    }

    private void writeReport(List<Result> results, double pingP50) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!-- chat-e2e:begin -->\n");
        b.append("### Chat end to end — ").append(LocalDate.now()).append("\n\n");
        b.append("Machine: ").append(machine()).append("\n\n");
        b.append("Conditions: all-in-one stack (`./rendezvous up`: one Kafka broker, PostgreSQL, stream-apps, gateway,\n")
         .append("forwarder and recorder on the same machine) with this tool as the client on the same cores; ")
         .append(opt.rooms()).append(" rooms with one sender and one receiver socket each; open-loop sends round-robin over the rooms; ")
         .append(opt.duration().toSeconds()).append(" s measured after ").append(opt.warmup().toSeconds())
         .append(" s warm-up per rate; latency from the scheduled send time to the frame on the receiver's socket.\n\n");
        b.append("| target msg/s | achieved msg/s | sent | delivered | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | machine CPU |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            Histogram h = r.latency();
            b.append(String.format("| %d | %.0f | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f %% |%n", r.rate(), r.achievedRate(),
                    r.sent(), r.delivered(), r.errors(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6, r.cpuPct()));
        }
        b.append(String.format("%nWebSocket ping/pong round trip through the gateway (no Kafka), p50: %.2f ms.%n", pingP50));
        b.append("<!-- chat-e2e:end -->\n");
        Path p = opt.report();
        String existing = Files.exists(p) ? Files.readString(p) : "# Benchmarks\n\n";
        String updated;
        int s = existing.indexOf("<!-- chat-e2e:begin -->");
        int e = existing.indexOf("<!-- chat-e2e:end -->");
        if (s >= 0 && e > s) {
            updated = existing.substring(0, s) + b + existing.substring(e + "<!-- chat-e2e:end -->\n".length());
        } else {
            updated = existing + "\n" + b;
        }
        Files.writeString(p, updated);
        System.out.println("report written to " + p);
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memGb = ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize() >> 30;
        return String.format("%d cores (%s), %d GiB, %s %s, Java %s", os.getAvailableProcessors(), cpu, memGb + 1,
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }
}
