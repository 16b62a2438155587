package dev.rendezvous.streams.recordingstore;

import dev.rendezvous.streams.persist.SqlErrors;
import dev.rendezvous.streams.persist.TableStore;
import dev.rendezvous.topics.model.RecordingFile;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code recording.file.stored} → {@code recording_files}: one row per file; a repeat changes nothing. */
public final class RecordingFileStore implements TableStore<RecordingFile> {

    private final DatabaseClient db;

    public RecordingFileStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> createSchema() {
        return RecordingTables.create(db);
    }

    @Override
    public Mono<Long> insert(List<RecordingFile> rows) {
        for (RecordingFile f : rows) {
            if (f.recordingId() == null || f.objectKey() == null || f.kind() == null || f.bucket() == null
                    || RecordingControlStore.uuid(f.meetingId()) == null) {
                return Mono.error(new RefusedDataException("not a usable recording file: " + f, null));
            }
        }
        return Flux.fromIterable(rows).concatMap(this::write).reduce(0L, Long::sum)
                .onErrorMap(SqlErrors::refusesData, SqlErrors::classify);
    }

    private Mono<Long> write(RecordingFile f) {
        return db.sql("""
                INSERT INTO recording_files (recording_id, object_key, meeting_id, kind, participant_id, source, bucket,
                                             size_bytes, duration_ms, stored_at)
                VALUES (:r, :k, :m, :kind, :p, :s, :b, :size, :dur, :at)
                ON CONFLICT (recording_id, object_key) DO NOTHING""")
                .bind("r", f.recordingId()).bind("k", f.objectKey()).bind("m", RecordingControlStore.uuid(f.meetingId()))
                .bind("kind", f.kind()).bind("p", nullable(f.participantId())).bind("s", nullable(f.source()))
                .bind("b", f.bucket()).bind("size", f.sizeBytes()).bind("dur", f.durationMs())
                .bind("at", OffsetDateTime.ofInstant(f.at() == null ? Instant.EPOCH : f.at(), ZoneOffset.UTC))
                .fetch().rowsUpdated();
    }

    private static Parameter nullable(String s) {
        return s == null ? Parameter.empty(String.class) : Parameter.from(s);
    }
}
