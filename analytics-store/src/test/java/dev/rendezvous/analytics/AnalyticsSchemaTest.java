package dev.rendezvous.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The migration runner's decisions, against a fake; the DDL itself is checked on the real server (AnalyticsSinkIT). */
class AnalyticsSchemaTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    private final FakeClickHouseSql sql = new FakeClickHouseSql();

    @Test
    void shouldApplyTheMissingMigrationsInOrderAndRecordEach() {
        sql.onSelect = q -> List.of(Map.of("version", "1"));   // 64-bit and 32-bit integers may come as strings
        List<AnalyticsSchema.Migration> three = List.of(AnalyticsSchema.ALL.get(0), AnalyticsSchema.ALL.get(1),
                new AnalyticsSchema.Migration(3, "a column", List.of("ALTER TABLE analytics_events ADD COLUMN x UInt8")));

        assertThat(new AnalyticsSchema(sql, three, clock).migrate().collectList().block(WAIT)).containsExactly(2, 3);

        assertThat(sql.statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS rendezvous_schema_migrations");
        assertThat(sql.statements.subList(1, 3)).satisfiesExactly(
                s -> assertThat(s).contains("CREATE TABLE IF NOT EXISTS analytics_quality"),
                s -> assertThat(s).isEqualTo("ALTER TABLE analytics_events ADD COLUMN x UInt8"));
        assertThat(sql.inserts).extracting(FakeClickHouseSql.Insert::table).containsOnly(AnalyticsSchema.MIGRATIONS);
        assertThat(sql.inserts).extracting(i -> i.lines().get(0)).satisfiesExactly(
                l -> assertThat(l).contains("\"version\":2").contains("\"applied_ms\":" + clock.millis()),
                l -> assertThat(l).contains("\"version\":3"));
    }

    @Test
    void shouldTakeAnAlreadyExistingColumnOrTableAsDoneButStopOnAnyOtherError() {
        sql.onExecute = s -> s.startsWith("ALTER") ? Mono.error(new ClickHouseSql.ServerError(44, "column exists", null))
                : Mono.empty();
        List<AnalyticsSchema.Migration> withAlter = List.of(new AnalyticsSchema.Migration(1, "a column",
                List.of("ALTER TABLE analytics_events ADD COLUMN x UInt8")));
        assertThat(new AnalyticsSchema(sql, withAlter, clock).migrate().collectList().block(WAIT)).containsExactly(1);

        sql.inserts.clear();
        sql.onExecute = s -> s.startsWith("ALTER") ? Mono.error(new ClickHouseSql.ServerError(62, "syntax error", null))
                : Mono.empty();
        assertThatThrownBy(() -> new AnalyticsSchema(sql, withAlter, clock).migrate().collectList().block(WAIT))
                .isInstanceOf(ClickHouseSql.ServerError.class);
        assertThat(sql.inserts).as("a failed migration is not recorded").isEmpty();
    }

    @Test
    void shouldUseOnlyDdlThatClickHouse1816Accepts() {
        assertThat(AnalyticsSchema.ALL).extracting(AnalyticsSchema.Migration::version).containsExactly(1, 2);
        assertThat(AnalyticsSchema.ALL).flatMap(AnalyticsSchema.Migration::statements).allSatisfy(s -> assertThat(s)
                .contains("ENGINE = ReplacingMergeTree(version)", "PARTITION BY toYYYYMMDD(date)",
                        "ORDER BY (meeting_id, event_id)")
                .doesNotContain("DateTime64", "LowCardinality", "Map(", "TTL", "Nullable", "IF NOT EXISTS x"));
    }
}
