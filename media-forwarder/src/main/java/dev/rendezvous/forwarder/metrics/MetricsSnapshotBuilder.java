package dev.rendezvous.forwarder.metrics;

import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Builds this forwarder's {@link ForwarderMetrics} record from what exists now: its identity and capacity
 * (configuration), the packet path's {@link ForwarderStats} and the process CPU load. {@code at} is the
 * clock's instant truncated to milliseconds, the precision of the Kafka record timestamp it becomes.
 */
public final class MetricsSnapshotBuilder {

    private final String forwarderId;
    private final String region;
    private final int capacity;
    private final ForwarderStats stats;
    private final CpuLoad cpu;
    private final Clock clock;

    public MetricsSnapshotBuilder(String forwarderId, String region, int capacity, ForwarderStats stats, CpuLoad cpu,
                                  Clock clock) {
        this.forwarderId = Objects.requireNonNull(forwarderId, "forwarderId");
        this.region = Objects.requireNonNull(region, "region");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.stats = Objects.requireNonNull(stats, "stats");
        this.cpu = Objects.requireNonNull(cpu, "cpu");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String forwarderId() {
        return forwarderId;
    }

    public ForwarderMetrics build() {
        ForwarderStats.Snapshot s = stats.snapshot();
        return new ForwarderMetrics(
                forwarderId,
                region,
                clock.instant().truncatedTo(ChronoUnit.MILLIS),
                capacity,
                s.rooms(),
                s.participants(),
                s.streamsIn(),
                s.streamsOut(),
                s.packetsInPerSec(),
                s.packetsOutPerSec(),
                s.bitrateInBps(),
                s.bitrateOutBps(),
                s.lossRatio(),
                s.jitterMs(),
                s.rttMs(),
                CpuLoad.clamp(cpu.sample()));
    }
}
