package dev.rendezvous.loadtest.media;

import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.forwarder.media.StageCounters;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-process {@link MediaEngine}: packets and packet-thread CPU from the engine itself, heap, GC and CPU
 * from this JVM — which also runs every client, so the JVM-wide figures are not the forwarder's alone (the
 * report says so; the per-core figure of this mode uses the packet thread).
 */
public final class EngineProbe implements ForwarderProbe {

    private final MediaEngine engine;

    public EngineProbe(MediaEngine engine) {
        this.engine = engine;
    }

    @Override
    public ForwarderSample sample() {
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : Double.NaN;
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

    @Override
    public String describe() {
        return "the in-process MediaEngine (packets, packet-thread CPU) and this JVM's MX beans (CPU, heap, GC:"
                + " they include all the clients, which share the JVM)";
    }
}
