package dev.rendezvous.analytics;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The analytics tables, created and migrated by the app at start. Applied migrations are rows of
 * {@code rendezvous_schema_migrations}; each start applies those not there yet, in order, and records them.
 *
 * <p>Only DDL that Debian's ClickHouse 18.16 and modern servers both accept: {@code ENGINE = ReplacingMergeTree(version)
 * PARTITION BY toYYYYMMDD(date) ORDER BY (...)}, types {@code String}, {@code Date}, {@code UInt*}/{@code Int*},
 * {@code Float64} (no DateTime64, LowCardinality, Map, TTL). 18.16 has no {@code ADD COLUMN IF NOT EXISTS}: a
 * migration that runs twice (two instances starting together) must tolerate "already exists" — the codes in
 * {@link #ALREADY_DONE} — which this class does for every statement.
 *
 * <p>Each table: one row per event id ({@code ORDER BY} ends with it; the same fact always lands in the same day
 * partition, since its date is that of its time); duplicates from a replay are merged away in the background
 * and, until then, never counted because every query groups by event id ({@code MeetingFacts}).
 */
public final class AnalyticsSchema {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsSchema.class);

    public static final String MIGRATIONS = "rendezvous_schema_migrations";
    public static final String EVENTS = "analytics_events";
    public static final String QUALITY = "analytics_quality";

    /** ClickHouse codes meaning a statement's effect is there already: 44 duplicate column, 57 table exists. */
    static final Set<Integer> ALREADY_DONE = Set.of(44, 57);

    /** One schema step. */
    public record Migration(int version, String description, List<String> statements) {}

    /** Every migration, in order; append, never edit one that was released. */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "analytics_events: joins, leaves, chat, host actions, recordings", List.of("""
                    CREATE TABLE IF NOT EXISTS analytics_events (
                        date Date,
                        event_id String,
                        kind String,
                        meeting_id String,
                        at_ms UInt64,
                        participant_id String,
                        socket_id String,
                        display_name String,
                        role String,
                        duration_ms UInt64,
                        reason String,
                        seq UInt64,
                        length UInt32,
                        action String,
                        target String,
                        recording_id String,
                        forwarder_id String,
                        version UInt64
                    ) ENGINE = ReplacingMergeTree(version)
                    PARTITION BY toYYYYMMDD(date)
                    ORDER BY (meeting_id, event_id)""")),
            new Migration(2, "analytics_quality: per-participant media quality samples", List.of("""
                    CREATE TABLE IF NOT EXISTS analytics_quality (
                        date Date,
                        event_id String,
                        meeting_id String,
                        at_ms UInt64,
                        participant_id String,
                        socket_id String,
                        forwarder_id String,
                        bitrate_in_bps Float64,
                        bitrate_out_bps Float64,
                        loss_ratio Float64,
                        rtt_ms Float64,
                        jitter_ms Float64,
                        layer Int16,
                        forwarder_cpu Float64,
                        version UInt64
                    ) ENGINE = ReplacingMergeTree(version)
                    PARTITION BY toYYYYMMDD(date)
                    ORDER BY (meeting_id, event_id)""")));

    private final ClickHouseSql sql;
    private final List<Migration> migrations;
    private final Clock clock;

    public AnalyticsSchema(ClickHouseSql sql, Clock clock) {
        this(sql, ALL, clock);
    }

    /** With a given list of migrations (tests: an older release that knew fewer). */
    public AnalyticsSchema(ClickHouseSql sql, List<Migration> migrations, Clock clock) {
        this.sql = sql;
        this.migrations = List.copyOf(migrations);
        this.clock = clock;
    }

    /** Applies the missing migrations; emits the versions it applied (none when the schema is current). */
    public Flux<Integer> migrate() {
        return tolerant("CREATE TABLE IF NOT EXISTS " + MIGRATIONS + " (version UInt32, description String, "
                + "applied_ms UInt64) ENGINE = ReplacingMergeTree(applied_ms) ORDER BY version")
                .then(applied())
                .flatMapMany(done -> Flux.fromIterable(migrations).filter(m -> !done.contains(m.version())))
                .concatMap(m -> Flux.fromIterable(m.statements()).concatMap(this::tolerant)
                        .then(sql.insertJsonEachRow(MIGRATIONS, AnalyticsRows.json(Map.of("version", m.version(),
                                "description", m.description(), "applied_ms", clock.millis()))))
                        .doOnSuccess(v -> log.info("ClickHouse schema migration {} applied: {}", m.version(), m.description()))
                        .thenReturn(m.version()));
    }

    /** The versions recorded as applied. */
    public Mono<Set<Integer>> applied() {
        return sql.select("SELECT DISTINCT version FROM " + MIGRATIONS)
                .map(rows -> {
                    Set<Integer> s = new TreeSet<>();
                    rows.forEach(r -> s.add(Integer.parseInt(String.valueOf(r.get("version")))));
                    return s;
                });
    }

    private Mono<Void> tolerant(String statement) {
        return sql.execute(statement)
                .onErrorResume(ClickHouseSql.ServerError.class, e -> ALREADY_DONE.contains(e.code())
                        ? Mono.empty() : Mono.error(e));
    }
}
