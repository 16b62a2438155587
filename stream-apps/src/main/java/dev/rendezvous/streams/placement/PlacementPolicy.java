package dev.rendezvous.streams.placement;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a room is placed: among the forwarders whose metrics are fresh, the {@code hosts} best by weighted
 * rendezvous hashing (the first is the primary, the others stand by).
 *
 * @param healthyWithin a forwarder whose latest metrics are older than this (relative to the triggering
 *                      record's timestamp) is unhealthy and is not chosen
 * @param hosts         how many forwarders to pick: primary + standbys (at least 1; the design asks for 2)
 */
public record PlacementPolicy(Duration healthyWithin, int hosts) {

    public static final Duration DEFAULT_HEALTHY_WITHIN = Duration.ofSeconds(10);
    public static final int DEFAULT_HOSTS = 2;

    public PlacementPolicy {
        Objects.requireNonNull(healthyWithin, "healthyWithin");
        if (healthyWithin.isNegative() || healthyWithin.isZero()) {
            throw new IllegalArgumentException("healthyWithin must be positive, was " + healthyWithin);
        }
        if (hosts < 1) {
            throw new IllegalArgumentException("hosts must be at least 1, was " + hosts);
        }
    }

    public static PlacementPolicy defaults() {
        return new PlacementPolicy(DEFAULT_HEALTHY_WITHIN, DEFAULT_HOSTS);
    }

    /**
     * The chosen forwarder ids for {@code roomId}, primary first; empty when no forwarder is healthy.
     *
     * @param fleet forwarder id → its latest metrics (null values are skipped)
     * @param now   the triggering record's timestamp
     */
    public List<String> choose(String roomId, Map<String, ForwarderMetrics> fleet, Instant now) {
        List<WeightedRendezvous.Host> candidates = new ArrayList<>(fleet.size());
        fleet.forEach((id, m) -> {
            if (id != null && m != null && ForwarderWeight.healthy(m, now, healthyWithin)) {
                candidates.add(new WeightedRendezvous.Host(id, ForwarderWeight.weight(m)));
            }
        });
        return candidates.isEmpty() ? List.of() : WeightedRendezvous.best(roomId, candidates, hosts);
    }
}
