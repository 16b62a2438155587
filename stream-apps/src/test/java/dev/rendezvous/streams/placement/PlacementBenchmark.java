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
 * once per refresh, 1 s). Run by hand:
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
    private String[] rooms;
    private int next;

    @Setup
    public void setUp() {
        fleet = new ArrayList<>(hosts);
        for (int i = 0; i < hosts; i++) {
            fleet.add(new WeightedRendezvous.Host("fwd-" + i, 50 + (i * 7919) % 200));
        }
        tree = SkeletonRendezvous.of(fleet, branching);
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

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(PlacementBenchmark.class.getSimpleName()).build()).run();
    }
}
