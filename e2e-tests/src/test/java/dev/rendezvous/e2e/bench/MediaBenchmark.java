package dev.rendezvous.e2e.bench;

import dev.rendezvous.e2e.Browser;
import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The two media benchmarks of docs/benchmarks.md, run by hand (never part of the normal build: the class name
 * matches none of failsafe's default includes):
 *
 * <pre>
 * mvn -o -q install -DskipTests
 * mvn -o -pl e2e-tests verify -Dit.test=MediaBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <ol>
 *   <li><b>join</b>: one publisher browser stays in a meeting; a second browser joins it again and again (a fresh
 *       page load of the join link each time, same browser process), then a few more times each from a freshly
 *       launched browser process. Per join: {@code firstRemoteFrameAt - joinStartedAt} from the joining page, the
 *       page-load-start → first frame time, and the signaling/ICE steps in between (from a script injected before
 *       the page's own, wrapping WebSocket, RTCPeerConnection and getUserMedia; it only records timestamps).</li>
 *   <li><b>forwarding</b>: 2, 4, 6 browsers in one meeting, each with its own moving fake camera; after a warm-up,
 *       the forwarder's packet counters, bitrate gauges and CPU (/proc) over a window; then a JFR recording
 *       of the forwarder at the largest point, aggregated into top frames.</li>
 * </ol>
 *
 * It reports, it never fails on a missed target. System properties (all optional): {@code bench.joins} (20),
 * {@code bench.warmupJoins} (2), {@code bench.coldJoins} (10), {@code bench.clients} (2,4,6),
 * {@code bench.warmupSeconds} (20), {@code bench.measureSeconds} (30), {@code bench.profileSeconds} (30),
 * {@code bench.report} (../docs/benchmarks.md; "none" to skip), {@code bench.only} (join|forwarding),
 * {@code bench.keepLogs} (a directory: the stack's logs are copied there at the end, e.g. to read the forwarder's
 * per-connection DTLS timings).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CLK_TCK = 100; // USER_HZ on Linux

    private static final int JOINS = Integer.getInteger("bench.joins", 20);
    private static final int WARMUP_JOINS = Integer.getInteger("bench.warmupJoins", 2);
    private static final int COLD_JOINS = Integer.getInteger("bench.coldJoins", 10);
    private static final List<Integer> CLIENTS = java.util.Arrays.stream(System.getProperty("bench.clients", "2,4,6").split(","))
            .map(String::trim).map(Integer::parseInt).toList();
    private static final int WARMUP_S = Integer.getInteger("bench.warmupSeconds", 20);
    private static final int MEASURE_S = Integer.getInteger("bench.measureSeconds", 30);
    private static final int PROFILE_S = Integer.getInteger("bench.profileSeconds", 30);
    private static final String ONLY = System.getProperty("bench.only", "");
    private static final String CAMERA = "320x240 @ 15 fps";

    private static Stack stack;
    private static Path work;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    // ------------------------------------------------------------------ lifecycle

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("rdv-mediabench-");
        stack = Stack.builder(work.resolve("stack"))
                .freePorts()
                .apps(App.EDGE_GATEWAY, App.STREAM_APPS, App.MEDIA_FORWARDER)
                .clickHouse(false)
                // all synthetic participants come from 127.0.0.1
                .appArgs(App.EDGE_GATEWAY, "--rendezvous.limits.guest-tokens=100000",
                        "--rendezvous.limits.sockets-per-address=100000")
                .appStartupTimeout(Duration.ofMinutes(4))
                .listener(StackListener.logging())
                .build()
                .start();
        for (int i = 0; i < 8; i++) {
            camera(i);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        String keep = System.getProperty("bench.keepLogs", "");
        if (work != null && !keep.isEmpty()) {
            Path logs = work.resolve("stack").resolve("logs");
            Path to = Path.of(keep);
            Files.createDirectories(to);
            if (Files.isDirectory(logs)) {
                try (var s = Files.list(logs)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        if (work != null) {
            try (var s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** A moving y4m test pattern (testsrc2), hue-shifted per index so each camera differs; 10 s, looped by Chromium. */
    static Path camera(int i) throws Exception {
        Path f = work.resolve("cam" + i + ".y4m");
        if (!Files.exists(f)) {
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc2=size=320x240:rate=15", "-vf", "hue=h=" + (i * 45), "-t", "10", "-pix_fmt", "yuv420p",
                    f.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed for " + f + ": " + new String(p.getInputStream().readAllBytes()));
            }
        }
        return f;
    }

    // ------------------------------------------------------------------ benchmark 1: join → first remote frame

    record Join(String kind, double joinToFrame, double loadToFrame, Map<String, Double> steps, double launchMs) {}

    @Test
    @Order(1)
    void joinToFirstRemoteFrame() throws Exception {
        if (!ONLY.isEmpty() && !ONLY.equals("join")) {
            return;
        }
        String joinUrl = newMeeting("join latency");
        List<Join> warm = new ArrayList<>();
        List<Join> cold = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long leaveWaitTotal = 0;
        try (Chromium publisher = Chromium.launch(camera(0))) {
            publisher.open(joinUrl + "?name=Publisher&autojoin=1");
            awaitTrue("publisher on the forwarder", Duration.ofSeconds(60), () -> gauge("participants") >= 1);
            try (Chromium joiner = Chromium.launch(camera(1))) {
                for (int i = 0; i < WARMUP_JOINS + JOINS; i++) {
                    Join j = joinOnce(joiner, joinUrl, "page", 0, problems);
                    leaveWaitTotal += leave(joiner, problems);
                    if (i >= WARMUP_JOINS && j != null) {
                        warm.add(j);
                    }
                    log("join %d (%s): %s", i, i < WARMUP_JOINS ? "warm-up" : "counted", j);
                }
            }
            for (int i = 0; i < COLD_JOINS; i++) {
                long t0 = System.nanoTime();
                try (Chromium fresh = Chromium.launch(camera(1 + (i % 3)))) {
                    double launchMs = (System.nanoTime() - t0) / 1e6;
                    Join j = joinOnce(fresh, joinUrl, "process", launchMs, problems);
                    leave(fresh, problems);
                    if (j != null) {
                        cold.add(j);
                    }
                    log("cold join %d: %s", i, j);
                }
            }
        }
        String md = joinReport(warm, cold, problems, leaveWaitTotal);
        System.out.println(md);
        report("media-join", md);
    }

    private static final String STEP_SCRIPT = """
            const b = window.__bench; if (!b) return null;
            const m = window.rendezvousMedia; const j0 = m.joinStartedAt;
            const first = (pred) => { const e = b.ev.find(pred); return e ? e.t - j0 : null; };
            const pubPc = m.publishPc ? m.publishPc.__benchId : null, subPc = m.subscribePc ? m.subscribePc.__benchId : null;
            return {
              joined: first(e => e.k === 'in' && e.type === 'joined'),
              gumDone: first(e => e.k === 'gum-done'),
              publishOfferSent: first(e => e.k === 'out' && e.type === 'media-offer'),
              publishAnswerIn: first(e => e.k === 'in' && e.type === 'media-answer'),
              publishConnected: first(e => e.k === 'pc' && e.id === pubPc && e.state === 'connected'),
              subscribeOfferIn: first(e => e.k === 'in' && e.type === 'media-offer'),
              subscribeAnswerSent: first(e => e.k === 'out' && e.type === 'media-answer'),
              subscribeIceConnected: first(e => e.k === 'ice' && e.id === subPc && (e.state === 'connected' || e.state === 'completed')),
              subscribeConnected: first(e => e.k === 'pc' && e.id === subPc && e.state === 'connected'),
              remoteTrack: first(e => e.k === 'track' && e.id === subPc),
              firstFrame: m.firstRemoteFrameAt - j0,
              wsOpen: first(e => e.k === 'ws-open'),
              pageLoadToJoin: j0
            };
            """;

    static final List<String> STEP_ORDER = List.of("pageLoadToJoin", "joined", "gumDone", "publishOfferSent", "publishAnswerIn",
            "publishConnected", "subscribeOfferIn", "remoteTrack", "subscribeAnswerSent", "subscribeIceConnected",
            "subscribeConnected", "firstFrame");

    private Join joinOnce(Chromium b, String joinUrl, String kind, double launchMs, List<String> problems) {
        try {
            b.open(joinUrl + "?name=Joiner&autojoin=1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Object r = null;
            while (System.nanoTime() < deadline) {
                r = b.js("const m = window.rendezvousMedia; return m && m.firstRemoteFrameAt != null && m.joinStartedAt != null "
                        + "? [m.joinStartedAt, m.firstRemoteFrameAt] : null");
                if (r != null) {
                    break;
                }
                Thread.sleep(50);
            }
            if (!(r instanceof List<?> l)) {
                problems.add(kind + " join: no remote frame within 30 s");
                return null;
            }
            double js = ((Number) l.get(0)).doubleValue();
            double ff = ((Number) l.get(1)).doubleValue();
            Map<String, Double> steps = new LinkedHashMap<>();
            Object s = b.js(STEP_SCRIPT);
            if (s instanceof Map<?, ?> map) {
                map.forEach((k, v) -> steps.put(String.valueOf(k), v == null ? null : ((Number) v).doubleValue()));
            }
            return new Join(kind, ff - js, ff, steps, launchMs);
        } catch (Exception e) {
            problems.add(kind + " join: " + e);
            return null;
        }
    }

    /** Leaves by the page's button, then waits until the forwarder shows only the publisher; returns the wait in ms. */
    private long leave(Chromium b, List<String> problems) throws Exception {
        long t0 = System.nanoTime();
        try {
            b.js("const e = document.querySelector('[data-testid=leave]'); if (e) e.click(); return true;");
        } catch (RuntimeException e) {
            problems.add("leave click: " + e.getMessage());
        }
        boolean gone = awaitTrue(null, Duration.ofSeconds(15), () -> gauge("participants") <= 1);
        if (!gone) {
            problems.add("forwarder still showed " + gauge("participants") + " participants 15 s after a leave");
        }
        b.open("about:blank");
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private String joinReport(List<Join> warm, List<Join> cold, List<String> problems, long leaveWaitTotal) {
        StringBuilder md = new StringBuilder();
        md.append("### Join → first remote frame — ").append(LocalDate.now()).append("\n\n");
        md.append(machine()).append("\n\n");
        md.append("Conditions: everything on this one machine — the all-in-one stack (Kafka broker, PostgreSQL, s3proxy, "
                + "edge-gateway, stream-apps, media-forwarder as child JVMs of the tool) and both headless Chromium processes; "
                + "media over UDP on loopback. Publisher camera: y4m test pattern (testsrc2) ").append(CAMERA)
                .append("; joiner camera: another one of the same size. Each join is a fresh page load of `/j/{code}?name=Joiner&autojoin=1`; "
                        + "between joins the page clicks Leave and the tool waits until the forwarder's `participants` gauge is back to 1. ")
                .append(WARMUP_JOINS).append(" warm-up joins not counted. Percentiles are nearest-rank.\n\n");
        md.append("| joins | n | join → first frame p50 ms | p95 ms | min ms | max ms | page-load start → first frame p50 ms | p95 ms |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (var e : List.of(Map.entry("same browser process, fresh page load each time", warm),
                Map.entry("fresh Chromium process each time (launch not counted)", cold))) {
            List<Double> jf = e.getValue().stream().map(Join::joinToFrame).sorted().toList();
            List<Double> lf = e.getValue().stream().map(Join::loadToFrame).sorted().toList();
            if (jf.isEmpty()) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |%n", e.getKey(), jf.size(),
                    pct(jf, 50), pct(jf, 95), jf.get(0), jf.get(jf.size() - 1), pct(lf, 50), pct(lf, 95)));
        }
        List<Join> all = new ArrayList<>(warm);
        all.addAll(cold);
        if (!all.isEmpty()) {
            md.append("\nWhere the join time goes (same-process joins; ms after the page sent `join`, p50 / p95 of each step's timestamp; "
                    + "`pageLoadToJoin` is navigation start → `join` sent):\n\n");
            md.append("| step (time since `join` sent) | p50 ms | p95 ms |\n|---|---|---|\n");
            for (String step : STEP_ORDER) {
                List<Double> v = warm.stream().map(j -> j.steps().get(step)).filter(x -> x != null).sorted().toList();
                if (!v.isEmpty()) {
                    md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", step, pct(v, 50), pct(v, 95)));
                }
            }
            List<Double> launch = cold.stream().map(Join::launchMs).sorted().toList();
            if (!launch.isEmpty()) {
                md.append(String.format(Locale.ROOT, "%nChromium + chromedriver launch (not in the figures above): p50 %.0f ms.%n", pct(launch, 50)));
            }
            md.append("\nEvery join, ms (join → first frame): same process ")
                    .append(warm.stream().map(j -> String.format(Locale.ROOT, "%.0f", j.joinToFrame())).collect(Collectors.joining(", ")))
                    .append("; fresh process ")
                    .append(cold.stream().map(j -> String.format(Locale.ROOT, "%.0f", j.joinToFrame())).collect(Collectors.joining(", ")))
                    .append(".\n");
        }
        md.append(String.format(Locale.ROOT, "%nTarget p50 < 400 ms, p95 < 800 ms: %s.%n", verdict(warm)));
        if (!problems.isEmpty()) {
            md.append("\nProblems during the run: ").append(String.join("; ", problems)).append(".\n");
        }
        return md.toString();
    }

    private static String verdict(List<Join> joins) {
        List<Double> jf = joins.stream().map(Join::joinToFrame).sorted().toList();
        if (jf.isEmpty()) {
            return "no data";
        }
        boolean ok = pct(jf, 50) < 400 && pct(jf, 95) < 800;
        return (ok ? "**met**" : "**not met**") + String.format(Locale.ROOT, " (p50 %.0f ms, p95 %.0f ms over %d joins)", pct(jf, 50), pct(jf, 95), jf.size());
    }

    // ------------------------------------------------------------------ benchmark 2: forwarding cost

    record Point(int clients, double seconds, double pktsIn, double pktsOut, double bpsIn, double bpsOut, double fwdCpu,
                 double packetThreadCpu, double chromiumCpu, double gatewayCpu, double streamAppsCpu, double machineBusy,
                 String loadavg, int pairs, int pairsRising, double minFps, double medianFps, Map<String, Double> stages,
                 double gaugeStreamsOut, double gaugeCpuLoad) {}

    @Test
    @Order(2)
    void forwardingCost() throws Exception {
        if (!ONLY.isEmpty() && !ONLY.equals("forwarding")) {
            return;
        }
        List<Point> points = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String profile = null;
        int profileAt = CLIENTS.stream().max(Integer::compare).orElse(0);
        for (int n : CLIENTS) {
            String joinUrl = newMeeting("forwarding " + n);
            List<Chromium> browsers = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    Chromium b = Chromium.launch(camera(i));
                    browsers.add(b);
                    b.open(joinUrl + "?name=C" + i + "&autojoin=1");
                }
                boolean up = awaitTrue(null, Duration.ofSeconds(120), () -> {
                    for (Chromium b : browsers) {
                        Map<String, Long> f = frames(b);
                        if (f.size() < n - 1 || f.values().stream().anyMatch(v -> v <= 0)) {
                            return false;
                        }
                    }
                    return true;
                });
                if (!up) {
                    problems.add(n + " clients: not every client decoded every other within 120 s");
                }
                log("%d clients up=%s; warm-up %d s", n, up, WARMUP_S);
                Thread.sleep(WARMUP_S * 1000L);
                points.add(measure(n, browsers));
                log("%s", points.get(points.size() - 1));
                if (n == profileAt) {
                    profile = profileForwarder(problems);
                }
            } finally {
                for (Chromium b : browsers) {
                    b.close();
                }
            }
            awaitTrue(null, Duration.ofSeconds(20), () -> gauge("participants") <= 0);
        }
        String md = forwardingReport(points, profile, profileAt, problems);
        System.out.println(md);
        report("media-forwarding", md);
    }

    private Point measure(int n, List<Chromium> browsers) throws Exception {
        long fwdPid = stack.appPid(App.MEDIA_FORWARDER);
        long gwPid = stack.appPid(App.EDGE_GATEWAY);
        long saPid = stack.appPid(App.STREAM_APPS);
        Map<String, Double> prom0 = prometheus();
        long fwd0 = procTicks(fwdPid), gw0 = procTicks(gwPid), sa0 = procTicks(saPid), pt0 = threadTicks(fwdPid, "media-packets");
        Map<Long, Long> chrome0 = chromiumTicks();
        long[] sys0 = machineTicks();
        List<Map<String, Long>> frames0 = browsers.stream().map(MediaBenchmark::frames).toList();
        long t0 = System.nanoTime();
        List<Double> bpsIn = new ArrayList<>(), bpsOut = new ArrayList<>(), streams = new ArrayList<>(), cpuLoad = new ArrayList<>();
        long end = t0 + TimeUnit.SECONDS.toNanos(MEASURE_S);
        while (System.nanoTime() < end) {
            Map<String, Double> p = prometheus();
            bpsIn.add(p.getOrDefault("rendezvous_forwarder_load{figure=\"bitrate_in_bps\"}", Double.NaN));
            bpsOut.add(p.getOrDefault("rendezvous_forwarder_load{figure=\"bitrate_out_bps\"}", Double.NaN));
            streams.add(p.getOrDefault("rendezvous_forwarder_load{figure=\"streams_out\"}", Double.NaN));
            cpuLoad.add(p.getOrDefault("rendezvous_forwarder_load{figure=\"cpu_load\"}", Double.NaN));
            Thread.sleep(5000); // the scrape itself costs the forwarder CPU; keep it rare
        }
        List<Map<String, Long>> frames1 = browsers.stream().map(MediaBenchmark::frames).toList();
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> prom1 = prometheus();
        long fwd1 = procTicks(fwdPid), gw1 = procTicks(gwPid), sa1 = procTicks(saPid), pt1 = threadTicks(fwdPid, "media-packets");
        Map<Long, Long> chrome1 = chromiumTicks();
        long[] sys1 = machineTicks();
        long chromeDelta = 0;
        for (var e : chrome1.entrySet()) {
            Long before = chrome0.get(e.getKey());
            if (before != null) {
                chromeDelta += e.getValue() - before;
            }
        }
        int pairs = 0, rising = 0;
        List<Double> fps = new ArrayList<>();
        for (int i = 0; i < browsers.size(); i++) {
            for (var e : frames1.get(i).entrySet()) {
                pairs++;
                long before = frames0.get(i).getOrDefault(e.getKey(), 0L);
                if (e.getValue() > before) {
                    rising++;
                }
                fps.add((e.getValue() - before) / secs);
            }
        }
        fps.sort(null);
        Map<String, Double> stages = new TreeMap<>();
        prom1.forEach((k, v) -> {
            if (k.startsWith("rendezvous_forwarder_stage_packets_total")) {
                double d = v - prom0.getOrDefault(k, 0.0);
                if (d > 0) {
                    stages.put(k.substring("rendezvous_forwarder_stage_packets_total".length()), d / secs);
                }
            }
        });
        double busy = (double) ((sys1[0] - sys0[0]) - (sys1[1] - sys0[1])) / Math.max(1, sys1[0] - sys0[0]);
        return new Point(n, secs,
                (prom1.getOrDefault("rendezvous_forwarder_udp_packets_in_total", 0.0) - prom0.getOrDefault("rendezvous_forwarder_udp_packets_in_total", 0.0)) / secs,
                (prom1.getOrDefault("rendezvous_forwarder_udp_packets_out_total", 0.0) - prom0.getOrDefault("rendezvous_forwarder_udp_packets_out_total", 0.0)) / secs,
                mean(bpsIn), mean(bpsOut), cpu(fwd1 - fwd0, secs), cpu(pt1 - pt0, secs), cpu(chromeDelta, secs), cpu(gw1 - gw0, secs),
                cpu(sa1 - sa0, secs), busy, Files.readString(Path.of("/proc/loadavg")).trim(), pairs, rising,
                fps.isEmpty() ? 0 : fps.get(0), fps.isEmpty() ? 0 : pct(fps, 50), stages, mean(streams), mean(cpuLoad));
    }

    /** JFR (settings=profile: 10 ms Java samples, 20 ms native) on the running forwarder, aggregated per thread and frame. */
    private String profileForwarder(List<String> problems) throws Exception {
        long pid = stack.appPid(App.MEDIA_FORWARDER);
        Path jfr = work.resolve("forwarder.jfr");
        String name = "bench";
        if (!jcmd(pid, "JFR.start", "name=" + name, "settings=profile", problems)) {
            return null;
        }
        Thread.sleep(PROFILE_S * 1000L);
        jcmd(pid, "JFR.dump", "name=" + name, "filename=" + jfr, problems);
        jcmd(pid, "JFR.stop", "name=" + name, problems);
        if (!Files.exists(jfr)) {
            problems.add("no JFR file");
            return null;
        }
        Path keep = Path.of("target", "media-forwarder.jfr").toAbsolutePath();
        Files.copy(jfr, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> topFrame = new HashMap<>();
        Map<String, Integer> ourFrame = new HashMap<>();
        Map<String, Integer> category = new LinkedHashMap<>();
        Map<String, Integer> nativeFrame = new HashMap<>();
        int packetSamples = 0, nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            String t = thread == null ? "?" : thread.replaceAll("-\\d+$", "-N");
            byThread.merge(t + (type.equals("jdk.NativeMethodSample") ? " (in native)" : ""), 1, Integer::sum);
            if (!"media-packets".equals(thread) || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            if (type.equals("jdk.NativeMethodSample")) {
                // a thread in native code is sampled whether it runs or blocks (receive0 waiting for a packet is idle)
                nativeSamples++;
                nativeFrame.merge(method(frames.get(0)), 1, Integer::sum);
                continue;
            }
            packetSamples++;
            topFrame.merge(method(frames.get(0)), 1, Integer::sum);
            frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("dev.rendezvous")).findFirst()
                    .ifPresent(f -> ourFrame.merge(method(f), 1, Integer::sum));
            category.merge(categorise(frames), 1, Integer::sum);
        }
        StringBuilder md = new StringBuilder();
        int total = byThread.values().stream().mapToInt(Integer::intValue).sum();
        md.append(String.format(Locale.ROOT, "JFR `settings=profile` for %d s (Java stacks every 10 ms per running thread; threads in native "
                + "code every 20 ms, running or blocked), %d samples in all; `media-packets` thread: %d samples running Java code, %d in native code.%n%n", PROFILE_S, total, packetSamples, nativeSamples));
        md.append("Samples per thread:\n\n| thread | samples | share |\n|---|---|---|\n");
        top(byThread, 8).forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %d | %.0f %% |%n", e.getKey().replace("|", "\\|"), e.getValue(), 100.0 * e.getValue() / total)));
        md.append("\n`media-packets` thread in native code (20-ms samples; `receive0` is mostly the thread blocked waiting for the next packet):\n\n| native frame | samples |\n|---|---|\n");
        top(nativeFrame, 5).forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %d |%n", e.getKey(), e.getValue())));
        md.append("\n`media-packets` thread running Java code (10-ms samples), by what the sample was inside (first matching frame from the top):\n\n| inside | share |\n|---|---|\n");
        final int ps = Math.max(1, packetSamples);
        top(category, 12).forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %.0f %% |%n", e.getKey(), 100.0 * e.getValue() / ps)));
        md.append("\n`media-packets` thread, top frames (self time):\n\n| frame | share |\n|---|---|\n");
        top(topFrame, 15).forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / ps)));
        md.append("\n`media-packets` thread, innermost frame of our own code (`dev.rendezvous…`) on the stack:\n\n| our method | share |\n|---|---|\n");
        top(ourFrame, 12).forEach(e -> md.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / ps)));
        return md.toString();
    }

    private static final List<Map.Entry<String, List<String>>> CATEGORIES = List.of(
            Map.entry("AES-GCM (SRTP encrypt/decrypt)", List.of("GaloisCounterMode", "GHASH", "com.sun.crypto.provider.GCTR", "AESCrypt", "AES_GCM", "GCM")),
            Map.entry("AES-CTR / HMAC-SHA1 (SRTP AES_CM)", List.of("CounterMode", "HmacCore", "SHA.implCompress", "SHA", "Mac.", "HMAC", "Hmac")),
            Map.entry("javax.crypto plumbing (Cipher init/update)", List.of("javax.crypto", "com.sun.crypto")),
            Map.entry("DatagramChannel.send", List.of("DatagramChannelImpl.send", "DatagramChannelImpl.sendFromNativeBuffer", "DatagramChannelImpl.send0")),
            Map.entry("DatagramChannel.receive", List.of("DatagramChannelImpl.receive", "DatagramChannelImpl.receive0")),
            Map.entry("Selector / poll", List.of("SelectorImpl", "EPoll", "Selector")),
            Map.entry("ByteBuffer copies", List.of("ByteBuffer", "Unsafe.copyMemory", "arraycopy")),
            Map.entry("collections / lookups", List.of("java.util.HashMap", "ConcurrentHashMap", "java.util."))
    );

    private static String categorise(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String m = method(f);
            for (var c : CATEGORIES) {
                for (String key : c.getValue()) {
                    if (m.contains(key)) {
                        return c.getKey();
                    }
                }
            }
            if (m.startsWith("dev.rendezvous")) {
                return "our own code (self)";
            }
        }
        return "other JDK";
    }

    private static String method(RecordedFrame f) {
        String cls = f.getMethod().getType().getName();
        return cls + "." + f.getMethod().getName();
    }

    private static List<Map.Entry<String, Integer>> top(Map<String, Integer> m, int n) {
        return m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n).toList();
    }

    private static boolean jcmd(long pid, String cmd, String a, List<String> problems) throws Exception {
        return jcmd(pid, new String[] {cmd, a}, problems);
    }

    private static boolean jcmd(long pid, String cmd, String a, String b, List<String> problems) throws Exception {
        return jcmd(pid, new String[] {cmd, a, b}, problems);
    }

    private static boolean jcmd(long pid, String[] args, List<String> problems) throws Exception {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        log("jcmd %s: %s", String.join(" ", args), out.trim());
        if (!ok) {
            problems.add("jcmd " + String.join(" ", args) + " failed: " + out.trim());
        }
        return ok;
    }

    private String forwardingReport(List<Point> points, String profile, int profileAt, List<String> problems) {
        StringBuilder md = new StringBuilder();
        md.append("### Forwarding cost — ").append(LocalDate.now()).append("\n\n");
        md.append(machine()).append("\n\n");
        md.append("Conditions: everything on this one machine — the all-in-one stack and all N headless Chromium processes "
                + "(each with its own y4m test-pattern camera, testsrc2 ").append(CAMERA)
                .append(", plus Chromium's fake microphone), one meeting of N clients, each publishing audio + video and subscribing to "
                        + "everyone else. Warm-up ").append(WARMUP_S).append(" s after every client decodes every other, then a ")
                .append(MEASURE_S).append("-s window: packets/s from the deltas of `rendezvous_forwarder_udp_packets_{in,out}_total`, bitrate = "
                        + "mean of the per-second `bitrate_{in,out}_bps` gauges, CPU from `/proc/<pid>/stat` utime+stime deltas (% of one core; "
                        + "200 % = the whole machine), machine busy from `/proc/stat`. Packets out per core-second = packets out/s ÷ forwarder CPU "
                        + "(fraction of one core). Decoding = each client's `framesDecoded` per remote participant over the window.\n\n");
        md.append("| clients | pkts in/s | pkts out/s | Mbit/s in | Mbit/s out | forwarder CPU | of which `media-packets` thread | "
                + "pkts out per core-second (whole forwarder / packet thread only) | all Chromium CPU | gateway + stream-apps CPU | machine busy | load avg (1/5/15 min) | decoding: pairs rising | fps per pair min / median |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Point p : points) {
            String[] la = p.loadavg().split(" ");
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.2f | %.1f %% | %.1f %% | %s | %.0f %% | %.1f %% | %.0f %% | %s %s %s | %d / %d | %.1f / %.1f |%n",
                    p.clients(), p.pktsIn(), p.pktsOut(), p.bpsIn() / 1e6, p.bpsOut() / 1e6, p.fwdCpu(), p.packetThreadCpu(),
                    p.fwdCpu() > 0 && p.packetThreadCpu() > 0 ? String.format(Locale.ROOT, "%,.0f / %,.0f", p.pktsOut() / (p.fwdCpu() / 100),
                            p.pktsOut() / (p.packetThreadCpu() / 100)) : "n/a",
                    p.chromiumCpu(), p.gatewayCpu() + p.streamAppsCpu(), 100 * p.machineBusy(), la[0], la[1], la[2],
                    p.pairsRising(), p.pairs(), p.minFps(), p.medianFps()));
        }
        md.append("\nForwarder per-stage counters over the window (packets/s, `stage,outcome`):\n\n");
        for (Point p : points) {
            md.append("- ").append(p.clients()).append(" clients: ").append(p.stages().entrySet().stream()
                    .map(e -> e.getKey().replace("{", "").replace("}", "").replace("\"", "") + String.format(Locale.ROOT, " %.0f", e.getValue()))
                    .collect(Collectors.joining("; "))).append("\n");
        }
        if (profile != null) {
            md.append("\n#### Where the forwarder's time goes at ").append(profileAt).append(" clients\n\n").append(profile);
        }
        if (!problems.isEmpty()) {
            md.append("\nProblems during the run: ").append(String.join("; ", problems)).append(".\n");
        }
        return md.toString();
    }

    // ------------------------------------------------------------------ measuring helpers

    /** framesDecoded per remote publishing socket, read from the page's test hook. */
    private static Map<String, Long> frames(Chromium b) {
        try {
            Object r = b.asyncJs("""
                    const done = arguments[arguments.length - 1]; const m = window.rendezvousMedia;
                    if (!m) { done('{}'); return; }
                    m.inboundStats().then(s => done(JSON.stringify(s))).catch(e => done('{}'));
                    """);
            JsonNode n = JSON.readTree(String.valueOf(r));
            Map<String, Long> out = new HashMap<>();
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().path("framesDecoded").asLong()));
            return out;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    static Map<String, Double> prometheus() {
        Map<String, Double> m = new HashMap<>();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.appManagementUrl(App.MEDIA_FORWARDER) + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                try {
                    m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
                } catch (NumberFormatException ignored) {
                    // skip
                }
            }
        } catch (Exception e) {
            log("prometheus scrape failed: %s", e);
        }
        return m;
    }

    static double gauge(String figure) {
        return prometheus().getOrDefault("rendezvous_forwarder_load{figure=\"" + figure + "\"}", -1.0);
    }

    private static long procTicks(long pid) {
        return statTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    private static long threadTicks(long pid, String name) {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : s.toList()) {
                if (Files.readString(t.resolve("comm")).trim().equals(name)) {
                    return statTicks(t.resolve("stat"));
                }
            }
        } catch (Exception ignored) {
            // the thread or process is gone
        }
        return 0;
    }

    private static long statTicks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<Long, Long> chromiumTicks() {
        Map<Long, Long> m = new HashMap<>();
        try (var s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String comm = Files.readString(p.resolve("comm")).trim();
                    if (comm.startsWith("chromium") || comm.startsWith("chrome")) {
                        m.put(Long.parseLong(n), statTicks(p.resolve("stat")));
                    }
                } catch (Exception ignored) {
                    // gone
                }
            }
        } catch (Exception ignored) {
            // no /proc
        }
        return m;
    }

    /** {total, idle+iowait} jiffies of all CPUs. */
    private static long[] machineTicks() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private static double cpu(long ticks, double secs) {
        return 100.0 * ticks / CLK_TCK / secs;
    }

    private static double mean(List<Double> v) {
        return v.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double pct(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static boolean awaitTrue(String what, Duration timeout, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        if (what != null) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
        return false;
    }

    private static String machineCache;

    static synchronized String machine() {
        if (machineCache == null) {
            String cpu = "?";
            long memKb = 0;
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
                memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                        .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
            } catch (Exception ignored) {
                // not Linux
            }
            String chromium = "?";
            try {
                Process p = new ProcessBuilder("/usr/lib/chromium/chromium", "--version").redirectError(ProcessBuilder.Redirect.DISCARD).start();
                chromium = new String(p.getInputStream().readAllBytes()).trim();
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // not installed
            }
            String kernel = "?";
            try {
                kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            } catch (Exception ignored) {
                // not Linux
            }
            machineCache = String.format(Locale.ROOT, "Machine: %d cores (`nproc`), %s, %d GiB RAM, Linux %s, Java %s (%s), %s",
                    Runtime.getRuntime().availableProcessors(), cpu, Math.round(memKb / 1024.0 / 1024.0), kernel,
                    System.getProperty("java.version"), System.getProperty("java.vm.name"), chromium);
        }
        return machineCache;
    }

    // ------------------------------------------------------------------ REST + report

    static String newMeeting(String title) throws Exception {
        String email = "bench-" + UUID.randomUUID() + "@example.test";
        String base = stack.gatewayBaseUrl();
        post(base + "/api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"displayName\":\"Bench\"}", null, 201);
        String token = post(base + "/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", null, 200)
                .path("token").asText();
        return post(base + "/api/v1/meetings", "{\"title\":\"" + title + "\"}", token, 201).path("joinUrl").asText();
    }

    private static JsonNode post(String url, String body, String token, int expect) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IllegalStateException(url + " → " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Rewrites the text between {@code <!-- marker:begin -->} and {@code <!-- marker:end -->} (appends both if missing). */
    static void report(String marker, String md) throws Exception {
        Path target = Path.of("target", marker + ".md");
        Files.createDirectories(target.getParent());
        Files.writeString(target, md);
        String to = System.getProperty("bench.report", "../docs/benchmarks.md");
        if (to.equals("none")) {
            return;
        }
        Path doc = Path.of(to);
        String text = Files.exists(doc) ? Files.readString(doc) : "";
        String begin = "<!-- " + marker + ":begin -->", end = "<!-- " + marker + ":end -->";
        int b = text.indexOf(begin), e = text.indexOf(end);
        String block = begin + "\n" + md.strip() + "\n" + end;
        text = b >= 0 && e > b ? text.substring(0, b) + block + text.substring(e + end.length()) : text + "\n" + block + "\n";
        Files.writeString(doc, text);
        log("wrote %s into %s", marker, doc.toAbsolutePath());
    }

    static void log(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + fmt + "%n", args);
        System.out.flush();
    }

    // ------------------------------------------------------------------ a headless Chromium with timing probes

    /** Like the e2e Browser, plus a script injected before each page's own that timestamps signaling and ICE. */
    static final class Chromium implements AutoCloseable {

        private static final String PROBE = """
                (() => {
                  const b = window.__bench = { ev: [] };
                  const rec = (e) => { e.t = performance.now(); b.ev.push(e); };
                  const NWS = window.WebSocket;
                  window.WebSocket = class extends NWS {
                    constructor(...a) {
                      super(...a);
                      this.addEventListener('open', () => rec({ k: 'ws-open' }));
                      this.addEventListener('message', (m) => { try { rec({ k: 'in', type: JSON.parse(m.data).type }); } catch (x) {} });
                    }
                    send(d) { try { rec({ k: 'out', type: JSON.parse(d).type }); } catch (x) {} return super.send(d); }
                  };
                  const NPC = window.RTCPeerConnection; let n = 0;
                  window.RTCPeerConnection = class extends NPC {
                    constructor(...a) {
                      super(...a); const id = ++n; this.__benchId = id; rec({ k: 'pc-new', id });
                      this.addEventListener('connectionstatechange', () => rec({ k: 'pc', id, state: this.connectionState }));
                      this.addEventListener('iceconnectionstatechange', () => rec({ k: 'ice', id, state: this.iceConnectionState }));
                      this.addEventListener('track', () => rec({ k: 'track', id }));
                    }
                  };
                  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
                    const g = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
                    navigator.mediaDevices.getUserMedia = (c) => { rec({ k: 'gum-start' });
                      return g(c).then((s) => { rec({ k: 'gum-done' }); return s; }, (e) => { rec({ k: 'gum-failed' }); throw e; }); };
                  }
                })();
                """;

        private final ChromeDriver driver;
        private final Path profile;

        private Chromium(ChromeDriver driver, Path profile) {
            this.driver = driver;
            this.profile = profile;
        }

        static Chromium launch(Path fakeCamera) throws Exception {
            Path profile = Files.createTempDirectory("rdv-chromium-");
            ChromeOptions o = new ChromeOptions();
            o.addArguments("--use-file-for-fake-video-capture=" + fakeCamera.toAbsolutePath());
            Browser.headless(o, profile);
            ChromeDriver d = new ChromeDriver(Browser.driverService(), o);
            d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            d.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
            return new Chromium(d, profile);
        }

        void open(String url) {
            driver.get(url);
        }

        Object js(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeScript(script, args);
        }

        Object asyncJs(String script, Object... args) {
            return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
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
