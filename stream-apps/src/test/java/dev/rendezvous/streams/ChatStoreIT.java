package dev.rendezvous.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Postgres;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * stream-apps in-process against a real Kafka broker and a real PostgreSQL (the embedded stack): joins and
 * chats go in through a real producer, deliveries come out on the gateways' partitions, and PostgreSQL
 * ends up holding every accepted message exactly once, in order, across a restart of the application.
 */
class ChatStoreIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * A consumer's lag series exists once it has fetched, and Micrometer's Kafka binder adds new client metrics when it
     * looks again, every 60 s: a consumer that first fetched just after a look shows up a minute later. Two looks and
     * room for a loaded machine.
     */
    private static final Duration METRICS_WAIT = Duration.ofSeconds(180);
    private static final String GW_A = "gw-a";
    private static final int GW_A_PARTITION = 1;
    private static final String GW_B = "gw-b";
    private static final int GW_B_PARTITION = 4;

    @TempDir
    static Path dir;

    private static Stack stack;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, GatewayDelivery> deliveries;
    private static Postgres restartedPostgres;
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext app;

    @BeforeAll
    static void startStack() {
        stack = Stack.builder(dir.resolve("stack"))
                .freePorts().noApps().s3(false).clickHouse(false)
                .listener(StackListener.logging())
                .start();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopStack() {
        if (restartedPostgres != null) {
            restartedPostgres.close();
        }
        if (deliveries != null) {
            deliveries.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldPersistEveryAcceptedMessageExactlyOnceInOrderAcrossARestart() throws Exception {
        Path stateDir = dir.resolve("streams-state");
        String meeting = UUID.randomUUID().toString();
        app = startApp(stateDir);
        assertActuatorOnlyOnTheManagementPort(app);
        openDeliveriesConsumer();

        join(meeting, "s-a", GW_A, GW_A_PARTITION, "alice");
        join(meeting, "s-b", GW_B, GW_B_PARTITION, "bob");
        int n = 25;
        List<String> firstIds = IntStream.rangeClosed(1, n).mapToObj(i -> "c-" + i).toList();
        for (int i = 0; i < n; i++) {
            chat(meeting, i % 2 == 0 ? "s-a" : "s-b", firstIds.get(i), "message " + (i + 1));
        }
        producer.flush();

        // every member sees every message, through its own gateway's partition
        List<ConsumerRecord<String, GatewayDelivery>> seen = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            deliveries.poll(Duration.ofMillis(200)).forEach(seen::add);
            return chatSeqsSeenBy(seen, GW_A, meeting).size() >= n && chatSeqsSeenBy(seen, GW_B, meeting).size() >= n;
        });
        assertThat(seen).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().gatewayId());
            assertThat(r.partition()).isEqualTo(r.value().gatewayId().equals(GW_A) ? GW_A_PARTITION : GW_B_PARTITION);
        });
        assertThat(chatSeqsSeenBy(seen, GW_A, meeting)).isEqualTo(LongRange.of(1, n));

        await().atMost(WAIT).until(() -> history(meeting).size() >= n);
        List<Row> stored = history(meeting);
        assertThat(stored).extracting(Row::seq).isEqualTo(LongRange.of(1, n));
        assertThat(stored).extracting(Row::clientMsgId).isEqualTo(firstIds);
        assertThat(stored.get(0).text()).isEqualTo("message 1");
        assertThat(stored.get(0).senderName()).isEqualTo("alice");
        assertThat(stored.get(1).senderName()).isEqualTo("bob");

        // restart: same state dir, same consumer groups
        app.close();
        app = startApp(stateDir);

        int more = 15;
        List<String> laterIds = IntStream.rangeClosed(n + 1, n + more).mapToObj(i -> "c-" + i).toList();
        for (int i = 0; i < more; i++) {
            chat(meeting, i % 2 == 0 ? "s-b" : "s-a", laterIds.get(i), "later " + (i + 1));
            if (i == 5) {
                chat(meeting, "s-a", "c-3", "message 3");    // client retries of messages sent before the restart
                chat(meeting, "s-a", "c-" + n, "message " + n);   // (by their senders: ids are per sender)
            }
        }
        producer.flush();

        List<String> allIds = new ArrayList<>(firstIds);
        allIds.addAll(laterIds);
        await().atMost(WAIT).until(() -> history(meeting).size() >= n + more);
        await().atMost(WAIT).until(() -> {
            deliveries.poll(Duration.ofMillis(200)).forEach(seen::add);
            return chatSeqsSeenBy(seen, GW_B, meeting).size() >= n + more;
        });
        List<Row> all = history(meeting);
        assertThat(all).extracting(Row::seq).isEqualTo(LongRange.of(1, n + more));
        assertThat(all).extracting(Row::clientMsgId).isEqualTo(allIds);
        assertThat(all).extracting(Row::clientMsgId).doesNotHaveDuplicates();
        assertThat(countRows(meeting)).isEqualTo(n + more);
        // the retries were delivered again with their original seq
        assertThat(seen).filteredOn(r -> r.value().event().type() == RoomEvent.Type.CHAT
                        && r.value().event().chat().clientMsgId().equals("c-3"))
                .extracting(r -> r.value().event().chat().seq()).containsOnly(3L);

        // and once more with the local state lost: the stores are restored from their changelogs
        app.close();
        app = startApp(dir.resolve("streams-state-empty"));
        chat(meeting, "s-a", "c-41", "after losing the local state");
        chat(meeting, "s-a", "c-7", "message 7");   // still remembered as a duplicate
        producer.flush();
        allIds.add("c-41");
        await().atMost(WAIT).until(() -> history(meeting).size() >= n + more + 1);
        List<Row> finalHistory = history(meeting);
        assertThat(finalHistory).extracting(Row::seq).isEqualTo(LongRange.of(1, n + more + 1));
        assertThat(finalHistory).extracting(Row::clientMsgId).isEqualTo(allIds);
        assertThat(finalHistory.get(n + more).senderName()).isEqualTo("alice");

        // and with the chat window gone for good (its changelogs deleted, a fresh state directory): it is rebuilt
        // from PostgreSQL, so a stored message sent again keeps its seq and the next one continues after the highest
        // seq stored instead of starting again at 1
        app.close();
        List<String> changelogs = List.of(
                "rendezvous-stream-apps-" + dev.rendezvous.streams.room.RoomTopology.CHAT_STORE + "-changelog",
                "rendezvous-stream-apps-" + dev.rendezvous.streams.room.RoomTopology.CHAT_RECENT_STORE + "-changelog");
        try (var admin = stack.newKafkaAdmin()) {
            admin.deleteTopics(changelogs).all().get();
            await().atMost(WAIT).until(() -> admin.listTopics().names().get().stream().noneMatch(changelogs::contains));
        }
        app = startApp(dir.resolve("streams-state-chat-lost"));
        chat(meeting, "s-a", "c-41", "after losing the local state");   // stored: not a new message
        chat(meeting, "s-b", "c-42", "after losing the chat state");
        producer.flush();
        allIds.add("c-42");
        await().atMost(WAIT).until(() -> history(meeting).size() >= n + more + 2);
        List<Row> afterLoss = history(meeting);
        assertThat(afterLoss).extracting(Row::seq).isEqualTo(LongRange.of(1, n + more + 2));
        assertThat(afterLoss).extracting(Row::clientMsgId).isEqualTo(allIds);

        // a room that closes and opens again before the chat store has written its last message (it waits up to
        // 200 ms per fetch): the window of the closed room is kept, so the next message does not get a stored seq
        String quick = UUID.randomUUID().toString();
        join(quick, "s-a", GW_A, GW_A_PARTITION, "alice");
        chat(quick, "s-a", "q-1", "before closing");
        leave(quick, "s-a", GW_A, GW_A_PARTITION);
        join(quick, "s-a", GW_A, GW_A_PARTITION, "alice");
        chat(quick, "s-a", "q-2", "after opening again");
        producer.flush();
        await().atMost(WAIT).until(() -> history(quick).size() >= 2);
        assertThat(history(quick)).extracting(Row::seq, Row::clientMsgId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "q-1"), org.assertj.core.groups.Tuple.tuple(2L, "q-2"));
    }

    @Test
    void shouldKeepChatWorkingWhilePostgresIsDownAndStoreEveryMessageWhenItIsBack() throws Exception {
        String meeting = UUID.randomUUID().toString();
        app = startApp(dir.resolve("streams-state-outage"), "--rendezvous.chat-store.max-backoff=PT1S",
                "--rendezvous.resilience.postgresql.open-for=PT2S");
        openDeliveriesConsumer();
        URI health = healthUri(app);
        join(meeting, "s-a", GW_A, GW_A_PARTITION, "alice");
        chat(meeting, "s-a", "before-1", "before the outage");
        await().atMost(WAIT).until(() -> history(meeting).size() == 1);

        stack.postgres().close();
        try {
            whilePostgresIsDown(meeting, health);
        } finally {
            restartedPostgres = Postgres.embedded(stack.dataDir().resolve("postgres"), stack.postgresPort(),
                    stack.logFile("postgres-restarted"), Clock.systemUTC(), StackListener.logging());
            restartedPostgres.start(WAIT);
        }

        await().atMost(WAIT).until(() -> history(meeting).size() >= 11);
        List<Row> stored = history(meeting);
        assertThat(stored).extracting(Row::seq).isEqualTo(LongRange.of(1, 11));
        assertThat(stored).extracting(Row::clientMsgId).containsExactly("before-1", "during-1", "during-2",
                "during-3", "during-4", "during-5", "during-6", "during-7", "during-8", "during-9", "during-10");
        await().atMost(WAIT).until(() -> "UP".equals(healthOf(health, "chatStore")));
        // the pipeline got through the breaker by itself: closed again
        await().atMost(WAIT).until(() -> "closed".equals(breakerState(app)));
        assertThat(healthDetail(health, "chatStore", "circuitBreaker")).isEqualTo("CLOSED");
        assertThat(countRows(meeting)).as("nothing stored twice").isEqualTo(11);
    }

    private void whilePostgresIsDown(String meeting, URI health) throws Exception {
        for (int i = 1; i <= 10; i++) {
            chat(meeting, "s-a", "during-" + i, "during the outage " + i);
        }
        producer.flush();
        // the room goes on: every message is sequenced and delivered live
        List<ConsumerRecord<String, GatewayDelivery>> seen = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            deliveries.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.value().event().meetingId().equals(meeting)) {
                    seen.add(r);
                }
            });
            return chatSeqsSeenBy(seen, GW_A, meeting).contains(11L);
        });
        // and the health endpoint says persistence is failing
        await().atMost(WAIT).until(() -> "DOWN".equals(healthOf(health, "chatStore")));
        // PostgreSQL's circuit breaker opened: the store stops calling it and waits (metrics and health show it)
        await().atMost(WAIT).until(() -> "open".equals(breakerState(app)));
        assertThat(healthDetail(health, "chatStore", "circuitBreaker")).isIn("OPEN", "HALF_OPEN");
    }

    /** PostgreSQL's breaker state as /actuator/prometheus shows it (the state whose gauge is 1), or "absent". */
    private String breakerState(ConfigurableApplicationContext ctx) throws Exception {
        return prometheus(ctx).lines()
                .filter(l -> l.startsWith("resilience4j_circuitbreaker_state{") && l.contains("name=\"postgresql\"")
                        && l.endsWith(" 1.0"))
                .map(l -> l.replaceAll(".*state=\"([a-z_]+)\".*", "$1"))
                .findFirst().orElse("absent");
    }

    private String prometheus(ConfigurableApplicationContext ctx) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(managementUrl(ctx) + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String healthDetail(URI health, String component, String detail) throws Exception {
        return Json.mapper().readTree(getHealth(health).body()).path("components").path(component).path("details")
                .path(detail).asString();
    }

    /** The status of one component of /actuator/health. */
    private String healthOf(URI health, String component) throws Exception {
        HttpResponse<String> r = getHealth(health);
        return Json.mapper().readTree(r.body()).path("components").path(component).path("status").asString();
    }

    /**
     * GET with a timeout, tried again on a new connection when it times out: Reactor Netty 1.3.6 (Boot 4.0.7)
     * can leave a keep-alive connection unanswered (see ARCHITECTURE.md, the keep-alive decision), which hung
     * this test once without a timeout.
     */
    private HttpResponse<String> getHealth(URI health) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------- app

    private static URI healthUri(ConfigurableApplicationContext ctx) {
        return URI.create(managementUrl(ctx) + "/actuator/health");
    }

    /** The actuator's own port; server.port serves no actuator endpoint. */
    private static String managementUrl(ConfigurableApplicationContext ctx) {
        return "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.management.port");
    }

    private void assertActuatorOnlyOnTheManagementPort(ConfigurableApplicationContext ctx) throws Exception {
        String publicUrl = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
        assertThat(publicUrl).isNotEqualTo(managementUrl(ctx));
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(managementUrl(ctx) + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_");
        // the store pipelines' consumers export their lag (the lag alert and dashboard read it), next to Kafka Streams'
        // (each consumer is made once its pipeline's table is ready)
        for (String client : List.of("rendezvous-chat-store-chat.message.accepted",
                "rendezvous-chat-store-recordings-recording.control.requested",
                "rendezvous-chat-store-recordings-recording.file.stored")) {
            await().atMost(METRICS_WAIT).untilAsserted(() -> assertThat(prometheus(ctx).lines()
                    .filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")).toList())
                    .as("the lag of " + client).anyMatch(l -> l.contains("client_id=\"" + client + "\"")));
        }
        // and PostgreSQL's circuit breaker is there, closed
        assertThat(breakerState(ctx)).isEqualTo("closed");
        for (String path : List.of("/actuator/prometheus", "/actuator/health")) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(publicUrl + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(path + " on the public port").isEqualTo(404);
        }
    }

    /** Starts stream-apps in this JVM and waits until /actuator/health is UP (Kafka Streams RUNNING, table ready). */
    private ConfigurableApplicationContext startApp(Path stateDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--rendezvous.kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
                "--rendezvous.streams.state-dir=" + stateDir,
                "--spring.r2dbc.url=" + stack.postgresR2dbcUrl(),
                "--spring.r2dbc.username=" + stack.postgresUsername(),
                "--spring.r2dbc.password=" + stack.postgresPassword()));
        args.addAll(List.of(extraArgs));
        // command-line arguments, not SpringApplicationBuilder.properties(): those are defaults application.yml overrides
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(StreamAppsApplication.class)
                .run(args.toArray(String[]::new));
        URI health = healthUri(ctx);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> r = getHealth(health);
            return r.statusCode() == 200;
        });
        try {
            assertThat(healthOf(health, "kafkaStreams")).isEqualTo("UP");
            assertThat(healthOf(health, "chatStore")).isEqualTo("UP");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return ctx;
    }

    // ---------------------------------------------------------------------------------------- Kafka

    private static void openDeliveriesConsumer() {
        if (deliveries != null) {
            return;
        }
        deliveries = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), Topics.GATEWAY_DELIVERIES.valueSerde().deserializer());
        List<TopicPartition> all = IntStream.range(0, Topics.GATEWAY_DELIVERIES.partitions())
                .mapToObj(p -> new TopicPartition(Topics.GATEWAY_DELIVERIES.name(), p)).toList();
        deliveries.assign(all);
        deliveries.seekToBeginning(all);
    }

    private static void join(String meeting, String socket, String gateway, int partition, String name) {
        send(Topics.MEMBER_REQUESTED, meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, gateway,
                partition, "p-" + name, name, Role.USER, Instant.now()));
    }

    private static void leave(String meeting, String socket, String gateway, int partition) {
        send(Topics.MEMBER_REQUESTED, meeting, new MemberRequest(MemberRequest.Action.LEAVE, meeting, socket, gateway,
                partition, null, null, null, Instant.now()));
    }

    private static void chat(String meeting, String socket, String clientMsgId, String text) {
        String gateway = socket.equals("s-a") ? GW_A : GW_B;
        int partition = socket.equals("s-a") ? GW_A_PARTITION : GW_B_PARTITION;
        send(Topics.CHAT_REQUESTED, meeting, new ChatRequest(meeting, socket, gateway, partition, "ignored", "ignored",
                clientMsgId, text, Instant.now()));
    }

    private static <V> void send(TopicSpec<V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("cannot send to " + topic.name(), e);
        }
    }

    /** The distinct chat seqs of one meeting delivered to one gateway, in the order they were first delivered. */
    private static List<Long> chatSeqsSeenBy(List<ConsumerRecord<String, GatewayDelivery>> seen, String gateway,
                                             String meeting) {
        return seen.stream()
                .filter(r -> r.key().equals(gateway) && r.value().event().type() == RoomEvent.Type.CHAT
                        && r.value().event().meetingId().equals(meeting))
                .map(r -> r.value().event().chat().seq())
                .distinct()
                .toList();
    }

    // ---------------------------------------------------------------------------------------- PostgreSQL

    record Row(long seq, String clientMsgId, String senderName, String text) {}

    private static List<Row> history(String meeting) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = stack.postgres().connect(); Statement s = c.createStatement()) {
            if (!tableExists(s)) {
                return rows;
            }
            try (ResultSet r = s.executeQuery("SELECT seq, client_msg_id, sender_name, text FROM chat_messages"
                    + " WHERE meeting_id = '" + UUID.fromString(meeting) + "' ORDER BY seq")) {
                while (r.next()) {
                    rows.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)));
                }
            }
        }
        return rows;
    }

    private static long countRows(String meeting) throws SQLException {
        try (Connection c = stack.postgres().connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM chat_messages WHERE meeting_id = '"
                     + UUID.fromString(meeting) + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean tableExists(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT to_regclass('public.chat_messages') IS NOT NULL")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    /** 1..n as a list, for readable assertions. */
    static final class LongRange {
        static List<Long> of(long from, long to) {
            return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
        }
    }
}
