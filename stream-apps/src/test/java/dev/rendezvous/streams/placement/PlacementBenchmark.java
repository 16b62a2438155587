package dev.rendezvous.streams.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Where the skeleton tree starts to pay: one placement (primary + standby) by scoring every forwarder, against a
 * lookup in a built tree (primary + standby, and the primary alone), and the cost of building the tree (paid at most
 * once per refresh, 1 s). And what a placement costs the room processor around the lookup: decoding every
 * forwarder's metrics record as a scan of the global store does ({@code processorDecodeFleet}), the placer's pass
 * over the decoded fleet ({@code processorChooseExact}: health, grouping, the tree's member check, the lookup), and a
 * placement from a snapshot whose groups and trees are already made ({@code processorChooseInSnapshot}). Run by hand:
 *
 * <pre>
 *   mvn -q -o -pl stream-apps test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp stream-apps/target/test-classes:stream-apps/target/classes:$(cat /tmp/cp.txt) \
 *       dev.rendezvous.streams.placement.PlacementBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlacementBenchmark {

    @Param({"16", "64", "100", "1000", "10000"})
    public int hosts;

    @Param({"8"})
    public int branching;

    private List<WeightedRendezvous.Host> fleet;
    private SkeletonRendezvous tree;
    private static final java.time.Instant NOW = java.time.Instant.parse("2026-12-07T10:00:00Z");
    private java.util.Map<String, dev.rendezvous.topics.model.ForwarderMetrics> metrics;
    private byte[][] encoded;
    private org.apache.kafka.common.serialization.Deserializer<dev.rendezvous.topics.model.ForwarderMetrics> decoder;
    private Placer exact;
    private Placer cached;
    private String[] rooms;
    private int next;

    @Setup
    public void setUp() {
        fleet = new ArrayList<>(hosts);
        for (int i = 0; i < hosts; i++) {
            fleet.add(new WeightedRendezvous.Host("fwd-" + i, 50 + (i * 7919) % 200));
        }
        tree = SkeletonRendezvous.of(fleet, branching);
        metrics = new java.util.LinkedHashMap<>();
        encoded = new byte[hosts][];
        var serde = dev.rendezvous.topics.Topics.FORWARDER_METRICS.valueSerde();
        decoder = serde.deserializer();
        for (int i = 0; i < hosts; i++) {
            var m = new dev.rendezvous.topics.model.ForwarderMetrics("fwd-" + i, "region-" + (i % 4), NOW,
                    4000 + (i * 7919) % 2000, 3, 40, 40, 400, 4000, 40000, 2e7, 2e8, 0.01, 3, 30, 0.4);
            metrics.put(m.forwarderId(), m);
            encoded[i] = serde.serializer().serialize("forwarder.metrics", m);
        }
        PlacementPolicy policy = new PlacementPolicy(PlacementPolicy.DEFAULT_HEALTHY_WITHIN, 2,
                PlacementPolicy.DEFAULT_SKELETON_FROM, branching, java.time.Duration.ofDays(1));
        exact = policy.placer();
        cached = policy.placer();
        metrics = java.util.Map.copyOf(metrics);
        rooms = new String[4096];
        for (int i = 0; i < rooms.length; i++) {
            rooms[i] = "room-" + i;
        }
    }

    private String room() {
        next = (next + 1) & (rooms.length - 1);
        return rooms[next];
    }

    @Benchmark
    public List<String> flat() {
        return WeightedRendezvous.best(room(), fleet, 2);
    }

    @Benchmark
    public List<String> skeletonLookup() {
        return tree.best(room(), 2);
    }

    /** The primary alone: one descent. */
    @Benchmark
    public List<String> skeletonLookupPrimary() {
        return tree.best(room(), 1);
    }

    @Benchmark
    public void skeletonBuild(Blackhole bh) {
        bh.consume(SkeletonRendezvous.of(fleet, branching));
    }

    /** What a scan of the global store pays per placement besides reading: decoding every forwarder's record. */
    @Benchmark
    public void processorDecodeFleet(Blackhole bh) {
        for (byte[] b : encoded) {
            bh.consume(decoder.deserialize("forwarder.metrics", b));
        }
    }

    @Benchmark
    public List<String> processorChooseExact() {
        return exact.choose(room(), metrics, NOW, "region-1");
    }

    @Benchmark
    public List<String> processorChooseInSnapshot() {
        return cached.chooseInSnapshot(room(), metrics, NOW, "region-1");
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(PlacementBenchmark.class.getSimpleName()).build()).run();
    }
}
