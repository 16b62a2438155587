package dev.rendezvous.loadtest.media;

import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.forwarder.media.StageCounters;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-process {@link MediaEngine}: packets and packet-thread CPU from the engine itself; the forwarder's CPU
 * as the sum over its own threads (named {@code media-…}: packet thread, timer, DTLS handshakes), remembered
 * per thread so that a handshake thread that ends keeps its share; heap and GC from this JVM — which also runs
 * every client, so those are not the forwarder's alone (the report says so).
 */
public final class EngineProbe implements ForwarderProbe {

    private static final String FORWARDER_THREADS = "media-";

    private final MediaEngine engine;
    private final Map<Long, Long> threadCpu = new HashMap<>();

    public EngineProbe(MediaEngine engine) {
        this.engine = engine;
    }

    @Override
    public ForwarderSample sample() {
        double cpu = forwarderThreadsCpuNanos();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        var snapshot = engine.snapshot();
        Map<String, Double> stages = new LinkedHashMap<>();
        for (StageCounters.Counter c : engine.counters().all()) {
            stages.merge(c.stage() + "," + c.outcome(), (double) c.value(), Double::sum);
        }
        return new ForwarderSample(System.nanoTime(), engine.packetsIn(), engine.packetsOut(), cpu,
                engine.packetThreadCpuNanos(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                gcCount, gcMillis / 1000.0, Double.NaN, snapshot.bitrateOutBps(), snapshot.participants(), stages);
    }

    /** CPU of every forwarder thread seen so far (ended ones at their last reading). */
    private synchronized double forwarderThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(FORWARDER_THREADS)) {
                long nanos = threads.getThreadCpuTime(t.getThreadId());
                if (nanos >= 0) {
                    threadCpu.merge(t.getThreadId(), nanos, Math::max);
                }
            }
        }
        return threadCpu.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String describe() {
        return "the in-process MediaEngine (packets, packet-thread CPU), the CPU of its own threads (`media-…`), and"
                + " this JVM's MX beans (heap, GC: they include all the clients, which share the JVM)";
    }
}
