package dev.rendezvous.streams.room;

import java.time.Duration;
import java.util.Objects;

/**
 * When the room processor gives up on a gateway ({@link GatewayWatch}).
 *
 * @param gatewaySilence a gateway whose heartbeats stop for this long is dead: its sockets leave their rooms
 * @param checkInterval  how often (wall-clock time) each room task looks at the gateways' heartbeats
 */
public record PresenceSettings(Duration gatewaySilence, Duration checkInterval) {

    public static final Duration DEFAULT_GATEWAY_SILENCE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

    public PresenceSettings {
        Objects.requireNonNull(gatewaySilence, "gatewaySilence");
        Objects.requireNonNull(checkInterval, "checkInterval");
        if (gatewaySilence.toMillis() < 1 || checkInterval.toMillis() < 1) {
            throw new IllegalArgumentException("gateway silence and check interval must be positive");
        }
    }

    public static PresenceSettings defaults() {
        return new PresenceSettings(DEFAULT_GATEWAY_SILENCE, DEFAULT_CHECK_INTERVAL);
    }
}
