package dev.rendezvous.loadtest.media;

import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.webrtc.ClientConfig;
import dev.rendezvous.webrtc.ClientRuntime;
import dev.rendezvous.webrtc.WebRtcClient;
import dev.rendezvous.webrtc.stats.ClientStats;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One run of one shape: joins {@code rooms × participants} synthetic clients at the join rate, waits until
 * everyone hears everyone (bounded), warms up, then measures a window — client totals and the forwarder's
 * figures at both ends, the forwarder once a second in between (the chart's points) — and leaves. Every
 * wait has a deadline; a run that never fully connects is still measured and says how far it got.
 */
public final class LoadRun {

    private static final long CONNECT_GRACE_SECONDS = 45;
    private static final long MAX_CONNECT_SECONDS = 120;

    private final MediaLoadOptions opt;
    private final SignalingPath path;
    private final Recorder delays = new Recorder(3);
    private static final long RETRY_AFTER_SECONDS = 20;
    private static final int MAX_RETRIES = 3;

    private final List<Slot> slots = new ArrayList<>();
    private int retries;
    private final List<String> notes = new ArrayList<>();

    public LoadRun(MediaLoadOptions opt, SignalingPath path) {
        this.opt = opt;
        this.path = path;
    }

    public RunResult run() throws Exception {
        ForwarderProbe probe = path.probe();
        path.openRooms(opt.rooms());
        try (ClientRuntime runtime = new ClientRuntime(2, (video, nanos) -> delays.recordValue(Math.max(0, nanos)),
                2, opt.clientPollMicros())) {
            try {
                return measure(runtime, probe);
            } finally {
                slots.forEach(sl -> sl.client.close());
            }
        }
    }

    private RunResult measure(ClientRuntime runtime, ForwarderProbe probe) throws InterruptedException {
        log("%s: joining %d clients at %.1f/s", opt.label(), opt.clients(), opt.joinRate());
        int mLines = (opt.participants() - 1) * (opt.video() ? 2 : 1);
        if (mLines > SessionDescription.MAX_MEDIA) {
            notes.add(String.format("%s: each subscribe offer needs %d m-sections (one per remote track), more than"
                    + " the %d the SDP parser (`SessionDescription.MAX_MEDIA`, shared by forwarder and client) accepts",
                    opt.label(), mLines, SessionDescription.MAX_MEDIA));
        }
        long joinStart = System.nanoTime();
        long interval = (long) (1e9 / opt.joinRate());
        int n = 0;
        for (int room = 0; room < opt.rooms(); room++) {
            for (int i = 0; i < opt.participants(); i++, n++) {
                long wait = joinStart + n * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Slot slot = new Slot(room, i, System.nanoTime());
                slots.add(slot);
                startClient(slot, runtime);
            }
        }
        double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
        if (n / Math.max(joinSeconds, 1e-9) < opt.joinRate() * 0.9 && n > 1) {
            notes.add(String.format("%s: joins went out at %.1f/s, not the %.1f/s asked (making each client's"
                    + " certificate and sockets in the tool is the limit)", opt.label(), n / joinSeconds, opt.joinRate()));
        }
        log("%s: %d joins sent in %.1f s (asked %.1f/s, got %.1f/s)", opt.label(), n, joinSeconds, opt.joinRate(),
                n / Math.max(joinSeconds, 1e-9));

        long expectedPairs = (long) opt.rooms() * opt.participants() * (opt.participants() - 1);
        long deadline = System.nanoTime()
                + TimeUnit.SECONDS.toNanos(Math.min(MAX_CONNECT_SECONDS, CONNECT_GRACE_SECONDS + opt.clients() / 5));
        ReceiveTotals t = ReceiveTotals.of(stats(), opt.participants() - 1);
        while (t.pairs() < expectedPairs && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            retryStuck(runtime);
            t = ReceiveTotals.of(stats(), opt.participants() - 1);
            log("%s: %d/%d connected, %d/%d pairs hear each other", opt.label(), t.connected(), opt.clients(),
                    t.pairs(), expectedPairs);
        }
        if (t.pairs() < expectedPairs) {
            notes.add(String.format("%s: only %d of %d (receiver, sender) pairs heard each other after %.0f s of"
                    + " joining and connecting; measured anyway", opt.label(), t.pairs(), expectedPairs,
                    (System.nanoTime() - joinStart) / 1e9));
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(opt.warmupSeconds()));

        log("%s: measuring %d s", opt.label(), opt.durationSeconds());
        ReceiveTotals before = ReceiveTotals.of(stats(), opt.participants() - 1);
        ForwarderSample f0 = probe.sample();
        long[] ticks0 = MachineInfo.cpuTicks();
        long tool0 = toolCpuNanos();
        long drops0 = MachineInfo.udpReceiveBufferErrors();
        delays.getIntervalHistogram(); // drop what came before the window
        List<RunResult.Point> points = new ArrayList<>();
        double heapMax = f0.heapBytes();
        double gcMax = f0.gcPauseMaxSeconds();
        double bitrateSum = 0;
        int bitrateN = 0;
        ForwarderSample prev = f0;
        long end = f0.nanos() + TimeUnit.SECONDS.toNanos(opt.durationSeconds());
        for (long next = f0.nanos() + 1_000_000_000L; next <= end; next += 1_000_000_000L) {
            LockSupport.parkNanos(next - System.nanoTime());
            ForwarderSample s = probe.sample();
            double dt = (s.nanos() - prev.nanos()) / 1e9;
            points.add(new RunResult.Point(100 * (s.cpuNanos() - prev.cpuNanos()) / 1e9 / dt,
                    100 * (s.packetThreadNanos() - prev.packetThreadNanos()) / 1e9 / dt,
                    (s.packetsOut() - prev.packetsOut()) / dt));
            heapMax = Math.max(heapMax, s.heapBytes());
            gcMax = Double.isNaN(gcMax) ? s.gcPauseMaxSeconds() : Math.max(gcMax, s.gcPauseMaxSeconds());
            if (!Double.isNaN(s.bitrateOutBps())) {
                bitrateSum += s.bitrateOutBps();
                bitrateN++;
            }
            prev = s;
        }
        ForwarderSample f1 = prev;
        Histogram delay = delays.getIntervalHistogram();
        long tool1 = toolCpuNanos();
        long drops1 = MachineInfo.udpReceiveBufferErrors();
        double busy = MachineInfo.busyPercent(ticks0, MachineInfo.cpuTicks());
        List<ClientStats> endStats = stats();
        ReceiveTotals after = ReceiveTotals.of(endStats, opt.participants() - 1);
        double secs = (f1.nanos() - f0.nanos()) / 1e9;

        List<Double> joins = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot sl = slots.get(i);
            if (sl.index == 0) {
                continue; // the first in a room has nobody to hear until the second arrives
            }
            long ms = ReceiveTotals.firstMediaMillis(endStats.get(i));
            if (ms >= 0) {
                // counted from the place's first join, so a retried join shows its whole wait
                joins.add(ms + (sl.clientStartNanos - sl.firstStartNanos) / 1e6);
            }
        }
        if (retries > 0) {
            notes.add(String.format("%s: %d join(s) did not connect within %d s and joined again (as the page"
                    + " restarts its media); join → first media counts from the first attempt", opt.label(), retries,
                    RETRY_AFTER_SECONDS));
        }
        double[] joinMs = joins.stream().mapToDouble(Double::doubleValue).toArray();

        Map<String, Integer> errors = new java.util.TreeMap<>();
        for (Slot sl : slots) {
            Throwable e = sl.client.lastError();
            if (e != null) {
                String m = String.valueOf(e.getMessage());
                errors.merge(m.length() > 160 ? m.substring(0, 160) + "…" : m, 1, Integer::sum);
            }
        }
        errors.forEach((m, count) -> notes.add(String.format("%s: %d client(s) reported: %s", opt.label(), count, m)));

        Map<String, Double> stages = new LinkedHashMap<>();
        f1.stages().forEach((k, v) -> {
            double d = (v - f0.stages().getOrDefault(k, 0.0)) / secs;
            if (d > 0) {
                stages.put(k, d);
            }
        });

        RunResult r = new RunResult(opt, slots.size(), after.connected(), after.pairs(), expectedPairs, secs,
                (after.sentPackets() - before.sentPackets()) / secs, (after.packets() - before.packets()) / secs,
                (after.bytes() - before.bytes()) * 8 / secs / 1e6, after.lossPercentSince(before),
                after.jitterMeanMs(), after.jitterMaxMs(), ms(delay, 50), ms(delay, 99),
                delay.getTotalCount() == 0 ? Double.NaN : delay.getMaxValue() / 1e6, delay.getTotalCount(),
                (f1.packetsIn() - f0.packetsIn()) / secs, (f1.packetsOut() - f0.packetsOut()) / secs,
                bitrateN == 0 ? Double.NaN : bitrateSum / bitrateN / 1e6, (f1.cpuNanos() - f0.cpuNanos()) / 1e9 / secs,
                f0.packetThreadNanos() < 0 ? Double.NaN : (f1.packetThreadNanos() - f0.packetThreadNanos()) / 1e9 / secs,
                heapMax / (1024 * 1024), f1.gcPauses() - f0.gcPauses(), (f1.gcPauseSeconds() - f0.gcPauseSeconds()) * 1000,
                f1.gcPauses() > f0.gcPauses() ? gcMax * 1000 : Double.NaN, Percentiles.nearestRank(joinMs, 50), Percentiles.nearestRank(joinMs, 99), joinMs.length,
                busy, (tool1 - tool0) / 1e9 / secs, drops0 < 0 || drops1 < 0 ? Double.NaN : (drops1 - drops0) / secs,
                stages, points, notes);
        log("%s: forwarder out %.0f pkt/s with %.2f cores (packet thread %.2f) -> %.0f pkt/s per core; clients got"
                        + " %.0f pkt/s, loss %.2f %%, delay p50 %.2f p99 %.2f ms; machine %.0f %% busy", opt.label(),
                r.fwdPpsOut(), r.fwdCpuCores(), r.packetThreadCores(), r.ppsPerCore(), r.clientRxPps(), r.lossPct(),
                r.delayP50Ms(), r.delayP99Ms(), r.machineBusyPct());
        return r;
    }

    /** One participant place: its current client and when the place first joined. */
    private static final class Slot {
        final int room;
        final int index;
        final long firstStartNanos;
        WebRtcClient client;
        long clientStartNanos;
        int attempts;

        Slot(int room, int index, long firstStartNanos) {
            this.room = room;
            this.index = index;
            this.firstStartNanos = firstStartNanos;
        }
    }

    private void startClient(Slot slot, ClientRuntime runtime) {
        String socketId = "r" + slot.room + "p" + slot.index + (slot.attempts == 0 ? "" : "-" + slot.attempts);
        ClientConfig config = ClientConfig.of(path.meetingId(slot.room), socketId, "p-" + socketId)
                .withMedia(true, opt.video()).withVideo(opt.videoKbps() * 1000, opt.fps(), 2_000);
        slot.clientStartNanos = System.nanoTime();
        slot.client = new WebRtcClient(config, path.signaling(slot.room, slot.index, socketId), runtime);
        slot.client.start();
    }

    /**
     * What the meeting page does when a connection does not come up (it restarts its media): a client still not
     * connected {@value #RETRY_AFTER_SECONDS} s after it started — longer than the forwarder's 10-s DTLS
     * timeout — leaves and joins again with a fresh client, at most {@value #MAX_RETRIES} times per place.
     */
    private void retryStuck(ClientRuntime runtime) {
        long now = System.nanoTime();
        for (Slot s : slots) {
            boolean up = s.client.publishConnected() && s.client.subscribeConnected();
            if (!up && s.attempts < MAX_RETRIES
                    && now - s.clientStartNanos > TimeUnit.SECONDS.toNanos(RETRY_AFTER_SECONDS)) {
                s.client.close();
                s.attempts++;
                retries++;
                startClient(s, runtime);
            }
        }
    }

    private List<ClientStats> stats() {
        List<ClientStats> out = new ArrayList<>(slots.size());
        slots.forEach(s -> out.add(s.client.stats()));
        return out;
    }

    private static double ms(Histogram h, double p) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1e6;
    }

    private static long toolCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    public static void log(String format, Object... args) {
        System.out.printf("%tT %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
