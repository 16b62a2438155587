package dev.rendezvous.streams.recordingstore;

import dev.rendezvous.streams.persist.SqlErrors;
import dev.rendezvous.streams.persist.TableStore;
import dev.rendezvous.topics.model.RecordingControl;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code recording.control.requested} → {@code recordings}: a START inserts the recording (a repeat changes nothing),
 * a STOP sets when it stopped (the first STOP wins). Both are keyed by meeting id on one topic, so a recording's
 * START is always written before its STOP.
 */
public final class RecordingControlStore implements TableStore<RecordingControl> {

    private final DatabaseClient db;

    public RecordingControlStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> createSchema() {
        return RecordingTables.create(db);
    }

    @Override
    public Mono<Long> insert(List<RecordingControl> rows) {
        for (RecordingControl c : rows) {
            if (c.recordingId() == null || c.recordingId().isBlank() || c.recordingId().length() > 64
                    || c.action() == null || uuid(c.meetingId()) == null) {
                return Mono.error(new RefusedDataException("not a usable recording control: " + c, null));
            }
        }
        return Flux.fromIterable(rows).concatMap(this::write).reduce(0L, Long::sum)
                .onErrorMap(SqlErrors::refusesData, SqlErrors::classify);
    }

    private Mono<Long> write(RecordingControl c) {
        OffsetDateTime at = OffsetDateTime.ofInstant(c.at() == null ? Instant.EPOCH : c.at(), ZoneOffset.UTC);
        return switch (c.action()) {
            case START -> db.sql("""
                    INSERT INTO recordings (recording_id, meeting_id, forwarder_id, started_at) VALUES (:r, :m, :f, :at)
                    ON CONFLICT (recording_id) DO NOTHING""")
                    .bind("r", c.recordingId()).bind("m", uuid(c.meetingId()))
                    .bind("f", c.forwarderId() == null ? Parameter.empty(String.class) : Parameter.from(c.forwarderId()))
                    .bind("at", at).fetch().rowsUpdated();
            case STOP -> db.sql("UPDATE recordings SET stopped_at = :at WHERE recording_id = :r AND stopped_at IS NULL")
                    .bind("r", c.recordingId()).bind("at", at).fetch().rowsUpdated();
        };
    }

    static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
