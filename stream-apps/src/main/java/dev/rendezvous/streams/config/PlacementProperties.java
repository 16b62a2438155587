package dev.rendezvous.streams.config;

import dev.rendezvous.streams.placement.PlacementPolicy;
import dev.rendezvous.streams.room.FailoverSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.placement.*}: how rooms are placed on media forwarders.
 *
 * @param healthyWithin a forwarder whose latest metrics are older than this, relative to the record being
 *                      processed, is unhealthy and gets no new rooms (forwarders report every second)
 * @param hosts         forwarders chosen per room: the primary and hosts − 1 standbys
 * @param unhealthyAfter a forwarder whose metrics record has not changed for this long (this process's wall clock)
 *                      is dead: its rooms move to their standbys (failover)
 * @param failoverCheckInterval how often each room task looks for dead or draining forwarders
 * @param skeleton      when the skeleton tree replaces scoring every forwarder (large fleets)
 */
@ConfigurationProperties("rendezvous.placement")
public record PlacementProperties(
        @DefaultValue("PT10S") Duration healthyWithin,
        @DefaultValue("2") int hosts,
        @DefaultValue("PT3S") Duration unhealthyAfter,
        @DefaultValue("PT0.1S") Duration failoverCheckInterval,
        @DefaultValue Skeleton skeleton) {

    /**
     * {@code rendezvous.placement.skeleton.*}: a group of at least {@code from} healthy forwarders is searched with
     * a tree of branching factor {@code branching}, rebuilt when members change or its weights are
     * {@code refresh} old.
     */
    public record Skeleton(@DefaultValue("64") int from, @DefaultValue("8") int branching,
                           @DefaultValue("PT1S") Duration refresh) {}

    public PlacementProperties {
        if (healthyWithin == null || healthyWithin.isNegative() || healthyWithin.isZero()) {
            throw new IllegalArgumentException("rendezvous.placement.healthy-within must be positive");
        }
        if (hosts < 1) {
            throw new IllegalArgumentException("rendezvous.placement.hosts must be at least 1");
        }
    }

    FailoverSettings failover() {
        return new FailoverSettings(unhealthyAfter, failoverCheckInterval);
    }

    PlacementPolicy policy() {
        return new PlacementPolicy(healthyWithin, hosts, skeleton.from(), skeleton.branching(), skeleton.refresh());
    }
}
