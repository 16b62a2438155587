package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.PresenceSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.room.*}: when the room processor gives up on a gateway.
 *
 * @param gatewaySilence        a gateway whose heartbeats ({@code gateway.heartbeat.reported}) stop for this long is
 *                              dead: its sockets leave their rooms with every effect of a LEAVE
 * @param presenceCheckInterval how often each room task looks at the heartbeats (wall-clock time)
 */
@ConfigurationProperties("rendezvous.room")
public record RoomPresenceProperties(
        @DefaultValue("PT10S") Duration gatewaySilence,
        @DefaultValue("PT1S") Duration presenceCheckInterval) {

    public RoomPresenceProperties {
        if (gatewaySilence == null || gatewaySilence.toMillis() < 1) {
            throw new IllegalArgumentException("rendezvous.room.gateway-silence must be positive");
        }
        if (presenceCheckInterval == null || presenceCheckInterval.toMillis() < 1) {
            throw new IllegalArgumentException("rendezvous.room.presence-check-interval must be positive");
        }
    }

    PresenceSettings settings() {
        return new PresenceSettings(gatewaySilence, presenceCheckInterval);
    }
}
