package dev.rendezvous.e2e.bench;

import static dev.rendezvous.e2e.bench.MediaBenchmark.log;
import static dev.rendezvous.e2e.bench.MediaBenchmark.pct;

import dev.rendezvous.e2e.Api;
import dev.rendezvous.e2e.Browser;
import dev.rendezvous.stack.App;
import dev.rendezvous.stack.AppInstance;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.RoomPlacement;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Failover time as a person lives it (issue 11's "kill → video back, p50/p95 over ≥ 10 kills"): two Chromium pages
 * in a call on a stack with two forwarders ({@code fwd-1}, {@code fwd-2}); the room's primary is SIGKILLed, and the
 * round's figure is kill → the later of the two pages decoding the other's video on its new subscribe connection.
 * The killed forwarder is started again with the same id before the next round (a fresh meeting each round).
 *
 * <p>Besides the total it reports where the time goes, every step as ms after the kill: the killed forwarder's last
 * metrics record (negative: before the kill), stream-apps' decision (the MIGRATING placement's record time), and
 * each page's steps from a probe injected before the page's own scripts (WebSocket frames in and out, PeerConnection
 * states, the first RTP packet and first decoded frame of the new subscribe connection, polled in the page every
 * 40 ms). Clocks: all on this machine; the page's {@code performance.timeOrigin + now()} is epoch milliseconds.
 *
 * <p>Run by hand, never part of {@code mvn verify} (the class name matches none of failsafe's includes):
 * <pre>
 * mvn -B -o verify -pl e2e-tests -am -Dit.test=FailoverBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * System properties: {@code bench.rounds} (12), {@code bench.warmupRounds} (1), {@code bench.report}
 * (../docs/benchmarks.md; "none" to skip), {@code bench.forwarderArgs} (extra forwarder arguments, comma-separated),
 * {@code bench.streamsArgs} (the same for stream-apps), {@code bench.startupMinutes} (8: how long each app may take to
 * start), {@code bench.keepLogs} (a directory: the stack's logs are copied there). It reports; it never fails on a
 * missed target.
 */
class FailoverBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 12);
    private static final int WARMUP = Integer.getInteger("bench.warmupRounds", 1);
    private static final long TARGET_MS = 5000;

    /** Timestamps signaling, PeerConnection states and the subscribe connection's first packet and frame. */
    private static final String PROBE = """
            (() => {
              const now = () => performance.timeOrigin + performance.now();
              const b = window.__fo = { ev: [] };
              const rec = (e) => { e.t = now(); b.ev.push(e); if (b.ev.length > 4000) b.ev.splice(0, 1000); };
              const NWS = window.WebSocket;
              window.WebSocket = class extends NWS {
                constructor(...a) {
                  super(...a);
                  this.addEventListener('message', (m) => { try { const f = JSON.parse(m.data);
                    rec({ k: 'in', type: f.type, n: Array.isArray(f.tracks) ? f.tracks.length : null }); } catch (x) {} });
                }
                send(d) { try { rec({ k: 'out', type: JSON.parse(d).type }); } catch (x) {} return super.send(d); }
              };
              const NPC = window.RTCPeerConnection; let n = 0;
              window.RTCPeerConnection = class extends NPC {
                constructor(...a) {
                  super(...a); const id = ++n; this.__foId = id; rec({ k: 'pc-new', id });
                  this.addEventListener('connectionstatechange', () => rec({ k: 'pc', id, state: this.connectionState }));
                  this.addEventListener('iceconnectionstatechange', () => rec({ k: 'ice', id, state: this.iceConnectionState }));
                }
              };
              setInterval(async () => {
                const m = window.rendezvousMedia; const pub = m && m.publishPc;
                if (!pub || pub.__foSent || pub.signalingState === 'closed') return;
                try {
                  const s = await pub.getStats();
                  s.forEach((r) => {
                    if (r.type !== 'outbound-rtp' || r.kind !== 'video') return;
                    if (!pub.__foEnc && r.framesEncoded > 0) { pub.__foEnc = true; rec({ k: 'enc', id: pub.__foId }); }
                    if (!pub.__foSent && r.packetsSent > 0) { pub.__foSent = true; rec({ k: 'sent', id: pub.__foId }); }
                  });
                } catch (e) { /* closed meanwhile */ }
              }, 40);
              setInterval(async () => {
                const m = window.rendezvousMedia; const pc = m && m.subscribePc;
                if (!pc || pc.__foFrame || pc.signalingState === 'closed') return;
                try {
                  const s = await pc.getStats();
                  s.forEach((r) => {
                    if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
                    if (!pc.__foRtp && r.packetsReceived > 0) { pc.__foRtp = true; rec({ k: 'rtp', id: pc.__foId }); }
                    if (!pc.__foFrame && r.framesDecoded > 0) { pc.__foFrame = true; rec({ k: 'frame', id: pc.__foId }); }
                  });
                } catch (e) { /* closed meanwhile */ }
              }, 40);
            })();
            """;

    /** A page's steps after the kill, as {@code [name, kind, type|state, pcId, tracks, epochMs]}. */
    private static final String EVENTS = """
            const b = window.__fo; const m = window.rendezvousMedia; if (!b) return null;
            return { sub: m && m.subscribePc ? m.subscribePc.__foId : null, pub: m && m.publishPc ? m.publishPc.__foId : null,
                     ev: b.ev.filter(e => e.t >= arguments[0]) };
            """;

    private static Stack stack;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("rdv-failoverbench-");
        var b = Stack.builder(work.resolve("stack"))
                .freePorts()
                .apps(App.EDGE_GATEWAY, App.STREAM_APPS, App.MEDIA_FORWARDER)
                .instances(App.MEDIA_FORWARDER, 2)
                .clickHouse(false)
                .appArgs(App.EDGE_GATEWAY, "--rendezvous.limits.guest-tokens=100000",
                        "--rendezvous.limits.sockets-per-address=100000")
                // a busy shared machine starts JVMs slowly
                .appStartupTimeout(Duration.ofMinutes(Integer.getInteger("bench.startupMinutes", 8)))
                .listener(StackListener.logging());
        String fwdArgs = System.getProperty("bench.forwarderArgs", "");
        if (!fwdArgs.isBlank()) {
            b.appArgs(App.MEDIA_FORWARDER, fwdArgs.split(","));
        }
        String streamsArgs = System.getProperty("bench.streamsArgs", "");
        if (!streamsArgs.isBlank()) {
            b.appArgs(App.STREAM_APPS, streamsArgs.split(","));
        }
        stack = b.build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        String keep = System.getProperty("bench.keepLogs", "");
        if (work != null && !keep.isEmpty()) {
            Path logs = work.resolve("stack").resolve("logs");
            Files.createDirectories(Path.of(keep));
            try (var s = Files.list(logs)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, Path.of(keep).resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (work != null) {
            try (var s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** One round: each step's ms after the kill (per page for page steps: "alice.x", "bob.x"), and the total. */
    record Round(int n, String from, String to, long totalMs, Map<String, Double> steps) {}

    @Test
    void killTheRoomsForwarderAgainAndAgain() throws Exception {
        List<Round> rounds = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Topology topo = new Topology(stack.kafkaBootstrapServers());
             Page alice = Page.launch("Alice"); Page bob = Page.launch("Bob")) {
            topo.start();
            for (int i = 0; i < WARMUP + ROUNDS; i++) {
                try {
                    Round r = round(i, topo, alice, bob);
                    log("round %d (%s): %s", i, i < WARMUP ? "warm-up" : "counted", r);
                    if (i >= WARMUP) {
                        rounds.add(r);
                    }
                } catch (Exception e) {
                    problems.add("round " + i + ": " + e.getMessage());
                    log("round %d failed: %s", i, e);
                }
            }
        }
        String md = report(rounds, problems);
        System.out.println(md);
        MediaBenchmark.report("failover", md);
    }

    private Round round(int n, Topology topo, Page alice, Page bob) throws Exception {
        Api api = new Api(stack.gatewayBaseUrl());
        Api.Meeting meeting = api.createMeeting(api.newUserToken("Bench"), "failover " + n);
        String url = meeting.joinUrl();
        String meetingId = meeting.meetingId();
        alice.open(url + "?name=Alice&autojoin=1");
        bob.open(url + "?name=Bob&autojoin=1");
        for (Page p : List.of(alice, bob)) {
            await(p.name + " decodes", Duration.ofSeconds(60), p::decodingOnCurrent);
        }
        RoomPlacement placed = await("the room's placement", Duration.ofSeconds(30), () -> topo.placements.get(meetingId));
        String primary = placed.primaryForwarderId();
        AppInstance victim = stack.instances(App.MEDIA_FORWARDER).stream().filter(x -> primary.equals(x.id()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no forwarder " + primary + " in the stack"));
        Map<String, Long> oldSub = Map.of(alice.name, alice.subPcId(), bob.name, bob.subPcId());

        long killed = System.currentTimeMillis();
        stack.stopApp(victim.name(), true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Double> steps = new LinkedHashMap<>();
        Map<String, Long> back = new LinkedHashMap<>();
        while (back.size() < 2 && System.nanoTime() < deadline) {
            for (Page p : List.of(alice, bob)) {
                if (!back.containsKey(p.name)) {
                    Long at = p.frameOnNewPc(killed, oldSub.get(p.name));
                    if (at != null) {
                        back.put(p.name, at);
                    }
                }
            }
            Thread.sleep(50);
        }
        if (back.size() < 2) {
            restart(victim);
            throw new IllegalStateException("not both pages decoded within 30 s of the kill: " + back.keySet());
        }
        Long lastMetrics = topo.lastMetricsAt.get(primary);
        if (lastMetrics != null) {
            steps.put("last metrics record of the killed forwarder", (double) (lastMetrics - killed));
        }
        RoomPlacement moved = topo.migrating.get(meetingId);
        Long decided = topo.migratingAt.get(meetingId);
        if (decided != null) {
            steps.put("MIGRATING placement (its record time: the decision)", (double) (decided - killed));
        }
        for (Page p : List.of(alice, bob)) {
            p.steps(killed, oldSub.get(p.name)).forEach((k, v) -> steps.put(p.name.toLowerCase(Locale.ROOT) + "." + k, v));
        }
        long total = back.values().stream().mapToLong(t -> t - killed).max().orElseThrow();
        restart(victim);
        for (Page p : List.of(alice, bob)) {
            p.leave();
        }
        return new Round(n, primary, moved == null ? "?" : moved.primaryForwarderId(), total, steps);
    }

    private static void restart(AppInstance victim) throws Exception {
        stack.startApp(victim.name());
    }

    // ------------------------------------------------------------------ report

    /** The steps in the order of a failover; page steps are folded over both pages. */
    private static final List<String> PAGE_STEPS = List.of("media-moved in", "media-subscribe out", "publish offer out",
            "publish answer in", "first subscribe offer in", "subscribe offer with tracks in", "subscribe answer out",
            "publish connected", "subscribe connected", "publish first video frame encoded", "publish first video packet sent",
            "subscribe first video packet", "subscribe first frame decoded");

    private static String report(List<Round> rounds, List<String> problems) {
        StringBuilder md = new StringBuilder();
        md.append("### Failover: SIGKILL of the room's forwarder → both pages decode again — ").append(LocalDate.now())
                .append("\n\n");
        md.append(MediaBenchmark.machine()).append("\n\n");
        md.append("Conditions: the all-in-one stack (Kafka broker, PostgreSQL, s3proxy, edge-gateway, stream-apps and two "
                + "media-forwarders `fwd-1`, `fwd-2` as child JVMs of the tool) and two headless Chromium pages (Chromium's "
                + "fake camera) on this machine. Each round: a fresh meeting, both pages join and decode each other, the room's "
                + "primary forwarder is SIGKILLed, the round's figure is kill → the later of the two pages decoding the other's "
                + "video on its new subscribe connection (first decoded frame, polled in the page every 40 ms); then the killed "
                + "forwarder starts again with the same id and the pages leave. ").append(WARMUP)
                .append(" warm-up round not counted. Percentiles are nearest-rank.\n\n");
        List<Double> totals = rounds.stream().map(r -> (double) r.totalMs()).sorted().toList();
        if (!totals.isEmpty()) {
            md.append("| rounds | p50 ms | p95 ms | min ms | max ms | under 5 s |\n|---|---|---|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %d of %d |%n%n", totals.size(),
                    pct(totals, 50), pct(totals, 95), totals.get(0), totals.get(totals.size() - 1),
                    rounds.stream().filter(r -> r.totalMs() < TARGET_MS).count(), rounds.size()));
            md.append("Where the time goes (ms after the kill; page steps over both pages of every round):\n\n");
            md.append("| step | p50 | p95 | max |\n|---|---|---|---|\n");
            List<String> order = new ArrayList<>(List.of("last metrics record of the killed forwarder",
                    "MIGRATING placement (its record time: the decision)"));
            order.addAll(PAGE_STEPS);
            for (String step : order) {
                List<Double> v = new ArrayList<>();
                for (Round r : rounds) {
                    r.steps().forEach((k, x) -> {
                        if (k.equals(step) || k.endsWith("." + step)) {
                            v.add(x);
                        }
                    });
                }
                if (!v.isEmpty()) {
                    v.sort(Double::compare);
                    md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", step, pct(v, 50), pct(v, 95),
                            v.get(v.size() - 1)));
                }
            }
            md.append("\nEvery round, ms (kill → both decode): ")
                    .append(rounds.stream().map(r -> r.totalMs() + " (" + r.from() + "→" + r.to() + ")")
                            .collect(Collectors.joining(", ")))
                    .append(".\n");
        }
        if (!problems.isEmpty()) {
            md.append("\nProblems during the run: ").append(String.join("; ", problems)).append(".\n");
        }
        return md.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T await(String what, Duration timeout, java.util.concurrent.Callable<T> c) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T v = c.call();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    /** Reads placements and forwarder metrics as they come (record timestamps: the writers' clocks, this machine). */
    static final class Topology implements AutoCloseable {
        final Map<String, RoomPlacement> placements = new ConcurrentHashMap<>();
        final Map<String, RoomPlacement> migrating = new ConcurrentHashMap<>();
        final Map<String, Long> migratingAt = new ConcurrentHashMap<>();
        final Map<String, Long> lastMetricsAt = new ConcurrentHashMap<>();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Topology(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id",
                    "failover-bench-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.PLACEMENT_ASSIGNED.name(), Topics.FORWARDER_METRICS.name()));
            thread = new Thread(this::run, "failover-bench-topics");
            thread.setDaemon(true);
        }

        void start() throws Exception {
            thread.start();
        }

        private void run() {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (r.topic().equals(Topics.PLACEMENT_ASSIGNED.name())) {
                        RoomPlacement p = Topics.PLACEMENT_ASSIGNED.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        placements.put(p.meetingId(), p);
                        if (p.status() == RoomPlacement.Status.MIGRATING) {
                            migrating.put(p.meetingId(), p);
                            migratingAt.put(p.meetingId(), r.timestamp());
                        }
                    } else {
                        ForwarderMetrics m = Topics.FORWARDER_METRICS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                        lastMetricsAt.put(m.forwarderId(), r.timestamp());
                    }
                }
            }
            consumer.close();
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(5000);
        }
    }

    /** A headless Chromium with the probe. */
    static final class Page implements AutoCloseable {
        final String name;
        private final ChromeDriver driver;
        private final Path profile;

        private Page(String name, ChromeDriver driver, Path profile) {
            this.name = name;
            this.driver = driver;
            this.profile = profile;
        }

        static Page launch(String name) throws Exception {
            Path profile = Files.createTempDirectory("rdv-chromium-");
            ChromeOptions o = new ChromeOptions();
            Browser.headless(o, profile);
            ChromeDriver d = new ChromeDriver(Browser.driverService(), o);
            d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            d.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
            return new Page(name, d, profile);
        }

        void open(String url) {
            driver.get(url);
        }

        Object js(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeScript(script, args);
        }

        /** The page decodes video on its current subscribe connection. */
        Boolean decodingOnCurrent() {
            return Boolean.TRUE.equals(js("const m = window.rendezvousMedia; const pc = m && m.subscribePc; "
                    + "return !!pc && pc.__foFrame === true;"));
        }

        long subPcId() {
            Object r = js("const m = window.rendezvousMedia; return m && m.subscribePc ? m.subscribePc.__foId : -1;");
            return ((Number) r).longValue();
        }

        /** When the page first decoded a frame on a subscribe connection other than {@code oldPc}, after {@code since}. */
        Long frameOnNewPc(long since, long oldPc) {
            Object r = js("const b = window.__fo; if (!b) return null; "
                    + "const e = b.ev.find(e => e.k === 'frame' && e.id !== arguments[1] && e.t >= arguments[0]); "
                    + "return e ? Math.round(e.t) : null;", since, oldPc);
            return r == null ? null : ((Number) r).longValue();
        }

        /** Each step's first time after {@code since} (ms after it). */
        @SuppressWarnings("unchecked")
        Map<String, Double> steps(long since, long oldPc) {
            Map<String, Double> s = new LinkedHashMap<>();
            Object r = js(EVENTS, since);
            if (!(r instanceof Map<?, ?> m)) {
                return s;
            }
            List<Map<String, Object>> ev = (List<Map<String, Object>>) m.get("ev");
            Object sub = m.get("sub");
            Object pub = m.get("pub");
            java.util.function.BiConsumer<String, java.util.function.Predicate<Map<String, Object>>> first = (step, pred) ->
                    ev.stream().filter(pred).findFirst()
                            .ifPresent(e -> s.put(step, ((Number) e.get("t")).doubleValue() - since));
            first.accept("media-moved in", e -> "in".equals(e.get("k")) && "media-moved".equals(e.get("type")));
            first.accept("media-subscribe out", e -> "out".equals(e.get("k")) && "media-subscribe".equals(e.get("type")));
            first.accept("publish offer out", e -> "out".equals(e.get("k")) && "media-offer".equals(e.get("type")));
            first.accept("publish answer in", e -> "in".equals(e.get("k")) && "media-answer".equals(e.get("type")));
            first.accept("first subscribe offer in", e -> "in".equals(e.get("k")) && "media-offer".equals(e.get("type")));
            first.accept("subscribe offer with tracks in", e -> "in".equals(e.get("k")) && "media-offer".equals(e.get("type"))
                    && e.get("n") instanceof Number x && x.intValue() > 0);
            first.accept("subscribe answer out", e -> "out".equals(e.get("k")) && "media-answer".equals(e.get("type")));
            first.accept("publish connected", e -> "pc".equals(e.get("k")) && "connected".equals(e.get("state"))
                    && java.util.Objects.equals(e.get("id"), pub));
            first.accept("subscribe connected", e -> "pc".equals(e.get("k")) && "connected".equals(e.get("state"))
                    && java.util.Objects.equals(e.get("id"), sub));
            first.accept("publish first video frame encoded", e -> "enc".equals(e.get("k"))
                    && java.util.Objects.equals(e.get("id"), pub));
            first.accept("publish first video packet sent", e -> "sent".equals(e.get("k"))
                    && java.util.Objects.equals(e.get("id"), pub));
            first.accept("subscribe first video packet", e -> "rtp".equals(e.get("k"))
                    && !java.util.Objects.equals(((Number) e.get("id")).longValue(), oldPc));
            first.accept("subscribe first frame decoded", e -> "frame".equals(e.get("k"))
                    && !java.util.Objects.equals(((Number) e.get("id")).longValue(), oldPc));
            return s;
        }

        void leave() {
            try {
                js("const e = document.querySelector('[data-testid=leave]'); if (e) e.click(); return true;");
            } catch (RuntimeException e) {
                log("%s: leave click failed: %s", name, e.getMessage());
            }
            driver.get("about:blank");
        }

        @Override
        public void close() {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                log("quit failed: %s", e);
            } finally {
                try (var s = Files.walk(profile)) {
                    s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }
}
