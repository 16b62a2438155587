package dev.rendezvous.streams.recordingstore;

import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The recordings' metadata in PostgreSQL, written by stream-apps and read by the gateways (the list with links, the
 * delete): one row per recording ({@code recordings}: started, stopped, on which forwarder) and one per stored file
 * ({@code recording_files}: what the recorder announced on {@code recording.file.stored}). Keep exactly this shape.
 */
final class RecordingTables {

    /** The statements, in order; each is idempotent. */
    static final List<String> DDL = List.of("""
            CREATE TABLE IF NOT EXISTS recordings (
                recording_id varchar(64)  PRIMARY KEY,
                meeting_id   uuid         NOT NULL,
                forwarder_id varchar(128),
                started_at   timestamptz  NOT NULL,
                stopped_at   timestamptz
            )""",
            "CREATE INDEX IF NOT EXISTS recordings_meeting_idx ON recordings (meeting_id, started_at)",
            """
            CREATE TABLE IF NOT EXISTS recording_files (
                recording_id   varchar(64)  NOT NULL,
                object_key     varchar(512) NOT NULL,
                meeting_id     uuid         NOT NULL,
                kind           varchar(16)  NOT NULL,
                participant_id varchar(128),
                source         varchar(16),
                bucket         varchar(128) NOT NULL,
                size_bytes     bigint       NOT NULL,
                duration_ms    bigint       NOT NULL,
                stored_at      timestamptz  NOT NULL,
                PRIMARY KEY (recording_id, object_key)
            )""");

    private RecordingTables() {}

    /** Creates both tables and the index if missing (every instance, every start; a lost race is retried). */
    static Mono<Void> create(DatabaseClient db) {
        return Flux.fromIterable(DDL).concatMap(sql -> db.sql(sql).then()).then();
    }
}
