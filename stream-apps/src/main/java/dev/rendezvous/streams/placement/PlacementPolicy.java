package dev.rendezvous.streams.placement;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a room is placed: among the forwarders whose metrics are fresh, the {@code hosts} best by weighted
 * rendezvous hashing (the first is the primary, the others stand by); the client's region first, and the
 * skeleton tree for large fleets ({@link Placer}, which a processor keeps between placements).
 *
 * @param healthyWithin   a forwarder whose latest metrics are older than this (relative to the triggering
 *                        record's timestamp) is unhealthy and is not chosen
 * @param hosts           how many forwarders to pick: primary + standbys (at least 1; the design asks for 2)
 * @param skeletonFrom    a group of at least this many healthy forwarders is searched with the skeleton tree,
 *                        a smaller one by scoring every host (the crossover measured in docs/benchmarks.md)
 * @param branching       the skeleton tree's branching factor (at least 2)
 * @param skeletonRefresh how old a tree's weights may get before it is rebuilt (a change of members rebuilds it
 *                        at once)
 */
public record PlacementPolicy(Duration healthyWithin, int hosts, int skeletonFrom, int branching,
                              Duration skeletonRefresh) {

    public static final Duration DEFAULT_HEALTHY_WITHIN = Duration.ofSeconds(10);
    public static final int DEFAULT_HOSTS = 2;
    public static final int DEFAULT_SKELETON_FROM = 64;
    public static final int DEFAULT_BRANCHING = 8;
    public static final Duration DEFAULT_SKELETON_REFRESH = Duration.ofSeconds(1);

    /** The defaults for the skeleton. */
    public PlacementPolicy(Duration healthyWithin, int hosts) {
        this(healthyWithin, hosts, DEFAULT_SKELETON_FROM, DEFAULT_BRANCHING, DEFAULT_SKELETON_REFRESH);
    }

    public PlacementPolicy {
        Objects.requireNonNull(healthyWithin, "healthyWithin");
        if (healthyWithin.isNegative() || healthyWithin.isZero()) {
            throw new IllegalArgumentException("healthyWithin must be positive, was " + healthyWithin);
        }
        if (hosts < 1) {
            throw new IllegalArgumentException("hosts must be at least 1, was " + hosts);
        }
        if (skeletonFrom < 1) {
            throw new IllegalArgumentException("skeletonFrom must be at least 1, was " + skeletonFrom);
        }
        if (branching < 2) {
            throw new IllegalArgumentException("branching must be at least 2, was " + branching);
        }
        Objects.requireNonNull(skeletonRefresh, "skeletonRefresh");
        if (skeletonRefresh.isNegative()) {
            throw new IllegalArgumentException("skeletonRefresh must not be negative, was " + skeletonRefresh);
        }
    }

    public static PlacementPolicy defaults() {
        return new PlacementPolicy(DEFAULT_HEALTHY_WITHIN, DEFAULT_HOSTS);
    }

    /** A placer for one processor (it keeps the skeleton tree between placements). */
    public Placer placer() {
        return new Placer(this);
    }

    /**
     * The chosen forwarder ids for {@code roomId}, primary first, with no region hint and no tree kept between
     * calls; empty when no forwarder is healthy.
     *
     * @param fleet forwarder id → its latest metrics (null values are skipped)
     * @param now   the triggering record's timestamp
     */
    public List<String> choose(String roomId, Map<String, ForwarderMetrics> fleet, Instant now) {
        return placer().choose(roomId, fleet, now, null);
    }
}
