package dev.rendezvous.streams.chatstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.stack.Postgres;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.streams.persist.TableStore.RefusedDataException;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.model.ChatMessage;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.r2dbc.core.DatabaseClient;

/** The chat table and its idempotent insert, against a real PostgreSQL. */
class R2dbcChatMessageStoreIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static Postgres postgres;
    private static R2dbcChatMessageStore store;

    @BeforeAll
    static void startPostgres() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        postgres = Postgres.embedded(dir.resolve("pg"), port, dir.resolve("postgres.log"), Clock.systemUTC(),
                StackListener.logging());
        postgres.start(WAIT);
        store = new R2dbcChatMessageStore(DatabaseClient.create(connectionFactory(postgres.r2dbcUrl())));
        store.createSchema().block(WAIT);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ConnectionFactory connectionFactory(String url) {
        return ConnectionFactories.get(ConnectionFactoryOptions.parse(url).mutate()
                .option(ConnectionFactoryOptions.USER, postgres.username())
                .option(ConnectionFactoryOptions.PASSWORD, postgres.password())
                .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(5))
                .build());
    }

    private static ChatMessage msg(String meeting, long seq, String clientMsgId) {
        return new ChatMessage(meeting, seq, clientMsgId, "p-1", "Alice", "hello " + seq,
                Instant.parse("2026-01-05T10:00:00.123Z").plusSeconds(seq));
    }

    @Test
    void shouldCreateTheTableTheGatewayReadsIdempotently() throws Exception {
        store.createSchema().block(WAIT);

        List<String> columns = new ArrayList<>();
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT column_name, data_type, character_maximum_length, is_nullable"
                     + " FROM information_schema.columns WHERE table_name = 'chat_messages' ORDER BY ordinal_position")) {
            while (r.next()) {
                columns.add(r.getString(1) + " " + r.getString(2)
                        + (r.getObject(3) == null ? "" : "(" + r.getInt(3) + ")") + " " + r.getString(4));
            }
        }
        assertThat(columns).containsExactly(
                "meeting_id uuid NO",
                "seq bigint NO",
                "client_msg_id character varying(64) NO",
                "sender_id character varying(100) NO",
                "sender_name character varying(100) NO",
                "text text NO",
                "sent_at timestamp with time zone NO");
    }

    @Test
    void shouldInsertABatchAndIgnoreRowsAlreadyStoredByMeetingAndSeqOrBySenderAndClientMsgId() throws Exception {
        String meeting = UUID.randomUUID().toString();

        assertThat(store.insert(List.of(msg(meeting, 1, "a"), msg(meeting, 2, "b"), msg(meeting, 3, "c"))).block(WAIT))
                .isEqualTo(3);
        assertThat(store.insert(List.of(msg(meeting, 1, "a"), msg(meeting, 2, "b"))).block(WAIT)).isZero();
        assertThat(store.insert(List.of(msg(meeting, 9, "a"))).block(WAIT)).isZero();        // same clientMsgId
        assertThat(store.insert(List.of(msg(meeting, 3, "z"))).block(WAIT)).isZero();        // same seq
        assertThat(store.insert(List.of(msg(meeting, 4, "d"), msg(meeting, 4, "d"))).block(WAIT)).isEqualTo(1);
        // another sender's message with the same clientMsgId is a message of its own
        assertThat(store.insert(List.of(new ChatMessage(meeting, 5, "a", "p-2", "Mallory", "hello 5",
                Instant.parse("2026-01-05T10:00:05.123Z")))).block(WAIT)).isEqualTo(1);

        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT seq, client_msg_id, sender_name, text, sent_at FROM chat_messages"
                     + " WHERE meeting_id = '" + meeting + "' ORDER BY seq")) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(r.getLong(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4) + " "
                        + r.getTimestamp(5).toInstant());
            }
            assertThat(rows).containsExactly(
                    "1 a Alice hello 1 2026-01-05T10:00:01.123Z",
                    "2 b Alice hello 2 2026-01-05T10:00:02.123Z",
                    "3 c Alice hello 3 2026-01-05T10:00:03.123Z",
                    "4 d Alice hello 4 2026-01-05T10:00:04.123Z",
                    "5 a Mallory hello 5 2026-01-05T10:00:05.123Z");
        }
    }

    @Test
    void shouldInsertTheLargestBatchInOneStatementKeepingEveryCell() throws Exception {
        String meeting = UUID.randomUUID().toString();
        List<ChatMessage> batch = new ArrayList<>();
        for (int i = 1; i <= R2dbcChatMessageStore.MAX_ROWS; i++) {
            batch.add(new ChatMessage(meeting, i, "m-" + i, "p-" + (i % 7), "Zoë " + i, "héllo, 'quoted' \\ {" + i + "} 👋",
                    Instant.parse("2026-01-05T10:00:00.123Z").plusMillis(i)));
        }

        assertThat(store.insert(batch).block(WAIT)).isEqualTo(R2dbcChatMessageStore.MAX_ROWS);
        assertThat(store.insert(batch.subList(0, 10)).block(WAIT)).isZero();
        assertThatThrownBy(() -> store.insert(java.util.Collections.nCopies(R2dbcChatMessageStore.MAX_ROWS + 1, batch.get(0))).block(WAIT))
                .isInstanceOf(IllegalArgumentException.class);

        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), min(seq), max(seq) FROM chat_messages WHERE meeting_id = '"
                     + meeting + "'");
             Statement s2 = c.createStatement();
             ResultSet one = s2.executeQuery("SELECT client_msg_id, sender_id, sender_name, text, sent_at FROM chat_messages"
                     + " WHERE meeting_id = '" + meeting + "' AND seq = 4321")) {
            assertThat(r.next()).isTrue();
            assertThat(List.of(r.getLong(1), r.getLong(2), r.getLong(3))).containsExactly(5000L, 1L, 5000L);
            assertThat(one.next()).isTrue();
            assertThat(one.getString(1) + "|" + one.getString(2) + "|" + one.getString(3) + "|" + one.getString(4) + "|"
                    + one.getTimestamp(5).toInstant())
                    .isEqualTo("m-4321|p-2|Zoë 4321|héllo, 'quoted' \\ {4321} 👋|2026-01-05T10:00:04.444Z");
        }
    }

    @Test
    void shouldMigrateTheFirstReleasesUniqueClientMsgIdToOnePerSender() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            // the table as the first release created it (other tests' rows, which it would refuse, go)
            s.execute("TRUNCATE chat_messages");
            s.execute("DROP INDEX IF EXISTS chat_messages_sender_msg_key");
            s.execute("ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_meeting_id_client_msg_id_key"
                    + " UNIQUE (meeting_id, client_msg_id)");
        }
        store.createSchema().block(WAIT);

        String meeting = UUID.randomUUID().toString();
        assertThat(store.insert(List.of(msg(meeting, 1, "same"),
                new ChatMessage(meeting, 2, "same", "p-2", "Bob", "hi", Instant.EPOCH))).block(WAIT)).isEqualTo(2);
        assertThat(store.insert(List.of(msg(meeting, 3, "same"))).block(WAIT)).isZero();   // the same sender again
    }

    @Test
    void shouldRebuildTheChatWindowFromTheStoredHistoryWhenTheRoomProcessorHasNoState() throws Exception {
        String meeting = UUID.randomUUID().toString();
        store.insert(List.of(msg(meeting, 1, "a"), msg(meeting, 2, "b"), msg(meeting, 3, "c"))).block(WAIT);
        var history = new R2dbcChatHistory(DatabaseClient.create(connectionFactory(postgres.r2dbcUrl())), Duration.ofSeconds(5),
                dev.rendezvous.resilience.Guard.standalone(dev.rendezvous.resilience.Dependency.POSTGRESQL,
                        dev.rendezvous.resilience.ResilienceSettings.Policy.defaults()));
        assertThat(history.newest(UUID.randomUUID().toString(), 256)).isEmpty();
        assertThat(history.newest("not-a-uuid", 256)).isEmpty();
        assertThat(history.newest(meeting, 2)).containsExactly(
                new dev.rendezvous.streams.room.ChatRoomState.Recent("p-1", "c", 3),
                new dev.rendezvous.streams.room.ChatRoomState.Recent("p-1", "b", 2));
        // asked when a room opens, answered without blocking the caller
        assertThat(history.newestSoon(meeting, 2).get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(history.newest(meeting, 2));
        assertThat(history.newestSoon("not-a-uuid", 2).get(5, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        // closed rooms are asked about together: each stored meeting's highest seq, in one query
        String upper = meeting.toUpperCase(java.util.Locale.ROOT);
        assertThat(history.lastStoredSeqs(List.of(meeting, UUID.randomUUID().toString(), "not-a-uuid")))
                .isEqualTo(java.util.Map.of(meeting, 3L));
        assertThat(history.lastStoredSeqs(List.of(upper))).isEqualTo(java.util.Map.of(upper, 3L));   // keyed as asked
        assertThat(history.lastStoredSeqs(List.of(meeting, upper))).isEqualTo(java.util.Map.of(meeting, 3L, upper, 3L));
        assertThat(history.lastStoredSeqs(List.of())).isEmpty();
        // and without waiting, as the room processor asks once a minute
        assertThat(history.lastStoredSeqsSoon(List.of(meeting, upper, "not-a-uuid")).get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(java.util.Map.of(meeting, 3L, upper, 3L));
        assertThat(history.lastStoredSeqsSoon(List.of("not-a-uuid")).get(5, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        // every task asks on the minute: the process's reads run one after another, and each is answered
        var checks = java.util.stream.IntStream.range(0, 8).mapToObj(i -> history.lastStoredSeqsSoon(List.of(meeting))).toList();
        for (var check : checks) {
            assertThat(check.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(java.util.Map.of(meeting, 3L));
        }

        // a room processor whose state is lost (a fresh driver: no stores) sees the meeting again
        var cfg = dev.rendezvous.streams.room.RoomTopologyConfig.defaults().withChatHistory(history);
        var props = dev.rendezvous.streams.config.RoomStreamsSettings.properties(
                new KafkaConnectionProperties("unused:9092", 1),
                new dev.rendezvous.streams.config.StreamsProperties("history-it", dir.resolve("streams"), Duration.ofMillis(100), 1),
                dev.rendezvous.streams.room.RoomMetrics.none());
        try (var driver = new org.apache.kafka.streams.TopologyTestDriver(
                dev.rendezvous.streams.room.RoomTopology.build(new org.apache.kafka.streams.StreamsBuilder(), cfg).build(), props)) {
            var members = driver.createInputTopic(dev.rendezvous.topics.Topics.MEMBER_REQUESTED.name(),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    dev.rendezvous.topics.Topics.MEMBER_REQUESTED.valueSerde().serializer());
            var chats = driver.createInputTopic(dev.rendezvous.topics.Topics.CHAT_REQUESTED.name(),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    dev.rendezvous.topics.Topics.CHAT_REQUESTED.valueSerde().serializer());
            var accepted = driver.createOutputTopic(dev.rendezvous.topics.Topics.CHAT_ACCEPTED.name(),
                    new org.apache.kafka.common.serialization.StringDeserializer(),
                    dev.rendezvous.topics.Topics.CHAT_ACCEPTED.valueSerde().deserializer());
            Instant t = Instant.parse("2026-01-05T11:00:00Z");
            members.pipeInput(meeting, new dev.rendezvous.topics.model.MemberRequest(
                    dev.rendezvous.topics.model.MemberRequest.Action.JOIN, meeting, "s-1", "gw-a", 0, "p-1", "Alice",
                    dev.rendezvous.topics.model.Role.USER, t), t);
            // "c" again: processed again after a crash, it is already stored and keeps its seq
            chats.pipeInput(meeting, new dev.rendezvous.topics.model.ChatRequest(meeting, "s-1", "gw-a", 0, "p-1", "Alice",
                    "c", "hello 3", t), t.plusSeconds(1));
            chats.pipeInput(meeting, new dev.rendezvous.topics.model.ChatRequest(meeting, "s-1", "gw-a", 0, "p-1", "Alice",
                    "d", "after the state was lost", t), t.plusSeconds(1));
            chats.pipeInput(meeting, new dev.rendezvous.topics.model.ChatRequest(meeting, "s-1", "gw-a", 0, "p-1", "Alice",
                    "e", "and one more", t), t.plusSeconds(2));

            assertThat(accepted.readValuesToList()).extracting(ChatMessage::seq).containsExactly(3L, 4L, 5L);
        }
    }

    @Test
    void shouldReportRowsPostgresCannotStoreAsRefusedData() {
        String meeting = UUID.randomUUID().toString();

        assertThatThrownBy(() -> store.insert(List.of(new ChatMessage(meeting, 1, "nul", "p", "n", "a\u0000b", Instant.EPOCH)))
                .block(WAIT)).isInstanceOf(RefusedDataException.class).hasMessageContaining("22");
        assertThatThrownBy(() -> store.insert(List.of(new ChatMessage(meeting, 1, "long", "p", "n".repeat(101), "t", Instant.EPOCH)))
                .block(WAIT)).isInstanceOf(RefusedDataException.class).hasMessageContaining("22001");
        assertThatThrownBy(() -> store.insert(List.of(new ChatMessage(meeting, 1, "null", "p", null, "t", Instant.EPOCH)))
                .block(WAIT)).isInstanceOf(RefusedDataException.class).hasMessageContaining("23502");
        assertThatThrownBy(() -> store.insert(List.of(msg("not-a-uuid", 1, "x"))).block(WAIT))
                .isInstanceOf(RefusedDataException.class);
    }

    @Test
    void shouldReportAnUnreachableDatabaseAsAPassingFailureNotAsRefusedData() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        R2dbcChatMessageStore unreachable = new R2dbcChatMessageStore(DatabaseClient.create(
                connectionFactory("r2dbc:postgresql://127.0.0.1:" + closedPort + "/rendezvous")));

        assertThatThrownBy(() -> unreachable.insert(List.of(msg(UUID.randomUUID().toString(), 1, "x"))).block(WAIT))
                .isNotInstanceOf(RefusedDataException.class);
    }
}
