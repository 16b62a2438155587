package dev.rendezvous.gateway.shared;

import dev.rendezvous.gateway.ws.DeliveryTarget;
import dev.rendezvous.topics.model.RoomEvent;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a host's removal into a revocation: when a REMOVED delivery reaches one of this gateway's sockets, the
 * removed participant is revoked for that meeting (and a guest, whose token is good for that meeting only, entirely)
 * for as long as any token issued now could live. Every gateway then refuses their join at once, before asking the
 * room processor (which refuses it too). Wraps the delivery targets; the event itself goes on unchanged.
 */
public final class RemovalRevoker {

    private static final Logger log = LoggerFactory.getLogger(RemovalRevoker.class);

    private final Revocations revocations;
    private final Duration tokenLifetime;
    private final Clock clock;

    /** @param tokenLifetime how long a token issued now lives (token TTL plus clock skew) */
    public RemovalRevoker(Revocations revocations, Duration tokenLifetime, Clock clock) {
        this.revocations = revocations;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
    }

    /** {@code target}, also revoking on REMOVED; null stays null. */
    public DeliveryTarget watch(DeliveryTarget target) {
        if (target == null) {
            return null;
        }
        return event -> {
            if (event.type() == RoomEvent.Type.REMOVED) {
                revoke(event);
            }
            target.deliver(event);
        };
    }

    void revoke(RoomEvent event) {
        String participant = event.host() == null ? null : event.host().participantId();
        if (participant == null || event.meetingId() == null) {
            return;
        }
        var until = clock.instant().plus(tokenLifetime);
        revocations.revoke(RevocationKeys.participant(event.meetingId(), participant), until)
                .then(participant.startsWith("guest:")
                        ? revocations.revoke(RevocationKeys.subject(participant), until)
                        : reactor.core.publisher.Mono.empty())
                .subscribe(v -> {}, e -> log.warn("cannot record the removal of {} from {}: {}", participant,
                        event.meetingId(), e.toString()));
    }
}
