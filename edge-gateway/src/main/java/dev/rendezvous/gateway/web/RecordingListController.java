package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.RecordingCatalog;
import dev.rendezvous.gateway.store.RecordingObjects;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A meeting's recordings (API.md): the list with presigned download links, for the people admitted into the meeting
 * ({@link HistoryAccess}: its host, invited users, anyone who joined and was not removed since; 403 for anyone else),
 * and deleting one (the meeting's host only; its objects go too).
 * The metadata is what stream-apps stored from {@code recording.control.requested} and {@code recording.file.stored}.
 */
@RestController
public class RecordingListController {

    /** A recording that stopped this long ago without any file is {@code failed}. */
    static final Duration FAILED_AFTER = Duration.ofMinutes(10);

    /** One file of the list; {@code participantName} and {@code source} only for a participant's file. */
    public record FileView(String kind, String participantName, String source, String url, long sizeBytes) {}

    /** One recording of the list; status {@code recording}, {@code processing}, {@code ready} or {@code failed}. */
    public record RecordingView(String recordingId, String status, Instant startedAt, long durationMs, List<FileView> files) {}

    private final Meetings meetings;
    private final HistoryAccess access;
    private final RecordingCatalog catalog;
    private final RecordingObjects objects;
    private final Bearer bearer;
    private final Clock clock;

    public RecordingListController(Meetings meetings, HistoryAccess access, RecordingCatalog catalog,
                                   RecordingObjects objects, Bearer bearer, Clock clock) {
        this.meetings = meetings;
        this.access = access;
        this.catalog = catalog;
        this.objects = objects;
        this.bearer = bearer;
        this.clock = clock;
    }

    @GetMapping("/api/v1/meetings/{meetingId}/recordings")
    public Mono<ResponseEntity<List<RecordingView>>> list(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId) {
        TokenClaims c = bearer.require(authorization);
        return meeting(meetingId)
                .flatMap(m -> access.checkRecorded(c, m).then(catalog.list(m.id())))
                .map(list -> ResponseEntity.ok()
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")   // the links are credentials
                        .body(list.stream().map(this::view).toList()));
    }

    @DeleteMapping("/api/v1/meetings/{meetingId}/recordings/{recordingId}")
    public Mono<ResponseEntity<Void>> delete(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @PathVariable String meetingId, @PathVariable String recordingId) {
        TokenClaims c = bearer.require(authorization);
        return meeting(meetingId)
                .flatMap(m -> {
                    if (!c.isUser() || !c.userId().equals(m.hostId())) {
                        return Mono.error(ApiException.forbidden("only the meeting's host may delete its recordings"));
                    }
                    return catalog.find(m.id(), recordingId)
                            .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.NOT_FOUND, "recording_not_found",
                                    "no such recording in this meeting")));
                })
                .flatMap(r -> {
                    if (r.stoppedAt() == null) {
                        return Mono.error(new ApiException(HttpStatus.CONFLICT, "still_recording",
                                "stop the recording before deleting it"));
                    }
                    return Mono.whenDelayError(r.files().stream().map(RecordingCatalog.File::bucket).distinct()
                                    .map(b -> objects.delete(b, r.files().stream().filter(f -> f.bucket().equals(b))
                                            .map(RecordingCatalog.File::objectKey).toList())).toList())
                            .then(catalog.delete(r.recordingId()));
                })
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<MeetingRecord> meeting(String meetingId) {
        UUID id = HostRequests.uuid(meetingId);
        if (id == null) {
            return Mono.error(ApiException.meetingNotFound());
        }
        return meetings.findById(id).switchIfEmpty(Mono.error(ApiException::meetingNotFound));
    }

    RecordingView view(RecordingCatalog.Recording r) {
        Instant now = clock.instant();
        String status;
        if (r.stoppedAt() == null) {
            status = "recording";
        } else if (!r.files().isEmpty()) {
            status = "ready";
        } else {
            status = r.stoppedAt().plus(FAILED_AFTER).isBefore(now) ? "failed" : "processing";
        }
        Instant end = r.stoppedAt() != null ? r.stoppedAt() : now;
        long duration = r.startedAt() == null ? 0 : Math.max(0, Duration.between(r.startedAt(), end).toMillis());
        return new RecordingView(r.recordingId(), status, r.startedAt(), duration, r.files().stream()
                .map(f -> new FileView(f.kind(), "participant".equals(f.kind())
                        ? (f.participantName() != null ? f.participantName() : "Guest") : null,
                        "participant".equals(f.kind()) ? f.source() : null, objects.link(f.bucket(), f.objectKey()),
                        f.sizeBytes()))
                .toList());
    }
}
