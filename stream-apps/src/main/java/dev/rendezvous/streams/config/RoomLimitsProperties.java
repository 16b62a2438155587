package dev.rendezvous.streams.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.room-limits.*}: hard limits of the room processor.
 *
 * @param maxSocketsPerRoom most sockets in one room, whatever the meeting's own participant limit; a JOIN past it is
 *                          refused with {@code room_full}
 * @param historyTimeout    longest wait for PostgreSQL when a room without a chat window reads its newest stored messages
 * @param controlRetention  how long the room processor keeps the control record of a room nobody is in (host,
 *                          co-hosts, lock, removals, whether it ended) after its last change; a co-host's rights to
 *                          the meeting's analytics and invitations after it ended last as long
 */
@ConfigurationProperties("rendezvous.room-limits")
public record RoomLimitsProperties(
        @DefaultValue("1000") int maxSocketsPerRoom,
        @DefaultValue("PT2S") Duration historyTimeout,
        @DefaultValue("P30D") Duration controlRetention) {

    public RoomLimitsProperties {
        if (maxSocketsPerRoom < 1) {
            throw new IllegalArgumentException("rendezvous.room-limits.max-sockets-per-room must be at least 1");
        }
        if (historyTimeout == null || historyTimeout.isNegative() || historyTimeout.isZero()) {
            throw new IllegalArgumentException("rendezvous.room-limits.history-timeout must be positive");
        }
        if (controlRetention == null || controlRetention.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("rendezvous.room-limits.control-retention must be at least an hour");
        }
    }
}
