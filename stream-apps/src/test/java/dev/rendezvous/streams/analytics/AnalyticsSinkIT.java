package dev.rendezvous.streams.analytics;

import dev.rendezvous.analytics.AnalyticsSchema;
import dev.rendezvous.analytics.ClickHouseHttpSql;
import dev.rendezvous.analytics.MeetingFacts;
import dev.rendezvous.analytics.MeetingReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.Guard;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.resilience.ResilienceSettings;
import dev.rendezvous.stack.ClickHouse;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.streams.persist.ReactorKafkaBatchSource;
import dev.rendezvous.streams.persist.StorePipeline;
import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsEvent.ChatSent;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.AnalyticsEvent.HostAction;
import dev.rendezvous.topics.model.AnalyticsEvent.LeaveReason;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantJoined;
import dev.rendezvous.topics.model.AnalyticsEvent.ParticipantLeft;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStarted;
import dev.rendezvous.topics.model.AnalyticsEvent.RecordingStopped;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.Role;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The analytics sink against a real Kafka broker and the real ClickHouse server the stack runs (Debian's 18.16 in CI):
 * a scripted meeting's events in on the topics (room events; the forwarders' quality samples) → rows in day partitions; the consumer group reset to the start and
 * everything written again → the rows are there twice, and no figure counts them twice; ClickHouse frozen mid-stream →
 * the sink's breaker opens, it waits, and every event is stored (and counted) once when the server answers again.
 */
class AnalyticsSinkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GROUP = "analytics-it";
    /** The meeting runs over midnight UTC: its rows fall into two day partitions. */
    private static final Instant T0 = Instant.parse("2026-12-05T23:58:00Z");
    /** Room events from stream-apps, quality samples from the forwarders: one sink reads both. */
    private static final List<dev.rendezvous.topics.TopicSpec<AnalyticsEvent>> TOPICS =
            List.of(Topics.ANALYTICS_EVENTS, Topics.MEDIA_QUALITY);
    /** Every topic the sink reads: also the accepted chat messages, read as chat_sent events. */
    private static final List<dev.rendezvous.topics.TopicSpec<?>> READ =
            List.of(Topics.ANALYTICS_EVENTS, Topics.MEDIA_QUALITY, Topics.CHAT_ACCEPTED);

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    private static ClickHouse clickHouse;
    private static ClickHouseHttpSql sql;
    private static Admin admin;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        if (System.getenv("CI") != null) {
            assertThat(ClickHouse.installed()).as("CI installs clickhouse-server (.ci/run): analytics must be tested").isTrue();
        }
        assumeTrue(ClickHouse.installed(), "clickhouse-server is not installed");
        List<Integer> ports = Ports.freePorts(4);
        Clock clock = Clock.systemUTC();
        kafka = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"), clock,
                StackListener.logging());
        clickHouse = new ClickHouse(dir.resolve("clickhouse"), ports.get(2), ports.get(3), dir.resolve("logs"), clock,
                StackListener.logging());
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> kafka.start(WAIT)),
                CompletableFuture.runAsync(() -> clickHouse.start(WAIT))).join();
        admin = kafka.newAdmin();
        TopicProvisioner.ensure(admin, READ, 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        sql = new ClickHouseHttpSql(clickHouse.url(), "default", "default", "", Duration.ofSeconds(10), false);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sql, producer, admin, kafka, clickHouse}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ the sink

    @Test
    void shouldStoreAScriptedMeetingOnceAndCountNothingTwiceAfterTheGroupIsResetAndEverythingIsWrittenAgain()
            throws Exception {
        String meeting = UUID.randomUUID().toString();
        List<AnalyticsEvent> script = scriptedMeeting(meeting);
        for (AnalyticsEvent e : script) {
            sendEvent(meeting, e);
        }
        // a record of the old untyped form, and bob's join once more (a repeated JOIN): skipped, and counted once
        send(Topics.ANALYTICS_EVENTS, meeting, "{\"type\":\"join\",\"meetingId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        send(Topics.ANALYTICS_EVENTS, meeting, Topics.ANALYTICS_EVENTS.valueSerde().serializer().serialize("t", script.get(1)));
        producer.flush();

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Disposable run = pipeline(meters).run().subscribe();
        try {
            await().atMost(WAIT).until(() -> rawRows("analytics_events", meeting) == 13
                    && rawRows("analytics_quality", meeting) == 6);
            // offsets are committed once their batch is stored: the group reaches the end of every partition
            await().atMost(WAIT).until(() -> committedEqualsEnd());
        } finally {
            run.dispose();
        }
        assertThat(meters.counter("rendezvous.analytics.store.undecodable").count()).isEqualTo(1);
        Map<String, Object> once = figures(meeting);
        assertExpectedFigures(once);
        MeetingReport report = report(meeting);
        assertExpectedReport(report);
        assertThat(select("SELECT DISTINCT partition FROM system.parts WHERE table = 'analytics_events' AND active"
                + " ORDER BY partition").stream().map(r -> r.get("partition"))).containsExactly("20261205", "20261206");

        // an operator resets the group to the start (kafka-consumer-groups --reset-offsets --to-earliest): all again
        await().atMost(WAIT).until(() -> admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP)
                .members().isEmpty());
        Map<TopicPartition, OffsetAndMetadata> start = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        for (var t : READ) {
            for (int p = 0; p < t.partitions(); p++) {
                start.put(new TopicPartition(t.name(), p), new OffsetAndMetadata(0));
            }
        }
        admin.alterConsumerGroupOffsets(GROUP, start).all().get();
        Disposable again = pipeline(new SimpleMeterRegistry()).run().subscribe();
        try {
            await().atMost(WAIT).until(() -> rawRows("analytics_events", meeting) == 26
                    && rawRows("analytics_quality", meeting) == 12);
        } finally {
            again.dispose();
        }
        assertThat(figures(meeting)).as("every row is there twice; no figure counts one twice").isEqualTo(once);
        assertThat(report(meeting)).as("nor does the host's report").isEqualTo(report);
        assertThat(count("SELECT count() AS n FROM analytics_events FINAL WHERE meeting_id = '" + meeting + "'"))
                .as("FINAL merges the copies at read time").isEqualTo(12);
    }

    @Test
    void shouldWaitOutAFrozenClickHouseWithItsBreakerOpenAndStoreEveryEventOnceAfter() throws Exception {
        String meeting = UUID.randomUUID().toString();
        String group = GROUP + "-outage";
        List<AnalyticsEvent> script = scriptedMeeting(meeting);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        var policy = new ResilienceSettings.Policy(Duration.ofSeconds(2), Duration.ofSeconds(5), 1, Duration.ofMillis(50),
                4, 2, 50f, Duration.ofSeconds(2), 1, 4);
        Guard guard = new Guards(new ResilienceSettings(policy, policy, policy, policy), meters,
                EnumSet.of(Dependency.CLICKHOUSE)).of(Dependency.CLICKHOUSE);
        Disposable run = pipeline(meters, group, guard).run().subscribe();
        try {
            for (AnalyticsEvent e : script.subList(0, 3)) {   // the three joins
                sendEvent(meeting, e);
            }
            await().atMost(WAIT).until(() -> rawRows("analytics_events", meeting) == 3);

            signal("STOP", clickHouse.pid());
            try {
                for (AnalyticsEvent e : script.subList(3, script.size())) {
                    sendEvent(meeting, e);
                }
                // inserts wait for their time limit; two of them open the breaker: the sink stops calling ClickHouse
                await().atMost(WAIT).until(() -> guard.state() == CircuitBreaker.State.OPEN);
                assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "clickhouse").tag("state", "open")
                        .gauge().value()).as("the breaker's state in the metrics").isEqualTo(1.0);
                assertThat(committedEqualsEnd(group)).as("nothing committed while the events are not stored").isFalse();
            } finally {
                signal("CONT", clickHouse.pid());
            }
            // it resumes by itself: every event stored, the group at the end of every partition, the breaker closed
            String where = " WHERE meeting_id = '" + meeting + "'";
            await().atMost(WAIT).until(() -> count("SELECT uniqExact(event_id) AS n FROM analytics_events" + where) == 12
                    && count("SELECT uniqExact(event_id) AS n FROM analytics_quality" + where) == 6);
            await().atMost(WAIT).until(() -> committedEqualsEnd(group));
            assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        } finally {
            run.dispose();
        }
        // an insert that timed out may have been applied after all: a copy, which no figure counts twice
        assertExpectedFigures(figures(meeting));
        assertExpectedReport(report(meeting));
    }

    /**
     * Each event where it travels: quality samples on the forwarders' topic, a chat as the accepted message itself
     * (the room processor writes no analytics record for it; the sink reads {@code chat.message.accepted}), the rest
     * on {@code analytics.event.recorded}.
     */
    private static void sendEvent(String meeting, AnalyticsEvent e) throws Exception {
        if (e instanceof ChatSent c) {
            ChatMessage m = new ChatMessage(c.meetingId(), c.seq(), "c-" + c.seq(), c.participantId(), "Someone",
                    "x".repeat(c.length()), c.at());
            assertThat(ChatSent.of(m)).as("the sink's reading of the accepted message").isEqualTo(c);
            send(Topics.CHAT_ACCEPTED, meeting, Topics.CHAT_ACCEPTED.valueSerde().serializer().serialize("t", m));
            return;
        }
        send(e instanceof QualitySample ? Topics.MEDIA_QUALITY : Topics.ANALYTICS_EVENTS, meeting,
                Topics.ANALYTICS_EVENTS.valueSerde().serializer().serialize("t", e));
    }

    private static void signal(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    /**
     * Alice (host) from 23:58:00, Bob from 23:59:00, Carol from 00:00:30; three messages, a mute, a recording,
     * two quality samples each; Carol leaves at 00:01:30 (60 s), Bob at 00:02:00 (180 s), the meeting ends at
     * 00:03:00 (Alice: 300 s).
     */
    private static List<AnalyticsEvent> scriptedMeeting(String m) {
        List<AnalyticsEvent> l = new ArrayList<>();
        l.add(ParticipantJoined.of(m, T0, "u-alice", "s-a", "Alice", Role.HOST));
        l.add(ParticipantJoined.of(m, T0.plusSeconds(60), "u-bob", "s-b", "Bob", Role.USER));
        l.add(ParticipantJoined.of(m, T0.plusSeconds(150), "guest:carol", "s-c", "Carol", Role.GUEST));
        l.add(ChatSent.of(m, T0.plusSeconds(61), "u-alice", 1, 5));
        l.add(ChatSent.of(m, T0.plusSeconds(62), "u-bob", 2, 12));
        l.add(ChatSent.of(m, T0.plusSeconds(151), "guest:carol", 3, 2));
        l.add(HostAction.of(m, T0.plusSeconds(70), "req-1", "u-alice", HostActionRequest.Action.MUTE, "u-bob"));
        l.add(RecordingStarted.of(m, T0.plusSeconds(80), "rec-1", "fwd-1"));
        l.add(RecordingStopped.of(m, T0.plusSeconds(170), "rec-1", "fwd-1"));
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plusSeconds(155 + 5L * i);
            l.add(QualitySample.of(m, at, "u-alice", "s-a", "fwd-1", 1_200_000, 2_000_000, 0.01, 30, 3, 2, 0.4));
            l.add(QualitySample.of(m, at, "u-bob", "s-b", "fwd-1", 800_000, 2_400_000, 0.03, 60, 7, 1, 0.4));
            l.add(QualitySample.of(m, at, "guest:carol", "s-c", "fwd-1", 500_000, 1_600_000, 0.0, 20, 2, 0, 0.4));
        }
        l.add(ParticipantLeft.of(m, T0.plusSeconds(210), "guest:carol", "s-c", T0.plusSeconds(150), LeaveReason.LEFT));
        l.add(ParticipantLeft.of(m, T0.plusSeconds(240), "u-bob", "s-b", T0.plusSeconds(60), LeaveReason.LEFT));
        l.add(ParticipantLeft.of(m, T0.plusSeconds(300), "u-alice", "s-a", T0, LeaveReason.MEETING_ENDED));
        return l;
    }

    private static void assertExpectedFigures(Map<String, Object> f) {
        assertThat(f).containsEntry("events", 12L).containsEntry("joins", 3L).containsEntry("chats", 3L)
                .containsEntry("hostActions", 1L).containsEntry("recordings", 1L).containsEntry("samples", 6L)
                .containsEntry("presentMs", Map.of("u-alice", 300_000L, "u-bob", 180_000L, "guest:carol", 60_000L))
                .containsEntry("chatsBy", Map.of("u-alice", 1L, "u-bob", 1L, "guest:carol", 1L))
                .containsEntry("samplesBy", Map.of("u-alice", 2L, "u-bob", 2L, "guest:carol", 2L));
    }

    /** The host's report (the analytics endpoint's body) of the scripted meeting. */
    private static void assertExpectedReport(MeetingReport r) {
        assertThat(r.startedAt()).isEqualTo(T0);
        assertThat(r.endedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(r.durationMs()).isEqualTo(300_000);
        assertThat(r.peakParticipants()).isEqualTo(3);
        assertThat(r.chatMessages()).isEqualTo(3);
        assertThat(r.chatTimeline()).as("two messages in the second minute, one in the third").containsExactly(
                new MeetingReport.ChatPoint(60_000, 2), new MeetingReport.ChatPoint(120_000, 1));
        assertThat(r.participants()).containsExactlyInAnyOrder(
                new MeetingReport.Person("u-alice", "Alice", 0, 300_000),
                new MeetingReport.Person("u-bob", "Bob", 60_000, 180_000),
                new MeetingReport.Person("guest:carol", "Carol", 150_000, 60_000));
        assertThat(r.quality()).extracting(MeetingReport.Quality::displayName, MeetingReport.Quality::samples,
                MeetingReport.Quality::bitrateInBps).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Alice", 2L, 1_200_000.0),
                org.assertj.core.groups.Tuple.tuple("Bob", 2L, 800_000.0),
                org.assertj.core.groups.Tuple.tuple("Carol", 2L, 500_000.0));
    }

    private static MeetingReport report(String meeting) {
        return MeetingReport.of(meeting, new MeetingFacts(sql).of(UUID.fromString(meeting)).block(WAIT),
                T0.plusSeconds(3600));
    }

    /** What a report reads, each query grouping by event id first, so a copy of a row is never counted. */
    private static Map<String, Object> figures(String meeting) {
        String m = "'" + meeting + "'";
        String events = "(SELECT event_id, any(kind) AS kind, any(participant_id) AS participant_id,"
                + " any(duration_ms) AS duration_ms FROM analytics_events WHERE meeting_id = " + m + " GROUP BY event_id)";
        Map<String, Object> f = new TreeMap<>();
        f.put("events", count("SELECT count() AS n FROM " + events));
        f.put("joins", count("SELECT count() AS n FROM " + events + " WHERE kind = 'participant_joined'"));
        f.put("chats", count("SELECT count() AS n FROM " + events + " WHERE kind = 'chat_sent'"));
        f.put("hostActions", count("SELECT count() AS n FROM " + events + " WHERE kind = 'host_action'"));
        f.put("recordings", count("SELECT count() AS n FROM " + events + " WHERE kind = 'recording_started'"));
        f.put("samples", count("SELECT uniqExact(event_id) AS n FROM analytics_quality WHERE meeting_id = " + m));
        f.put("presentMs", perParticipant("SELECT participant_id, sum(duration_ms) AS n FROM " + events
                + " WHERE kind = 'participant_left' GROUP BY participant_id"));
        f.put("chatsBy", perParticipant("SELECT participant_id, count() AS n FROM " + events
                + " WHERE kind = 'chat_sent' GROUP BY participant_id"));
        f.put("samplesBy", perParticipant("SELECT participant_id, uniqExact(event_id) AS n FROM analytics_quality"
                + " WHERE meeting_id = " + m + " GROUP BY participant_id"));
        return f;
    }

    // ------------------------------------------------------------------------------------------ the schema

    @Test
    void shouldApplyOnlyTheMissingMigrationsAndNothingOnASecondStart() {
        String db = "migrations_" + UUID.randomUUID().toString().replace("-", "");
        sql.execute("CREATE DATABASE " + db).block(WAIT);
        try (ClickHouseHttpSql inDb = new ClickHouseHttpSql(clickHouse.url(), db, "default", "", Duration.ofSeconds(10),
                false)) {
            Clock clock = Clock.systemUTC();
            // an older release knew only the first migration
            assertThat(new AnalyticsSchema(inDb, AnalyticsSchema.ALL.subList(0, 1), clock).migrate().collectList()
                    .block(WAIT)).containsExactly(1);
            AnalyticsSchema current = new AnalyticsSchema(inDb, clock);
            assertThat(current.migrate().collectList().block(WAIT)).containsExactly(2);
            assertThat(current.migrate().collectList().block(WAIT)).as("a second start").isEmpty();
            assertThat(current.applied().block(WAIT)).containsExactly(1, 2);
            assertThat(select("SELECT name, engine FROM system.tables WHERE database = '" + db + "' ORDER BY name"))
                    .extracting(r -> r.get("name") + " " + r.get("engine")).containsExactly(
                            "analytics_events ReplacingMergeTree", "analytics_quality ReplacingMergeTree",
                            "rendezvous_schema_migrations ReplacingMergeTree");
        } finally {
            sql.execute("DROP DATABASE IF EXISTS " + db).block(WAIT);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static StorePipeline<AnalyticsEvent> pipeline(SimpleMeterRegistry meters) {
        return pipeline(meters, GROUP, Guard.standalone(Dependency.CLICKHOUSE, new ResilienceSettings.Policy(
                Duration.ofSeconds(15), Duration.ofSeconds(40), 2, Duration.ofMillis(500), 10, 3, 50f, Duration.ofSeconds(30),
                1, 4)));
    }

    private static StorePipeline<AnalyticsEvent> pipeline(SimpleMeterRegistry meters, String group, Guard guard) {
        Clock clock = Clock.systemUTC();
        var source = new ReactorKafkaBatchSource<>(new KafkaConnection(kafka.bootstrapServers(), Map.of()), group,
                TOPICS, 500, Duration.ofMillis(200), Duration.ofSeconds(10),
                meters.counter("rendezvous.analytics.store.undecodable")::increment,
                Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200))
                .withTopic(Topics.CHAT_ACCEPTED.name(), new AcceptedChatDecoder());
        return new StorePipeline<>(source, new ClickHouseAnalyticsStore(sql, new AnalyticsSchema(sql, clock), clock),
                guard, "analytics_events", "analytics event(s)", "rendezvous.analytics.store", Duration.ofMillis(100),
                Duration.ofSeconds(1), clock, meters);
    }

    private static void send(dev.rendezvous.topics.TopicSpec<?> topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }

    private static boolean committedEqualsEnd() throws Exception {
        return committedEqualsEnd(GROUP);
    }

    private static boolean committedEqualsEnd(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (var t : READ) {
            for (int p = 0; p < t.partitions(); p++) {
                latest.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        }
        var ends = admin.listOffsets(latest).all().get();
        return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue().offset()));
    }

    private static List<Map<String, Object>> select(String query) {
        return sql.select(query).block(WAIT);
    }

    private static long rawRows(String table, String meeting) {
        return count("SELECT count() AS n FROM " + table + " WHERE meeting_id = '" + meeting + "'");
    }

    private static long count(String query) {
        return Long.parseLong(String.valueOf(select(query).get(0).get("n")));
    }

    private static Map<String, Long> perParticipant(String query) {
        return select(query).stream().collect(Collectors.toMap(r -> (String) r.get("participant_id"),
                r -> Long.parseLong(String.valueOf(r.get("n")))));
    }
}
