package dev.rendezvous.streams.recordingstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.Postgres;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.streams.persist.TableStore.RefusedDataException;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.RecordingFile;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.r2dbc.core.DatabaseClient;

/** The recordings' tables and their idempotent writes, against a real PostgreSQL. */
class RecordingStoresIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    static Path dir;

    private static Postgres postgres;
    private static DatabaseClient db;
    private static RecordingControlStore controls;
    private static RecordingFileStore files;

    @BeforeAll
    static void start() {
        postgres = Postgres.embedded(dir.resolve("pg"), Ports.freePorts(1).get(0), dir.resolve("postgres.log"),
                Clock.systemUTC(), StackListener.logging());
        postgres.start(WAIT);
        db = DatabaseClient.create(ConnectionFactories.get(ConnectionFactoryOptions.parse(postgres.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, postgres.username())
                .option(ConnectionFactoryOptions.PASSWORD, postgres.password()).build()));
        controls = new RecordingControlStore(db);
        files = new RecordingFileStore(db);
        controls.createSchema().block(WAIT);
        files.createSchema().block(WAIT);   // both create both tables: a second run changes nothing
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static RecordingControl control(String meeting, String rec, RecordingControl.Action a, Instant at) {
        return new RecordingControl(meeting, rec, a, "fwd-1", at);
    }

    private static Map<String, Object> row(String rec) {
        return db.sql("SELECT * FROM recordings WHERE recording_id = :r").bind("r", rec).fetch().one().block(WAIT);
    }

    @Test
    void shouldInsertAStartOnceAndKeepTheFirstStop() {
        String meeting = UUID.randomUUID().toString();
        String rec = "rec-" + UUID.randomUUID();
        assertThat(controls.insert(List.of(control(meeting, rec, RecordingControl.Action.START, T0))).block(WAIT))
                .isEqualTo(1);
        // a redelivered batch: nothing changes
        assertThat(controls.insert(List.of(control(meeting, rec, RecordingControl.Action.START, T0.plusSeconds(9))))
                .block(WAIT)).isZero();
        assertThat(row(rec)).containsEntry("meeting_id", UUID.fromString(meeting)).containsEntry("forwarder_id", "fwd-1");
        assertThat(((OffsetDateTime) row(rec).get("started_at")).toInstant()).isEqualTo(T0);
        assertThat(row(rec).get("stopped_at")).isNull();

        assertThat(controls.insert(List.of(control(meeting, rec, RecordingControl.Action.STOP, T0.plusSeconds(20)),
                control(meeting, rec, RecordingControl.Action.STOP, T0.plusSeconds(30)))).block(WAIT)).isEqualTo(1);
        assertThat(((OffsetDateTime) row(rec).get("stopped_at")).toInstant()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void shouldStoreEachFileOnce() {
        String meeting = UUID.randomUUID().toString();
        String rec = "rec-" + UUID.randomUUID();
        RecordingFile f = new RecordingFile(rec, meeting, "participant", "u-1", "camera", "b",
                "recordings/" + rec + "/u-1-camera.webm", 12_345, 20_100, T0);
        RecordingFile screen = new RecordingFile(rec, meeting, "participant", "u-1", "screen", "b",
                "recordings/" + rec + "/u-1-screen.webm", 999, 5_000, T0);
        assertThat(files.insert(List.of(f, screen)).block(WAIT)).isEqualTo(2);
        assertThat(files.insert(List.of(f)).block(WAIT)).isZero();
        assertThat(db.sql("SELECT count(*) AS n FROM recording_files WHERE recording_id = :r").bind("r", rec)
                .map(r -> r.get("n", Long.class)).one().block(WAIT)).isEqualTo(2);
        assertThat(db.sql("SELECT size_bytes FROM recording_files WHERE object_key = :k").bind("k", f.objectKey())
                .map(r -> r.get("size_bytes", Long.class)).one().block(WAIT)).isEqualTo(12_345L);
    }

    @Test
    void shouldRefuseRowsThatCannotBeStoredAsData() {
        assertThatThrownBy(() -> controls.insert(List.of(control("not-a-uuid", "rec-x", RecordingControl.Action.START, T0)))
                .block(WAIT)).isInstanceOf(RefusedDataException.class);
        assertThatThrownBy(() -> files.insert(List.of(new RecordingFile("rec-y", UUID.randomUUID().toString(),
                "participant", "u", "camera", "b", "k".repeat(600), 1, 1, T0))).block(WAIT))
                .as("an object key longer than the column").isInstanceOf(RefusedDataException.class);
    }
}
