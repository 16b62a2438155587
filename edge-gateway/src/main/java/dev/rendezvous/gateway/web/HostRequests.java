package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.gateway.store.MeetingDirectory;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.ws.GatewayIdentity;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * A host action asked over REST: finds the meeting, sends a {@link HostActionRequest} to
 * {@code room.host.requested} and waits for the room processor's decision (a HOST_RESULT delivery to this
 * gateway), which becomes the outcome: applied, or an {@link ApiException} — forbidden 403, no such participant
 * 404, not in that state 409, invalid 400; no answer within the timeout 503 {@code unavailable} (the request may
 * still be applied). The creator's actions but LIST on a meeting whose end is stored are answered 409
 * {@code meeting_ended} here, without asking a room the processor may have forgotten.
 */
public final class HostRequests {

    private final MeetingDirectory meetings;
    private final EventBus bus;
    private final HostReplies replies;
    private final GatewayIdentity gateway;
    private final Clock clock;
    private final Duration timeout;

    public HostRequests(MeetingDirectory meetings, EventBus bus, HostReplies replies, GatewayIdentity gateway,
                        Clock clock, Duration timeout) {
        this.meetings = meetings;
        this.bus = bus;
        this.replies = replies;
        this.gateway = gateway;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Finds the meeting, sends the request and waits for the decision; errors are {@link ApiException}s. */
    Mono<HostEvent> ask(TokenClaims c, String meetingId, Action action, String target, HostActionRequest.Mute mute) {
        return ask(c, meetingId, action, target, mute, null);
    }

    /** {@link #ask} for RECORD_START (the new recording's id) and RECORD_STOP (the recording to stop). */
    Mono<HostEvent> ask(TokenClaims c, String meetingId, Action action, String target, HostActionRequest.Mute mute,
                        String recordingId) {
        UUID id = uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        return meetings.findById(id)
                .switchIfEmpty(Mono.error(ApiException::meetingNotFound))
                .flatMap(m -> {
                    if (c.isGuest() && !c.isGuestOf(m.id())) {
                        return Mono.error(ApiException.forbidden("this guest token is for another meeting"));
                    }
                    if (m.endedAt() != null && action != Action.LIST && c.isUser() && c.userId().equals(m.hostId())) {
                        // the creator of an ended meeting: the stored end decides, also once the room processor has
                        // forgotten the room (ControlSweep), which would otherwise apply a LOCK or a second END;
                        // others are asked, and without a record of the room they have no rights (403)
                        return Mono.error(new ApiException(HttpStatus.CONFLICT, "meeting_ended", "the meeting has ended"));
                    }
                    return send(c, m, action, target, mute, recordingId);
                })
                .flatMap(HostRequests::outcome);
    }

    private Mono<HostEvent> send(TokenClaims c, MeetingRecord m, Action action, String target, HostActionRequest.Mute mute,
                                 String recordingId) {
        String requestId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        String meetingId = m.id().toString();
        boolean owner = c.isUser() && c.userId().equals(m.hostId());
        HostActionRequest req = new HostActionRequest(requestId, meetingId, action, c.subject(), null, gateway.id(),
                gateway.deliveryPartition(), HostActionRequest.restReplyTo(requestId), owner, target, mute, null, recordingId,
                now);
        return replies.call(requestId, bus.publish(Topics.HOST_REQUESTED, meetingId, req, now), timeout)
                .onErrorMap(TimeoutException.class, e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
                        "the meeting did not answer in time; the action may still be applied"))
                .onErrorMap(e -> !(e instanceof ApiException), e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "unavailable", "the request could not be sent; try again"));   // Kafka refused it
    }

    private static Mono<HostEvent> outcome(HostEvent r) {
        HostEvent.Outcome o = r.outcome() == null ? HostEvent.Outcome.INVALID : r.outcome();
        HttpStatus status = switch (o) {
            case APPLIED -> null;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INVALID -> HttpStatus.BAD_REQUEST;
        };
        if (status == null) {
            return Mono.just(r);
        }
        return Mono.error(new ApiException(status, r.error() == null ? o.name().toLowerCase(Locale.ROOT) : r.error(),
                r.message() == null ? "the request was refused" : r.message()));
    }

    static UUID uuid(String s) {
        try {
            UUID u = UUID.fromString(s);
            return u.toString().equals(s.toLowerCase(Locale.ROOT)) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
