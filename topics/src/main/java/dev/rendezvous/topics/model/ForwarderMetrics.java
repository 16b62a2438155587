package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A forwarder's load and quality, once a second (topic {@code forwarder.metrics.reported}, key = forwarder
 * id). Placement turns these into weights and penalties; a forwarder whose records stop is unhealthy.
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
        double cpuLoad) {}
