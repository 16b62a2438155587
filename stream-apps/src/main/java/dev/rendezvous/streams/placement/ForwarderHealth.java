package dev.rendezvous.streams.placement;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which forwarders a room may not stay on or be placed on: those whose metrics stopped ({@link Judgement#silent})
 * and those that announced they are draining ({@link Judgement#draining}).
 *
 * <p>Silence is measured on the observer's clock from the moment it saw a forwarder's record change (its
 * {@code at}), never by comparing the forwarder's clock with ours: a forwarder whose latest record has not changed
 * for {@code unhealthyAfter} is silent. A forwarder seen for the first time (after a restart or a rebalance of the
 * observer) starts with a full period. While no forwarder at all has reported within the period, nobody is judged
 * silent: then our view is stale (a broker outage, our own stall), not the whole fleet dead, and there would be
 * nowhere to move rooms anyway. A silent forwarder that reports again (the same id, restarted) is healthy at once.
 *
 * <p>Kept in memory by one observer (a stream task's punctuator); not thread-safe. Pure apart from that state: the
 * caller passes the time.
 */
public final class ForwarderHealth {

    /** Forwarders not to use: silent ones and draining ones (ids sorted, for stable output). */
    public record Judgement(Set<String> silent, Set<String> draining) {
        public static final Judgement NONE = new Judgement(Set.of(), Set.of());

        public Judgement {
            silent = Set.copyOf(silent);
            draining = Set.copyOf(draining);
        }

        /** Whether a room may be (or stay) on this forwarder. */
        public boolean usable(String forwarderId) {
            return !silent.contains(forwarderId) && !draining.contains(forwarderId);
        }

        /** Silent and draining together. */
        public Set<String> avoided() {
            Set<String> all = new TreeSet<>(silent);
            all.addAll(draining);
            return all;
        }
    }

    private record Seen(Instant at, long since) {}

    private final Duration unhealthyAfter;
    private final Map<String, Seen> seen = new HashMap<>();

    public ForwarderHealth(Duration unhealthyAfter) {
        Objects.requireNonNull(unhealthyAfter, "unhealthyAfter");
        if (unhealthyAfter.toMillis() < 1) {
            throw new IllegalArgumentException("unhealthyAfter must be positive, was " + unhealthyAfter);
        }
        this.unhealthyAfter = unhealthyAfter;
    }

    public Duration unhealthyAfter() {
        return unhealthyAfter;
    }

    /**
     * Looks at every forwarder's latest metrics at {@code nowMillis} (the observer's clock) and judges them.
     * Forwarders gone from {@code fleet} are forgotten.
     */
    public Judgement observe(Map<String, ForwarderMetrics> fleet, long nowMillis) {
        seen.keySet().retainAll(fleet.keySet());
        Set<String> silent = new TreeSet<>();
        Set<String> draining = new TreeSet<>();
        boolean anyAlive = false;
        for (Map.Entry<String, ForwarderMetrics> e : fleet.entrySet()) {
            ForwarderMetrics m = e.getValue();
            if (e.getKey() == null || m == null) {
                continue;
            }
            Seen before = seen.get(e.getKey());
            if (before == null || !Objects.equals(before.at(), m.at())) {
                before = new Seen(m.at(), nowMillis);
                seen.put(e.getKey(), before);
            }
            if (nowMillis - before.since() >= unhealthyAfter.toMillis()) {
                silent.add(e.getKey());
            } else {
                anyAlive = true;
                if (m.isDraining()) {
                    draining.add(e.getKey());
                }
            }
        }
        return new Judgement(anyAlive ? silent : Set.of(), draining);
    }
}
