package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A forwarder's load and quality, once a second (topic {@code forwarder.metrics.reported}, key = forwarder
 * id). Placement turns these into weights and penalties; a forwarder whose records stop is unhealthy.
 *
 * <p>{@code draining}: the forwarder is shutting down (SIGTERM or its admin call): it takes no new rooms and its
 * rooms are moved to their standbys. A record written before this field existed has none and reads as
 * {@code false} (boxed on purpose: an absent field is null, never a decoding error).
 */
public record ForwarderMetrics(
        String forwarderId,
        String region,
        Instant at,
        int capacity,
        int rooms,
        int participants,
        int streamsIn,
        int streamsOut,
        double packetsInPerSec,
        double packetsOutPerSec,
        double bitrateInBps,
        double bitrateOutBps,
        double lossRatio,
        double jitterMs,
        double rttMs,
        double cpuLoad,
        Boolean draining) {

    public ForwarderMetrics {
        draining = Boolean.TRUE.equals(draining);
    }

    /** Not draining (every record before draining existed, and most records since). */
    public ForwarderMetrics(String forwarderId, String region, Instant at, int capacity, int rooms, int participants,
                            int streamsIn, int streamsOut, double packetsInPerSec, double packetsOutPerSec,
                            double bitrateInBps, double bitrateOutBps, double lossRatio, double jitterMs, double rttMs,
                            double cpuLoad) {
        this(forwarderId, region, at, capacity, rooms, participants, streamsIn, streamsOut, packetsInPerSec,
                packetsOutPerSec, bitrateInBps, bitrateOutBps, lossRatio, jitterMs, rttMs, cpuLoad, false);
    }

    /** Whether the forwarder announced that it is draining. */
    public boolean isDraining() {
        return Boolean.TRUE.equals(draining);
    }

    /** The same figures, draining or not. */
    public ForwarderMetrics withDraining(boolean d) {
        return new ForwarderMetrics(forwarderId, region, at, capacity, rooms, participants, streamsIn, streamsOut,
                packetsInPerSec, packetsOutPerSec, bitrateInBps, bitrateOutBps, lossRatio, jitterMs, rttMs, cpuLoad, d);
    }
}
