package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Starting and stopping a meeting's recording over REST (API.md). Like every host action, the room processor decides
 * (host and co-hosts only; 409 {@code already_recording} or {@code nothing_to_record}; 404 {@code not_recording}) and
 * the gateway authenticates the caller (and answers the creator of an ended meeting itself, see {@link HostRequests}).
 * The new recording's id is chosen here so that the answer can carry it.
 */
@RestController
public class RecordingController {

    /** The answer to a start. */
    public record Started(String recordingId) {}

    private final HostRequests requests;
    private final Bearer bearer;

    public RecordingController(HostRequests requests, Bearer bearer) {
        this.requests = requests;
        this.bearer = bearer;
    }

    @PostMapping("/api/v1/meetings/{meetingId}/recordings")
    public Mono<ResponseEntity<Started>> start(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        String recordingId = "rec-" + UUID.randomUUID();
        return requests.ask(c, meetingId, Action.RECORD_START, null, null, recordingId)
                .map(r -> ResponseEntity.accepted().body(new Started(recordingId)));
    }

    @PostMapping("/api/v1/meetings/{meetingId}/recordings/{recordingId}/stop")
    public Mono<ResponseEntity<Void>> stop(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId, @PathVariable String recordingId) {
        TokenClaims c = bearer.require(authorization);
        if (recordingId.length() > 64) {
            return Mono.error(new ApiException(HttpStatus.NOT_FOUND, "not_recording", "this recording is not running"));
        }
        return requests.ask(c, meetingId, Action.RECORD_STOP, null, null, recordingId)
                .map(r -> ResponseEntity.accepted().build());
    }
}
