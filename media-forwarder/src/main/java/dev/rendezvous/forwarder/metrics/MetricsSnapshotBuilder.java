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
    private volatile ForwarderMetrics last;
    private volatile java.util.function.BooleanSupplier draining = () -> false;

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
        ForwarderMetrics m = new ForwarderMetrics(
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
                CpuLoad.clamp(cpu.sample()),
                draining.getAsBoolean());
        last = m;
        return m;
    }

    /** Where {@code draining} comes from (not draining until set). */
    public void drainingFrom(java.util.function.BooleanSupplier source) {
        this.draining = Objects.requireNonNull(source, "source");
    }

    /** The record built last (what was published last), or null before the first. */
    public ForwarderMetrics last() {
        return last;
    }

    /**
     * Exposes the figures of the last record as gauges ({@code rendezvous_forwarder_load{figure=…}}) for the
     * actuator's Prometheus endpoint: the same numbers placement sees.
     */
    public void registerGauges(io.micrometer.core.instrument.MeterRegistry registry) {
        java.util.Map<String, java.util.function.ToDoubleFunction<ForwarderMetrics>> figures = new java.util.LinkedHashMap<>();
        figures.put("rooms", ForwarderMetrics::rooms);
        figures.put("participants", ForwarderMetrics::participants);
        figures.put("streams_in", ForwarderMetrics::streamsIn);
        figures.put("streams_out", ForwarderMetrics::streamsOut);
        figures.put("packets_in_per_second", ForwarderMetrics::packetsInPerSec);
        figures.put("packets_out_per_second", ForwarderMetrics::packetsOutPerSec);
        figures.put("bitrate_in_bps", ForwarderMetrics::bitrateInBps);
        figures.put("bitrate_out_bps", ForwarderMetrics::bitrateOutBps);
        figures.put("loss_ratio", ForwarderMetrics::lossRatio);
        figures.put("jitter_ms", ForwarderMetrics::jitterMs);
        figures.put("rtt_ms", ForwarderMetrics::rttMs);
        figures.put("cpu_load", ForwarderMetrics::cpuLoad);
        figures.forEach((name, f) -> io.micrometer.core.instrument.Gauge.builder("rendezvous.forwarder.load", this,
                        b -> b.last == null ? 0 : f.applyAsDouble(b.last))
                .description("the figures of the last forwarder.metrics.reported record")
                .tag("figure", name)
                .register(registry));
    }
}
