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
import dev.rendezvous.topics.model.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Host controls over REST (API.md): the participants list, the per-participant actions and ending the meeting. The
 * gateway only authenticates the caller and finds the meeting; it sends a {@link HostActionRequest} to
 * {@code room.host.requested} and waits for the room processor's decision (a HOST_RESULT delivery to this gateway),
 * which it turns into the status: applied 202 (200 with the list), forbidden 403, no such participant 404, not in that
 * state 409, invalid 400. No answer within the timeout: 503 {@code unavailable} (the request may still be applied).
 */
@RestController
public class HostActionController {

    /** Path actions (API.md) and the request actions they become. */
    enum PathAction {
        REMOVE(Action.REMOVE), ADMIT(Action.ADMIT), DENY(Action.DENY), MUTE(Action.MUTE), PROMOTE(Action.PROMOTE),
        DEMOTE(Action.DEMOTE);

        final Action action;

        PathAction(Action action) {
            this.action = action;
        }

        static PathAction of(String s) {
            for (PathAction a : values()) {
                if (a.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return a;
                }
            }
            return null;
        }
    }

    public record MuteBody(Boolean audio, Boolean video, Boolean allowUnmute) {}

    /** One entry of the participants list: role {@code host|cohost|participant|guest}, state {@code in|lobby}. */
    public record ParticipantView(String participantId, String displayName, String role, String state) {}

    private final MeetingDirectory meetings;
    private final EventBus bus;
    private final HostReplies replies;
    private final GatewayIdentity gateway;
    private final Bearer bearer;
    private final Clock clock;
    private final Duration timeout;

    public HostActionController(MeetingDirectory meetings, EventBus bus, HostReplies replies, GatewayIdentity gateway,
                                Bearer bearer, Clock clock, Duration timeout) {
        this.meetings = meetings;
        this.bus = bus;
        this.replies = replies;
        this.gateway = gateway;
        this.bearer = bearer;
        this.clock = clock;
        this.timeout = timeout;
    }

    @GetMapping("/api/v1/meetings/{meetingId}/participants")
    public Mono<ResponseEntity<List<ParticipantView>>> participants(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        return ask(c, meetingId, Action.LIST, null, null)
                .map(r -> ResponseEntity.ok(r.people() == null ? List.<ParticipantView>of()
                        : r.people().stream().map(HostActionController::view).toList()));
    }

    @PostMapping("/api/v1/meetings/{meetingId}/participants/{participantId}/{action}")
    public Mono<ResponseEntity<Void>> act(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId, @PathVariable String participantId, @PathVariable String action,
            @RequestBody(required = false) MuteBody body) {
        TokenClaims c = bearer.require(authorization);
        PathAction a = PathAction.of(action);
        if (a == null) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "unknown_action",
                    "the action must be one of remove, admit, deny, mute, promote, demote"));
        }
        if (participantId.isBlank() || participantId.length() > 200) {
            return Mono.error(ApiException.invalid("participantId must have 1 to 200 characters"));
        }
        HostActionRequest.Mute mute = null;
        if (a == PathAction.MUTE) {
            boolean audio = body == null || body.audio() == null ? body == null || body.video() == null || !body.video()
                    : body.audio();
            boolean video = body != null && Boolean.TRUE.equals(body.video());
            mute = new HostActionRequest.Mute(audio, video, body == null || body.allowUnmute() == null || body.allowUnmute());
        }
        return ask(c, meetingId, a.action, participantId, mute).map(r -> ResponseEntity.accepted().build());
    }

    @PostMapping("/api/v1/meetings/{meetingId}/end")
    public Mono<ResponseEntity<Void>> end(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        return ask(c, meetingId, Action.END, null, null)
                .onErrorResume(ApiException.class, e -> "meeting_ended".equals(e.code())
                        ? Mono.just(HostEvent.result(null, Action.END, HostEvent.Outcome.APPLIED, null, null, null))
                        : Mono.error(e))   // ending an ended meeting again: already done
                .map(r -> ResponseEntity.accepted().build());
    }

    /** Finds the meeting, sends the request and waits for the decision; errors are {@link ApiException}s. */
    private Mono<HostEvent> ask(TokenClaims c, String meetingId, Action action, String target, HostActionRequest.Mute mute) {
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
                    return send(c, m, action, target, mute);
                })
                .flatMap(HostActionController::outcome);
    }

    private Mono<HostEvent> send(TokenClaims c, MeetingRecord m, Action action, String target, HostActionRequest.Mute mute) {
        String requestId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        String meetingId = m.id().toString();
        boolean owner = c.isUser() && c.userId().equals(m.hostId());
        HostActionRequest req = new HostActionRequest(requestId, meetingId, action, c.subject(), null, gateway.id(),
                gateway.deliveryPartition(), HostActionRequest.restReplyTo(requestId), owner, target, mute, null, now);
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

    static ParticipantView view(HostEvent.Person p) {
        return new ParticipantView(p.participantId(), p.displayName(), roleName(p.role()),
                p.state() == null ? null : p.state().name().toLowerCase(Locale.ROOT));
    }

    /** API.md's role names: a registered user who is neither host nor co-host is a "participant". */
    static String roleName(Role r) {
        if (r == null) {
            return null;
        }
        return switch (r) {
            case HOST -> "host";
            case COHOST -> "cohost";
            case USER -> "participant";
            case GUEST -> "guest";
        };
    }

    private static UUID uuid(String s) {
        try {
            UUID u = UUID.fromString(s);
            return u.toString().equals(s.toLowerCase(Locale.ROOT)) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
