package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.ws.LeavePublisher;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.gateway.presence.*}: how this gateway proves it and its sockets are alive, and how hard it tries
 * to have a LEAVE delivered.
 *
 * @param heartbeatInterval  how often the gateway writes its heartbeat ({@code gateway.heartbeat.reported})
 * @param assumeLostAfter    beats undelivered for this long: the gateway may have been declared dead (stream-apps'
 *                           {@code rendezvous.room.gateway-silence}, 10 s by default, must be longer), so when beats
 *                           get through again it closes every socket (1012) for its page to reconnect and join again
 * @param pingInterval       how often each socket is sent a WebSocket ping (and checked for idleness)
 * @param idleTimeout        a socket from which nothing (no frame, no pong) came for this long is closed (4408) and
 *                           leaves its meetings
 * @param leaveRetries       LEAVE sends after the first, when the broker did not acknowledge it
 * @param leaveFirstBackoff  wait before the first of them; doubles up to {@code leaveMaxBackoff}
 * @param leaveMaxBackoff    longest wait between two of them
 * @param identityRecheck    how often the tokens the open sockets joined their meetings with are checked again
 *                           ({@code ws.IdentityRecheck}): a membership whose token was revoked (logout on any gateway)
 *                           or whose user was deleted ends within this; the same pass renews the tokens with less
 *                           than half their life left (a {@code token} frame) and puts out those that expired
 */
@ConfigurationProperties("rendezvous.gateway.presence")
public record PresenceSettings(
        @DefaultValue("PT2S") Duration heartbeatInterval,
        @DefaultValue("PT8S") Duration assumeLostAfter,
        @DefaultValue("PT10S") Duration pingInterval,
        @DefaultValue("PT30S") Duration idleTimeout,
        @DefaultValue("6") int leaveRetries,
        @DefaultValue("PT0.2S") Duration leaveFirstBackoff,
        @DefaultValue("PT5S") Duration leaveMaxBackoff,
        @DefaultValue("PT10S") Duration identityRecheck) {

    public PresenceSettings {
        if (!positive(heartbeatInterval) || !positive(assumeLostAfter) || !positive(pingInterval) || !positive(idleTimeout)
                || !positive(identityRecheck)) {
            throw new IllegalArgumentException("rendezvous.gateway.presence durations must be positive");
        }
        if (assumeLostAfter.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException(
                    "rendezvous.gateway.presence.assume-lost-after must be longer than heartbeat-interval");
        }
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("rendezvous.gateway.presence.idle-timeout must be longer than ping-interval");
        }
        leaves(leaveRetries, leaveFirstBackoff, leaveMaxBackoff);   // validates them
    }

    public LeavePublisher.Retries leaves() {
        return leaves(leaveRetries, leaveFirstBackoff, leaveMaxBackoff);
    }

    private static LeavePublisher.Retries leaves(int retries, Duration first, Duration max) {
        try {
            return new LeavePublisher.Retries(retries, first, max);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("rendezvous.gateway.presence.leave-*: " + e.getMessage(), e);
        }
    }

    private static boolean positive(Duration d) {
        return d != null && d.toMillis() > 0;
    }
}
