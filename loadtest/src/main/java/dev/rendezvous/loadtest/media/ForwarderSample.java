package dev.rendezvous.loadtest.media;

import java.util.Map;

/**
 * The forwarder's cumulative figures at one moment, whichever way they were read (its Prometheus endpoint, or
 * the in-process engine and this JVM's MX beans). Runs are measured as the difference of two samples.
 *
 * @param nanos             {@link System#nanoTime()} when taken
 * @param packetsIn         UDP datagrams received
 * @param packetsOut        UDP datagrams sent
 * @param cpuNanos          CPU time of the forwarder's whole JVM (in-process: this JVM, clients included)
 * @param packetThreadNanos CPU time of the forwarder's packet thread; -1 unknown
 * @param heapBytes         heap in use now
 * @param gcPauses          GC pauses so far
 * @param gcPauseSeconds    their total time
 * @param gcPauseMaxSeconds the longest recent pause (Micrometer's decaying max; in-process: NaN)
 * @param bitrateOutBps     the forwarder's own last-second egress bitrate (a gauge, not cumulative)
 * @param participants      participants the forwarder holds now
 * @param stages            {@code stage,outcome} → packets, the packet path's counters
 */
public record ForwarderSample(long nanos, double packetsIn, double packetsOut, double cpuNanos,
                              double packetThreadNanos, double heapBytes, double gcPauses, double gcPauseSeconds,
                              double gcPauseMaxSeconds, double bitrateOutBps, double participants,
                              Map<String, Double> stages) {

    public ForwarderSample {
        stages = Map.copyOf(stages);
    }
}
