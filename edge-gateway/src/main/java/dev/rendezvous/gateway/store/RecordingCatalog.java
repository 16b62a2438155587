package dev.rendezvous.gateway.store;

import dev.rendezvous.resilience.Guard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads stream-apps' {@code recordings} and {@code recording_files} tables (a meeting's recordings and their files),
 * and deletes a recording's rows once its objects are gone. If stream-apps has not created the tables yet, a meeting
 * has no recordings.
 */
public final class RecordingCatalog {

    /** One stored file of a recording; {@code participantName} from the users table, else the name they were admitted with. */
    public record File(String objectKey, String bucket, String kind, String participantId, String participantName,
                       String source, long sizeBytes, long durationMs) {}

    /** A recording, its files in the order they were stored. */
    public record Recording(String recordingId, Instant startedAt, Instant stoppedAt, List<File> files) {}

    private final DatabaseClient db;
    private final Guard guard;

    /** {@code guard}: the PostgreSQL guard every query goes through (time limit, breaker, bulkhead, retries of reads). */
    public RecordingCatalog(DatabaseClient db, Guard guard) {
        this.db = db;
        this.guard = guard;
    }

    /** The meeting's recordings, newest first. */
    public Mono<List<Recording>> list(UUID meetingId) {
        Mono<List<Map<String, Object>>> recs = db.sql("""
                SELECT recording_id, started_at, stopped_at FROM recordings WHERE meeting_id = :m
                ORDER BY started_at DESC LIMIT 200""").bind("m", meetingId).fetch().all().collectList();
        Mono<List<Map<String, Object>>> files = db.sql("""
                SELECT f.recording_id, f.object_key, f.bucket, f.kind, f.participant_id, f.source, f.size_bytes,
                       f.duration_ms, COALESCE(u.display_name, a.display_name) AS display_name
                  FROM recording_files f LEFT JOIN users u ON u.id::text = f.participant_id
                  LEFT JOIN meeting_admissions a ON a.meeting_id = f.meeting_id AND a.participant_id = f.participant_id
                 WHERE f.meeting_id = :m ORDER BY f.stored_at, f.object_key""").bind("m", meetingId).fetch().all().collectList();
        return Mono.zip(recs, files).map(t -> assemble(t.getT1(), t.getT2()))
                .transform(guard::idempotent)
                .onErrorResume(ChatHistory::isMissingTable, e -> Mono.just(List.of()));
    }

    /** The recording if it belongs to the meeting. */
    public Mono<Recording> find(UUID meetingId, String recordingId) {
        return list(meetingId).flatMapMany(Flux::fromIterable)
                .filter(r -> r.recordingId().equals(recordingId)).next();
    }

    /** Forgets a recording (its files' rows first); its objects must be deleted before. */
    public Mono<Void> delete(String recordingId) {
        return db.sql("DELETE FROM recording_files WHERE recording_id = :r").bind("r", recordingId).then()
                .then(db.sql("DELETE FROM recordings WHERE recording_id = :r").bind("r", recordingId).then())
                .transform(guard::idempotent);
    }

    private static List<Recording> assemble(List<Map<String, Object>> recs, List<Map<String, Object>> files) {
        Map<String, List<File>> byRecording = new LinkedHashMap<>();
        for (Map<String, Object> f : files) {
            byRecording.computeIfAbsent((String) f.get("recording_id"), k -> new ArrayList<>()).add(new File(
                    (String) f.get("object_key"), (String) f.get("bucket"), (String) f.get("kind"),
                    (String) f.get("participant_id"), (String) f.get("display_name"), (String) f.get("source"),
                    ((Number) f.get("size_bytes")).longValue(), ((Number) f.get("duration_ms")).longValue()));
        }
        List<Recording> out = new ArrayList<>(recs.size());
        for (Map<String, Object> r : recs) {
            String id = (String) r.get("recording_id");
            out.add(new Recording(id, instant(r.get("started_at")), instant(r.get("stopped_at")),
                    List.copyOf(byRecording.getOrDefault(id, List.of()))));
        }
        return out;
    }

    private static Instant instant(Object o) {
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        return o instanceof Instant i ? i : null;
    }
}
