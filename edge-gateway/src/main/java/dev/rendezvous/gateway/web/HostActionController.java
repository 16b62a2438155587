package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Role;
import java.util.List;
import java.util.Locale;
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
 * gateway authenticates the caller (and answers the creator of an ended meeting itself, see {@link HostRequests});
 * {@link HostRequests} asks the room processor and turns its decision into the status: applied 202 (200 with the
 * list), forbidden 403, no such participant 404, not in that state 409, invalid 400; no answer within the timeout
 * 503 {@code unavailable} (the request may still be applied).
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

    private final HostRequests requests;
    private final Bearer bearer;

    public HostActionController(HostRequests requests, Bearer bearer) {
        this.requests = requests;
        this.bearer = bearer;
    }

    @GetMapping("/api/v1/meetings/{meetingId}/participants")
    public Mono<ResponseEntity<List<ParticipantView>>> participants(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        return requests.ask(c, meetingId, Action.LIST, null, null)
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
        return requests.ask(c, meetingId, a.action, participantId, mute).map(r -> ResponseEntity.accepted().build());
    }

    @PostMapping("/api/v1/meetings/{meetingId}/end")
    public Mono<ResponseEntity<Void>> end(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        return requests.ask(c, meetingId, Action.END, null, null)
                .onErrorResume(ApiException.class, e -> "meeting_ended".equals(e.code())
                        ? Mono.just(HostEvent.result(null, Action.END, HostEvent.Outcome.APPLIED, null, null, null))
                        : Mono.error(e))   // ending an ended meeting again: already done
                .map(r -> ResponseEntity.accepted().build());
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
}
