package dev.rendezvous.streams.analytics;

import dev.rendezvous.analytics.AnalyticsSchema;
import dev.rendezvous.analytics.ClickHouseSql;
import dev.rendezvous.analytics.FakeClickHouseSql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.streams.persist.TableStore.RefusedDataException;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsEvent.ChatSent;
import dev.rendezvous.topics.model.AnalyticsEvent.HostAction;
import dev.rendezvous.topics.model.AnalyticsEvent.LeaveReason;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantJoined;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantLeft;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStarted;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Events → JSONEachRow rows per table, and how the store answers ClickHouse's errors (no server: a fake). */
class ClickHouseAnalyticsStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Instant T = Instant.parse("2026-12-05T23:59:59.500Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC);
    private final FakeClickHouseSql sql = new FakeClickHouseSql();
    private final ClickHouseAnalyticsStore store = new ClickHouseAnalyticsStore(sql, new AnalyticsSchema(sql, clock), clock);

    private static Map<String, Object> parse(String line) {
        return JSON.readValue(line, new TypeReference<Map<String, Object>>() {});
    }

    @Test
    void shouldWriteOneInsertPerTableWithEveryColumnFilledAndTheDayOfTheEvent() {
        ParticipantLeft left = ParticipantLeft.of("m1", T, "u1", "s1", T.minusSeconds(90), LeaveReason.MEETING_ENDED);
        QualitySample q = QualitySample.of("m1", T.plusSeconds(1), "u1", "s1", "fwd-1", 1e6, 2e6, 0.02, 40,
                Double.NaN, 2, 0.5);
        List<AnalyticsEvent> batch = List.of(ParticipantJoined.of("m1", T, "u1", "s1", "Alice", Role.HOST), left, q,
                ChatSent.of("m1", T, "u1", 4, 9), HostAction.of("m1", T, "r1", "u1", HostActionRequest.Action.LOCK, null));

        assertThat(store.insert(batch).block(WAIT)).isEqualTo(5);

        assertThat(sql.inserts).extracting(FakeClickHouseSql.Insert::table)
                .containsExactly(AnalyticsSchema.EVENTS, AnalyticsSchema.QUALITY);
        List<Map<String, Object>> events = sql.inserts.get(0).lines().stream().map(ClickHouseAnalyticsStoreTest::parse).toList();
        assertThat(events).extracting(r -> r.get("kind"))
                .containsExactly("participant_joined", "participant_left", "chat_sent", "host_action");
        assertThat(events.get(1)).containsEntry("date", "2026-12-05").containsEntry("event_id", left.eventId())
                .containsEntry("meeting_id", "m1").containsEntry("at_ms", T.toEpochMilli())
                .containsEntry("duration_ms", 90_000).containsEntry("reason", "MEETING_ENDED")
                .containsEntry("version", clock.millis());
        assertThat(events.get(0)).containsEntry("display_name", "Alice").containsEntry("role", "HOST");
        assertThat(events.get(3)).containsEntry("action", "LOCK").containsEntry("target", "");
        assertThat(events).allSatisfy(r -> assertThat(r.values()).doesNotContainNull());

        Map<String, Object> sample = parse(sql.inserts.get(1).lines().get(0));
        assertThat(sample).doesNotContainKey("kind").containsEntry("date", "2026-12-06")
                .containsEntry("bitrate_out_bps", 2e6).containsEntry("layer", 2)
                .containsEntry("jitter_ms", 0.0);   // NaN is not JSON: stored as 0
    }

    @Test
    void shouldWriteTheSameRowsForTheSameEventsSoThatACopyIsAnExactDuplicate() {
        List<AnalyticsEvent> batch = List.of(RecordingStarted.of("m1", T, "rec-1", "fwd-1"), ChatSent.of("m1", T, "u", 1, 1));
        store.insert(batch).block(WAIT);
        store.insert(batch).block(WAIT);
        assertThat(sql.inserts).hasSize(2);
        assertThat(sql.inserts.get(0)).isEqualTo(sql.inserts.get(1));
    }

    @Test
    void shouldCallRowsThatClickHouseCannotParseRefusedAndAnythingElsePassing() {
        List<AnalyticsEvent> batch = List.of(ChatSent.of("m1", T, "u", 1, 1));
        sql.onInsert = i -> Mono.error(new ClickHouseSql.ServerError(27, "Cannot parse input", null));
        assertThatThrownBy(() -> store.insert(batch).block(WAIT)).isInstanceOf(RefusedDataException.class);

        sql.onInsert = i -> Mono.error(new ClickHouseSql.ServerError(241, "Memory limit exceeded", null));
        assertThatThrownBy(() -> store.insert(batch).block(WAIT)).isInstanceOf(ClickHouseSql.ServerError.class)
                .isNotInstanceOf(RefusedDataException.class);
        sql.onInsert = i -> Mono.error(new java.net.ConnectException("Connection refused"));
        assertThatThrownBy(() -> store.insert(batch).block(WAIT)).hasCauseInstanceOf(java.net.ConnectException.class);
    }
}
