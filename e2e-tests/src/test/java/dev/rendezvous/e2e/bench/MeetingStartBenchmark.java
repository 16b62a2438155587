package dev.rendezvous.e2e.bench;

import static dev.rendezvous.e2e.bench.MediaBenchmark.log;
import static dev.rendezvous.e2e.bench.MediaBenchmark.pct;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start of a meeting as people live it: two pages open the same fresh link at the same moment (both
 * Chromium processes already running, as a person's browser is), and each waits for the other's first video
 * frame. Reports navigation start → first remote frame on both pages, p50/p95 over the rounds, and the time
 * of each signaling step since navigation, so that where the time goes can be read off.
 *
 * <p>{@code mvn -o -pl e2e-tests verify -Dit.test=MeetingStartBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.rounds=20}, {@code -Dbench.report=none}). It reports; it never fails on a missed target.
 */
class MeetingStartBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 20);
    private static final int WARMUP = Integer.getInteger("bench.warmupRounds", 1);

    /** Each step's time since navigation start (page's performance.now()), or null. */
    private static final String STEPS = """
            const b = window.__bench; const m = window.rendezvousMedia; if (!b || !m) return null;
            const first = (pred) => { const e = b.ev.find(pred); return e ? e.t : null; };
            const pubPc = m.publishPc ? m.publishPc.__benchId : null, subPc = m.subscribePc ? m.subscribePc.__benchId : null;
            return {
              wsOpen: first(e => e.k === 'ws-open'),
              joinSent: m.joinStartedAt,
              joined: first(e => e.k === 'in' && e.type === 'joined'),
              gumDone: first(e => e.k === 'gum-done'),
              publishOfferSent: first(e => e.k === 'out' && e.type === 'media-offer'),
              publishAnswerIn: first(e => e.k === 'in' && e.type === 'media-answer'),
              subscribeOfferIn: first(e => e.k === 'in' && e.type === 'media-offer'),
              subscribeAnswerSent: first(e => e.k === 'out' && e.type === 'media-answer'),
              publishConnected: first(e => e.k === 'pc' && e.id === pubPc && e.state === 'connected'),
              subscribeConnected: first(e => e.k === 'pc' && e.id === subPc && e.state === 'connected'),
              remoteTrack: first(e => e.k === 'track' && e.id === subPc),
              offersIn: b.ev.filter(e => e.k === 'in' && e.type === 'media-offer').length,
              preparedOffer: m.preparedOffers,
              firstFrame: m.firstRemoteFrameAt
            };
            """;

    static final List<String> STEP_ORDER = List.of("wsOpen", "joinSent", "joined", "gumDone", "publishOfferSent",
            "publishAnswerIn", "subscribeOfferIn", "subscribeAnswerSent", "publishConnected", "subscribeConnected",
            "remoteTrack", "firstFrame", "offersIn", "preparedOffer");

    @BeforeAll
    static void start() throws Exception {
        MediaBenchmark.start();
    }

    @AfterAll
    static void stop() throws Exception {
        MediaBenchmark.stop();
    }

    @Test
    void twoPagesOpeningTheLinkTogether() throws Exception {
        List<Map<String, Double>> pages = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (MediaBenchmark.Chromium alice = MediaBenchmark.Chromium.launch(MediaBenchmark.camera(0));
             MediaBenchmark.Chromium bob = MediaBenchmark.Chromium.launch(MediaBenchmark.camera(1))) {
            for (int round = 0; round < WARMUP + ROUNDS; round++) {
                String url = MediaBenchmark.newMeeting("start " + round);
                CountDownLatch go = new CountDownLatch(1);
                Future<?> a = pool.submit(() -> open(go, alice, url + "?name=Alice&autojoin=1"));
                Future<?> b = pool.submit(() -> open(go, bob, url + "?name=Bob&autojoin=1"));
                go.countDown();
                a.get(60, TimeUnit.SECONDS);
                b.get(60, TimeUnit.SECONDS);
                for (MediaBenchmark.Chromium page : List.of(alice, bob)) {
                    Map<String, Double> steps = awaitFirstFrame(page);
                    if (steps == null) {
                        problems.add("round " + round + ": no remote frame within 30 s");
                    } else if (round >= WARMUP) {
                        pages.add(steps);
                    }
                    log("round %d: %s", round, steps);
                }
                for (MediaBenchmark.Chromium page : List.of(alice, bob)) {
                    page.js("const e = document.querySelector('[data-testid=leave]'); if (e) e.click(); return true;");
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (MediaBenchmark.gauge("participants") > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String md = report(pages, problems);
        System.out.println(md);
        MediaBenchmark.report("meeting-start", md);
    }

    private static Object open(CountDownLatch go, MediaBenchmark.Chromium page, String url) throws Exception {
        page.open("about:blank");
        go.await();
        page.open(url);
        return null;
    }

    private static Map<String, Double> awaitFirstFrame(MediaBenchmark.Chromium page) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Object r = page.js("const m = window.rendezvousMedia; return m && m.firstRemoteFrameAt != null");
            if (Boolean.TRUE.equals(r)) {
                Map<String, Double> steps = new LinkedHashMap<>();
                if (page.js(STEPS) instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> steps.put(String.valueOf(k), v == null ? null : ((Number) v).doubleValue()));
                }
                return steps;
            }
            Thread.sleep(25);
        }
        return null;
    }

    private static String report(List<Map<String, Double>> pages, List<String> problems) {
        StringBuilder md = new StringBuilder();
        md.append("### Meeting start: two pages open the link together — ").append(LocalDate.now()).append("\n\n");
        md.append(MediaBenchmark.machine()).append("\n\n");
        md.append("Conditions: the all-in-one stack (Kafka broker, PostgreSQL, s3proxy, edge-gateway, stream-apps, "
                + "media-forwarder as child JVMs of the tool) and two headless Chromium processes (already running) on this "
                + "machine; each round a fresh meeting, both pages navigate to `/j/{code}?name=…&autojoin=1` at the same "
                + "moment; figures are each page's `performance.now()` (navigation start = 0). ")
                .append(WARMUP).append(" warm-up round not counted; nearest-rank percentiles over both pages of ")
                .append(pages.size() / 2).append(" rounds.\n\n");
        md.append("| step (ms since navigation) | p50 | p95 |\n|---|---|---|\n");
        for (String step : STEP_ORDER) {
            List<Double> v = pages.stream().map(p -> p.get(step)).filter(x -> x != null).sorted().toList();
            if (!v.isEmpty()) {
                md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", step, pct(v, 50), pct(v, 95)));
            }
        }
        List<Double> ff = pages.stream().map(p -> p.get("firstFrame")).filter(x -> x != null).sorted().toList();
        md.append("\nEvery page, navigation → first remote frame (ms): ")
                .append(pages.stream().map(p -> p.get("firstFrame") == null ? "-" : String.format(Locale.ROOT, "%.0f", p.get("firstFrame")))
                        .collect(Collectors.joining(", ")))
                .append(".\n");
        if (!ff.isEmpty()) {
            boolean met = pct(ff, 50) <= 1000;
            md.append(String.format(Locale.ROOT, "%nTarget p50 ≤ 1000 ms: %s (p50 %.0f ms, p95 %.0f ms).%n",
                    met ? "**met**" : "**not met**", pct(ff, 50), pct(ff, 95)));
        }
        if (!problems.isEmpty()) {
            md.append("\nProblems during the run: ").append(String.join("; ", problems)).append(".\n");
        }
        return md.toString();
    }
}
