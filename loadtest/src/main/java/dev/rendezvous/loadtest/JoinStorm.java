package dev.rendezvous.loadtest;

import dev.rendezvous.loadtest.media.MachineInfo;
import dev.rendezvous.loadtest.media.ReportWriter;
import dev.rendezvous.topics.serde.Json;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;

/**
 * Join storms through the real gateway (issue "host controls", benchmark): guests open a meeting's link at a
 * fixed rate — guest token, WebSocket, {@code join} — into rooms whose host is present, and the tool measures
 * {@code join} → {@code joined} (lobby off) or {@code join} → {@code lobby}, then the host's {@code admit} →
 * {@code joined} (lobby on), and the host's {@code mute} → {@code muted-by-host} at the guest: a host action's
 * latency to its effect. Open loop: joins start at their scheduled times whatever the answers do.
 *
 * <pre>
 *   ./rendezvous up        # in another terminal
 *   java -Dloader.main=dev.rendezvous.loadtest.JoinStorm -jar loadtest/target/rendezvous-loadtest-exec.jar \
 *        --rates=10,25,50,100 --duration=PT10S --rooms=10 --report=docs/benchmarks.md
 * </pre>
 */
public final class JoinStorm {

    record Options(String baseUrl, List<Integer> rates, Duration duration, int rooms, Path report) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("options: --base-url= --rates=10,25,50,100 --duration=PT10S --rooms=10 --report=PATH");
                }
                m.put(a.substring(2, eq), a.substring(eq + 1));
            }
            return new Options(m.getOrDefault("base-url", "http://127.0.0.1:8080"),
                    java.util.Arrays.stream(m.getOrDefault("rates", "10,25,50,100").split(",")).map(String::trim)
                            .map(Integer::parseInt).toList(),
                    Duration.parse(m.getOrDefault("duration", "PT10S")), Integer.parseInt(m.getOrDefault("rooms", "10")),
                    m.containsKey("report") ? Path.of(m.get("report")) : null);
        }
    }

    /** One step: a lobby mode at a join rate. */
    record Step(boolean lobby, int rate, long started, long answered, long failed, Histogram join, Histogram admit,
                Histogram mute, double achievedRate, double machineBusyPct) {}

    private static final Duration ANSWER = Duration.ofSeconds(20);

    private final Options opt;
    private final HttpClient http = HttpClient.newBuilder().executor(RestClient.daemonThreads(4, "join-storm-http")).build();
    private final RestClient rest;
    private final ExecutorService joiners = RestClient.daemonThreads(64, "join-storm-joiner");
    private String hostToken;

    private JoinStorm(Options opt) {
        this.opt = opt;
        this.rest = new RestClient(http, opt.baseUrl());
    }

    public static void main(String[] args) throws Exception {
        JoinStorm s = new JoinStorm(Options.parse(args));
        s.run();
        System.exit(0);
    }

    private void run() throws Exception {
        String email = "storm-" + UUID.randomUUID() + "@example.test";
        rest.post("/api/v1/auth/register", Map.of("email", email, "password", "join-storm-password", "displayName", "Host"), null);
        hostToken = rest.post("/api/v1/auth/login", Map.of("email", email, "password", "join-storm-password"), null)
                .path("token").asString();
        List<Step> steps = new ArrayList<>();
        for (boolean lobby : new boolean[] {false, true}) {
            for (int rate : opt.rates()) {
                steps.add(step(lobby, rate));
            }
        }
        if (opt.report() != null) {
            ReportWriter.write(opt.report(), "join-storm", report(steps));
            System.out.println("wrote " + opt.report());
        }
        joiners.shutdownNow();
    }

    /** A host in each of fresh rooms, then joins at {@code rate} for the duration; every socket is closed after. */
    private Step step(boolean lobby, int rate) throws Exception {
        List<Room> rooms = new ArrayList<>();
        for (int i = 0; i < opt.rooms(); i++) {
            JsonNode m = rest.post("/api/v1/meetings", Map.of("title", "storm " + i, "lobby", lobby), hostToken);
            WsClient host = WsClient.connect(http, opt.baseUrl());
            host.await("hello", ANSWER);
            host.send(Map.of("type", "join", "meetingId", m.path("meetingId").asString(), "token", hostToken));
            host.await("joined", ANSWER);
            host.onFrame(f -> { });
            rooms.add(new Room(m.path("meetingId").asString(), m.path("code").asString(), host));
        }
        Recorder join = new Recorder(3);
        Recorder admit = new Recorder(3);
        Recorder mute = new Recorder(3);
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<WsClient> guests = new ConcurrentLinkedQueue<>();
        long interval = 1_000_000_000L / rate;
        long n = opt.duration().toSeconds() * rate;
        long[] cpu0 = MachineInfo.cpuTicks();
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<?>> pending = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            long at = t0 + i * interval;
            long wait = at - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Room room = rooms.get((int) (i % rooms.size()));
            boolean measureMute = !lobby && i % 5 == 0;
            pending.add(joiners.submit(() -> {
                try {
                    guests.add(joinOnce(room, lobby, measureMute, join, admit, mute));
                    answered.incrementAndGet();
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (java.util.concurrent.Future<?> f : pending) {
            f.get(60, TimeUnit.SECONDS);
        }
        double busy = MachineInfo.busyPercent(cpu0, MachineInfo.cpuTicks());
        Step s = new Step(lobby, rate, n, answered.get(), failed.get(), join.getIntervalHistogram(),
                admit.getIntervalHistogram(), mute.getIntervalHistogram(), n / seconds, busy);
        System.out.printf("lobby %s, %d joins/s: %d of %d answered, join p50 %.1f p99 %.1f ms, admit p50 %.1f p99 %.1f ms,"
                        + " mute p50 %.1f p99 %.1f ms, machine %.0f %%%n", lobby ? "on" : "off", rate, s.answered(), n,
                ms(s.join(), 50), ms(s.join(), 99), ms(s.admit(), 50), ms(s.admit(), 99), ms(s.mute(), 50), ms(s.mute(), 99), busy);
        guests.forEach(WsClient::close);
        rooms.forEach(r -> r.host.close());
        return s;
    }

    private record Room(String meetingId, String code, WsClient host) {}

    /** One person opening the link; returns their open socket. */
    private WsClient joinOnce(Room room, boolean lobby, boolean measureMute, Recorder join, Recorder admit,
                              Recorder mute) throws Exception {
        JsonNode guest = rest.post("/api/v1/meetings/" + room.code() + "/guest", Map.of("displayName", "Guest"), null);
        WsClient c = WsClient.connect(http, opt.baseUrl());
        c.await("hello", ANSWER);
        long sent = System.nanoTime();
        c.send(Map.of("type", "join", "meetingId", room.meetingId(), "token", guest.path("token").asString()));
        String participant = guest.path("participantId").asString();
        if (!lobby) {
            join.recordValue(c.await("joined", ANSWER).receivedNanos() - sent);
        } else {
            join.recordValue(c.await("lobby", ANSWER).receivedNanos() - sent);
            long asked = System.nanoTime();
            room.host().send(Map.of("type", "host-action", "meetingId", room.meetingId(), "action", "admit",
                    "participantId", participant));
            admit.recordValue(c.await("joined", ANSWER).receivedNanos() - asked);
        }
        if (measureMute) {
            long asked = System.nanoTime();
            room.host().send(Map.of("type", "host-action", "meetingId", room.meetingId(), "action", "mute",
                    "participantId", participant, "audio", true));
            mute.recordValue(c.awaitMatching(f -> f.type().equals("muted-by-host"), ANSWER).receivedNanos() - asked);
        }
        return c;
    }

    private String report(List<Step> steps) {
        MachineInfo m = MachineInfo.current();
        StringBuilder b = new StringBuilder();
        b.append("### Join storms and host actions (gateway → Kafka → stream-apps → gateway) — ").append(LocalDate.now()).append("\n\n");
        b.append("Machine: ").append(m.cores()).append(" cores (").append(m.cpuModel()).append("), Java ").append(m.java())
                .append("; the all-in-one stack, the tool on the same machine. ").append(opt.rooms())
                .append(" rooms with their host present; each join is a guest token, a WebSocket and `join`, open loop, ")
                .append(opt.duration().toSeconds()).append(" s per step; every fifth guest (lobby off) is muted by the host.\n\n");
        b.append("| lobby | joins/s asked (achieved) | answered / started | join → joined (lobby: → `lobby`) p50 / p99 ms | admit → joined p50 / p99 ms | mute → `muted-by-host` p50 / p99 ms | machine busy |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Step s : steps) {
            b.append(String.format("| %s | %d (%.1f) | %d / %d | %s | %s | %s | %.0f %% |%n", s.lobby() ? "on" : "off", s.rate(),
                    s.achievedRate(), s.answered(), s.started(), pair(s.join()), pair(s.admit()), pair(s.mute()), s.machineBusyPct()));
        }
        return b.toString();
    }

    private static String pair(Histogram h) {
        return h.getTotalCount() == 0 ? "–" : String.format("%.1f / %.1f", ms(h, 50), ms(h, 99));
    }

    private static double ms(Histogram h, double pct) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(pct) / 1e6;
    }

}
