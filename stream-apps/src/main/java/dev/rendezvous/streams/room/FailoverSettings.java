package dev.rendezvous.streams.room;

import java.time.Duration;
import java.util.Objects;

/**
 * When the room processor gives up on a forwarder and moves its rooms ({@link Failover}).
 *
 * @param unhealthyAfter a forwarder whose metrics record has not changed for this long (this process's wall clock) is
 *                       dead: its rooms move to their standbys
 * @param checkInterval  how often (wall-clock time) each room task looks at the forwarders' metrics; a silence is
 *                       noticed up to one interval late (a check reads the fleet's latest metrics, a few hundred
 *                       bytes per forwarder: cheap), so the default is short
 */
public record FailoverSettings(Duration unhealthyAfter, Duration checkInterval) {

    public static final Duration DEFAULT_UNHEALTHY_AFTER = Duration.ofSeconds(3);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(100);

    public FailoverSettings {
        Objects.requireNonNull(unhealthyAfter, "unhealthyAfter");
        Objects.requireNonNull(checkInterval, "checkInterval");
        if (unhealthyAfter.toMillis() < 1 || checkInterval.toMillis() < 1) {
            throw new IllegalArgumentException("unhealthy-after and the failover check interval must be positive");
        }
    }

    public static FailoverSettings defaults() {
        return new FailoverSettings(DEFAULT_UNHEALTHY_AFTER, DEFAULT_CHECK_INTERVAL);
    }
}
