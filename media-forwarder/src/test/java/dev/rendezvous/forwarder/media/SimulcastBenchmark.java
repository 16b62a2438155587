package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.SimulcastCall.MS;
import static dev.rendezvous.forwarder.media.SimulcastCall.SECOND;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.SimulatedSubscriber.Packet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 12's benchmarks on the real packet path with simulated time ({@link SimulcastCall}); not part of the build's
 * tests. Run by hand from the repository root (it rewrites its section of {@code docs/benchmarks.md}):
 *
 * <pre>
 *   mvn -q -o -pl media-forwarder test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp media-forwarder/target/test-classes:media-forwarder/target/classes:$(cat /tmp/cp.txt) \
 *       dev.rendezvous.forwarder.media.SimulcastBenchmark [--reps 12] [--measure-s 10] [--doc docs/benchmarks.md]
 * </pre>
 *
 * <ol>
 *   <li><b>Convergence after a bandwidth step</b>: one publisher (three layers), one page with a large tile behind a
 *       shaper at 2.5 Mbit/s that drops to 600 kbit/s for 30 s and then lifts: time from the drop to the first
 *       packet of a lower layer reaching the page, and from the lift to the first packet of the top layer again;
 *       {@code --reps} repetitions (each with other frame sizes and the step at another phase of the forwarder's
 *       once-a-second allocation), p50/p95.</li>
 *   <li><b>Forwarder capacity with simulcast</b>: a meeting where everyone publishes (three layers in, one out per
 *       consumer; or today's single stream) and receives everyone: the forwarder's CPU (the packet path's and its
 *       once-a-second work, on the benchmark's thread) per simulated second and per egress packet.</li>
 *   <li><b>Bits per second saved</b>: a 10-person meeting whose pages show every camera at 320×180 against the same
 *       meeting with every consumer on the top layer.</li>
 * </ol>
 */
public final class SimulcastBenchmark {

    static final long HIGH_BPS = 2_500_000;
    static final long LOW_BPS = 600_000;
    static final int QUEUE_BYTES = 30_000;
    static final long ONE_WAY = 20 * MS;
    static final int LOW_SECONDS = 30;

    /** One bandwidth step; {@code timeOnLayer}: share of the limited period each layer was being sent (0, 1, 2). */
    record Step(long downNanos, long upNanos, int switchesWhileLow, long droppedWhileLow, int layerBeforeStep,
                int lowestWhileLow, double[] timeOnLayer) {}

    record Meeting(String name, int participants, double inPps, double outPps, double outMbps, double cpuCores,
                   double egressPerCpuSecond, Map<String, Integer> consumers, double wallSeconds) {}

    private SimulcastBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = intArg(args, "--reps", 12);
        int measureS = intArg(args, "--measure-s", 10);
        String doc = stringArg(args, "--doc", "docs/benchmarks.md");
        double[] loadBefore = SimulcastReport.loadAverage();
        long started = System.nanoTime();

        warmUp();
        List<Step> steps = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            Step s = convergence(rep);
            steps.add(s);
            System.out.printf("step %d: down %.2f s, up %.2f s, %d switches while low, %d dropped, lowest layer %d,"
                            + " time on layers %s%n", rep, s.downNanos() / 1e9, s.upNanos() / 1e9, s.switchesWhileLow(),
                    s.droppedWhileLow(), s.lowestWhileLow(), java.util.Arrays.toString(s.timeOnLayer()));
        }
        List<Meeting> meetings = new ArrayList<>();
        for (int n : new int[] {10, 20, 30}) {
            meetings.add(meeting("single stream (today), every consumer 1.5 Mbit/s", n, false, false, measureS));
            meetings.add(meeting("simulcast 3 layers in, every consumer on the top layer", n, true, false, measureS));
            meetings.add(meeting("simulcast 3 layers in, 320×180 tiles (layer 0)", n, true, true, measureS));
        }
        for (Meeting m : meetings) {
            System.out.println(m);
        }
        double[] loadAfter = SimulcastReport.loadAverage();
        String section = SimulcastReport.section(steps, meetings, reps, measureS, loadBefore, loadAfter,
                (System.nanoTime() - started) / 1e9);
        SimulcastReport.write(Path.of(doc), section);
        System.out.println(section);
    }

    /** Loads and compiles the paths once (a short meeting), so the first measured run is not the JIT's. */
    private static void warmUp() throws Exception {
        meeting("warm-up", 6, true, false, 3);
    }

    static Step convergence(int rep) throws Exception {
        try (SimulcastCall call = new SimulcastCall()) {
            PacketHarness h = call.h;
            Client a = h.client("A").join(SyntheticPublisher.simulcastOffer());
            Client b = h.client("B").join();
            call.answerAll(List.of(b, a));
            long ssrc = b.offeredSsrc("A", TrackKind.VIDEO);
            h.engine.viewTiles(PacketHarness.MEETING, "B", List.of(new TileSpec("A", TrackSource.CAMERA, false, 1280, 720)));
            call.start();
            call.publish(a, true, 0, 1000 + rep);
            call.drain(a);
            TokenBucketShaper<Packet> shaper = new TokenBucketShaper<>(HIGH_BPS, 3_000, QUEUE_BYTES, call.now());
            SimulatedSubscriber page = call.receive(b, shaper, ONE_WAY);
            call.runFor(8 * SECOND + (rep * 137L % 1000) * MS);
            List<Packet> before = page.sent(ssrc);
            int layerBefore = before.isEmpty() ? -1 : before.get(before.size() - 1).layer;
            long down = call.now();
            page.setCapacity(LOW_BPS, down);
            long droppedBefore = shaper.dropped();
            call.runFor(LOW_SECONDS * SECOND);
            long up = call.now();
            long dropped = shaper.dropped() - droppedBefore;
            page.setCapacity(HIGH_BPS, up);
            long limit = up + 60 * SECOND;
            while (call.now() < limit && page.firstArrivalOfLayer(ssrc, up, 2, 2) < 0) {
                call.runFor(500 * MS);
            }
            int switches = 0;
            int lowest = Integer.MAX_VALUE;
            double[] onLayer = new double[3];
            Packet last = null;
            for (Packet p : page.sent(ssrc)) {
                if (p.sentNanos >= down && p.sentNanos < up) {
                    lowest = Math.min(lowest, p.layer);
                    if (last != null && last.layer != p.layer) {
                        switches++;
                    }
                    if (last != null && last.layer >= 0 && last.layer < 3) {
                        onLayer[last.layer] += (p.sentNanos - Math.max(down, last.sentNanos)) / (double) (up - down);
                    }
                }
                last = p;
            }
            DownlinkShapingPacketTest.assertNoDecoderVisibleDiscontinuity(page.sent(ssrc));
            long firstLow = page.firstArrivalOfLayer(ssrc, down, 0, 1);
            long firstTop = page.firstArrivalOfLayer(ssrc, up, 2, 2);
            return new Step(firstLow < 0 ? -1 : firstLow - down, firstTop < 0 ? -1 : firstTop - up, switches, dropped,
                    layerBefore, lowest, onLayer);
        }
    }

    static Meeting meeting(String name, int n, boolean simulcast, boolean smallTiles, int measureS) throws Exception {
        try (SimulcastCall call = new SimulcastCall()) {
            PacketHarness h = call.h;
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Client c = h.client("P" + i);
                clients.add(simulcast ? c.join(SyntheticPublisher.simulcastOffer()) : c.join());
            }
            call.answerAll(clients);
            if (smallTiles) {
                for (Client viewer : clients) {
                    List<TileSpec> tiles = new ArrayList<>();
                    for (Client other : clients) {
                        if (other != viewer) {
                            tiles.add(new TileSpec(other.socketId, TrackSource.CAMERA, false, 320, 180));
                        }
                    }
                    h.engine.viewTiles(PacketHarness.MEETING, viewer.socketId, tiles);
                }
            }
            call.start();
            h.io.discardFromNow();
            for (int i = 0; i < n; i++) {
                call.publish(clients.get(i), simulcast, 2 * SECOND, 7 * i + 1);
            }
            call.runFor(3 * SECOND);
            long in0 = packetsIn(call);
            long out0 = h.io.discarded();
            long bytes0 = h.io.discardedBytes();
            h.measureCpu = true;
            long cpu0 = h.forwarderCpuNanos;
            long wall0 = System.nanoTime();
            call.runFor(measureS * SECOND);
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cpu = (h.forwarderCpuNanos - cpu0) / 1e9;
            long out = h.io.discarded() - out0;
            return new Meeting(name, n, (packetsIn(call) - in0) / (double) measureS, out / (double) measureS,
                    (h.io.discardedBytes() - bytes0) * 8 / 1e6 / measureS, cpu / measureS, out / cpu,
                    h.engine.videoConsumers(), wall);
        }
    }

    private static long packetsIn(SimulcastCall call) {
        return call.publishers.stream().mapToLong(SyntheticPublisher::packetsSent).sum();
    }

    private static int intArg(String[] args, String name, int fallback) {
        String v = stringArg(args, name, null);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
