package dev.rendezvous.gateway;

import static dev.rendezvous.gateway.GatewayRestIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.shared.AerospikeSharedState;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.TestAerospike;
import dev.rendezvous.gateway.support.TestInfra;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two gateways sharing one real Aerospike (and one database), as behind a load balancer: a budget spent on one is
 * spent on the other, a token revoked on one is refused by the other and put out of the meetings it is in there, a
 * deleted user opens no socket and is put out of its meetings, and each open socket has a presence record naming its
 * gateway. The identity re-check runs every second here (10 s by default). No stream-apps runs: where a join must
 * complete, the test plays its part ({@link StreamAppsDouble}). Each test uses its own client address ({@code X-Forwarded-For},
 * trusted here), so the per-address budgets of one test do not touch another's.
 */
class SharedStateIT {

    private static final String DB = "gw_shared_state";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static RunningGateway gw1;
    private static RunningGateway gw2;
    private static AerospikeSharedState store;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        String hosts = TestAerospike.hosts();
        String prefix = "it" + UUID.randomUUID().toString().substring(0, 6) + "_";
        String[] args = {
                "--rendezvous.aerospike.hosts=" + hosts, "--rendezvous.aerospike.set-prefix=" + prefix,
                "--rendezvous.aerospike.presence-ttl=PT3S",
                "--rendezvous.limits.trust-forwarded-for=true",
                // windows of hours: nothing refills during the test unless a window happens to end within it
                "--rendezvous.gateway.login-failure-burst=3", "--rendezvous.gateway.login-failures-per-minute=0.01",
                "--rendezvous.limits.guest-tokens=3", "--rendezvous.limits.guest-token-window=PT5H",
                "--rendezvous.limits.registrations=4", "--rendezvous.limits.registration-window=PT5H",
                "--rendezvous.limits.sockets-per-address=2",
                "--rendezvous.gateway.presence.identity-recheck=PT1S"};
        gw1 = RunningGateway.start(DB, args);
        gw2 = RunningGateway.startOn(DB, args);
        store = new AerospikeSharedState(hosts, "rendezvous", prefix, Duration.ofSeconds(2), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {gw1, gw2, store}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Test
    void failedLoginsOnOneGatewaySpendTheAddresssBudgetOnTheOther() {
        String from = "10.1.0.1";
        String email = "lin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        assertThat(post(gw1, "/api/v1/auth/register", "{\"email\":\"" + email
                + "\",\"password\":\"right horse battery\",\"displayName\":\"Lin\"}", null, from).statusCode()).isEqualTo(201);
        RunningGateway[] turns = {gw1, gw2, gw1};
        for (RunningGateway gw : turns) {
            assertError(login(gw, email, "wrong horse battery", from), 401, "invalid_credentials");
        }
        HttpResponse<String> refused = login(gw2, email, "right horse battery", from);
        assertError(refused, 429, "rate_limited");
        assertThat(refused.body()).contains("this address");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"))).isPositive();
        // another address is not touched
        assertThat(login(gw2, email, "right horse battery", "10.1.0.2").statusCode()).isEqualTo(200);
    }

    @Test
    void guestTokensAreBudgetedPerAddressAcrossGateways() {
        Map<String, String> m = gw1.newMeeting(gw1.newUser("Host").get("token"), "Guests");
        String path = "/api/v1/meetings/" + m.get("code") + "/guest";
        String from = "10.2.0.1";
        RunningGateway[] turns = {gw1, gw2, gw1};
        for (RunningGateway gw : turns) {
            assertThat(post(gw, path, "{\"displayName\":\"G\"}", null, from).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = post(gw2, path, "{\"displayName\":\"G\"}", null, from);
        assertError(refused, 429, "rate_limited");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"))).isPositive();
        assertThat(post(gw2, path, "{\"displayName\":\"G\"}", null, "10.2.0.2").statusCode()).isEqualTo(200);
    }

    @Test
    void registrationsAreBudgetedPerAddress() {
        String from = "10.3.0.1";
        for (int i = 0; i < 4; i++) {
            assertThat(register(i % 2 == 0 ? gw1 : gw2, from).statusCode()).as("registration %d", i + 1).isEqualTo(201);
        }
        HttpResponse<String> refused = register(gw1, from);
        assertError(refused, 429, "rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void aLoggedOutTokenOpensNoSocketAndJoinsNothingOnAnyGateway() throws Exception {
        Map<String, String> host = gw1.newUser("Host");
        Map<String, String> m = gw1.newMeeting(host.get("token"), "Revoked");
        String guest = gw1.guestToken(m.get("code"), "Gone");
        String other = gw1.guestToken(m.get("code"), "Stays");

        HttpResponse<String> out = post(gw1, "/api/v1/auth/logout", "", guest, null);
        assertThat(out.statusCode()).as(out.body()).isEqualTo(204);

        assertThat(handshake(gw2, "/ws?token=" + guest, null).status).isEqualTo(401);
        HttpResponse<String> why = gw2.get("/ws?token=" + guest, null); // the same check, answered as JSON
        assertError(why, 401, "unauthorized");
        assertThat(why.body()).contains("revoked");

        // a socket opened without the token cannot join with it either
        Socket s = handshake(gw2, "/ws", null).socket;
        s.next("hello");
        s.send(Map.of("type", "join", "meetingId", m.get("meetingId"), "token", guest));
        JsonNode error = s.next("error");
        assertThat(error.get("error").asString()).isEqualTo("unauthorized");
        assertThat(error.get("message").asString()).contains("revoked");
        s.close();

        // the other guest's token is untouched; the API refuses the revoked one
        Handshake ok = handshake(gw2, "/ws?token=" + other, null);
        assertThat(ok.socket).isNotNull();
        ok.socket.close();
        assertError(gw2.get("/api/v1/meetings/" + m.get("meetingId"), guest), 401, "unauthorized");

        // a user's logout: /me refuses the token on the other gateway
        assertThat(post(gw2, "/api/v1/auth/logout", "", host.get("token"), null).statusCode()).isEqualTo(204);
        assertError(gw1.get("/api/v1/me", host.get("token")), 401, "unauthorized");
    }

    @Test
    void aDeletedUserOpensNoSocketAndJoinsNothing() throws Exception {
        Map<String, String> host = gw1.newUser("Host");
        Map<String, String> m = gw1.newMeeting(host.get("token"), "Deleted");
        Map<String, String> doomed = gw1.newUser("Doomed");
        TestInfra.sql(DB, "DELETE FROM users WHERE id = '" + doomed.get("userId") + "'");

        assertThat(handshake(gw2, "/ws?token=" + doomed.get("token"), null).status).isEqualTo(401);
        HttpResponse<String> why = gw2.get("/ws?token=" + doomed.get("token"), null);
        assertError(why, 401, "unauthorized");
        assertThat(why.body()).contains("no longer exists");

        Socket s = handshake(gw1, "/ws", null).socket;
        s.next("hello");
        s.send(Map.of("type", "join", "meetingId", m.get("meetingId"), "token", doomed.get("token")));
        JsonNode error = s.next("error");
        assertThat(error.get("error").asString()).isEqualTo("unauthorized");
        assertThat(error.get("message").asString()).contains("no longer exists");
        s.close();
    }

    @Test
    void aTokenLoggedOutOnOneGatewayIsPutOutOfItsMeetingOnTheOther() throws Exception {
        try (StreamAppsDouble apps = new StreamAppsDouble()) {
            // users and guests from this test's own address: the budgets of the default one are the other tests'
            String from = "10.7.0.1";
            Map<String, String> m = gw1.newMeeting(user(gw1, "Host", from).get("token"), "Put out");
            String mid = m.get("meetingId");
            String leaving = guest(gw1, m.get("code"), "Leaving", from);
            String staying = guest(gw1, m.get("code"), "Staying", from);
            Socket a = handshake(gw2, "/ws", from).socket;
            Socket b = handshake(gw2, "/ws", from).socket;
            String aId = joined(apps, gw2, a, mid, leaving);
            String bId = joined(apps, gw2, b, mid, staying);
            double before = gw2.counted("rendezvous_gateway_memberships_revoked_total", null);

            assertThat(post(gw1, "/api/v1/auth/logout", "", leaving, "10.7.0.2").statusCode()).isEqualTo(204);

            // within the re-check's second: the client is told (an error for that meeting), the room gets a LEAVE
            JsonNode error = a.next("error");
            assertThat(error.get("error").asString()).isEqualTo("unauthorized");
            assertThat(error.get("meetingId").asString()).isEqualTo(mid);
            assertThat(error.get("message").asString()).contains("revoked");
            MemberRequest leave = apps.await(Topics.MEMBER_REQUESTED,
                    r -> r.action() == MemberRequest.Action.LEAVE && aId.equals(r.socketId())).value();
            assertThat(leave.meetingId()).isEqualTo(mid);
            assertThat(gw2.counted("rendezvous_gateway_memberships_revoked_total", null) - before).isEqualTo(1.0);

            // its socket stays open, out of the meeting; the other guest is still in
            a.send(Map.of("type", "chat", "meetingId", mid, "clientMsgId", "a-1", "text", "still here?"));
            assertThat(a.next("error").get("error").asString()).isEqualTo("not_joined");
            b.send(Map.of("type", "chat", "meetingId", mid, "clientMsgId", "b-1", "text", "still here"));
            assertThat(apps.await(Topics.CHAT_REQUESTED, r -> "b-1".equals(r.clientMsgId())).value().socketId())
                    .isEqualTo(bId);
            assertThat(apps.find(Topics.MEMBER_REQUESTED,
                    r -> r.action() == MemberRequest.Action.LEAVE && bId.equals(r.socketId()), Duration.ofSeconds(2)))
                    .as("no LEAVE for the other guest").isNull();
            a.close();
            b.close();
        }
    }

    @Test
    void aDeletedUserIsPutOutOfItsMeeting() throws Exception {
        try (StreamAppsDouble apps = new StreamAppsDouble()) {
            String from = "10.8.0.1";
            Map<String, String> m = gw1.newMeeting(user(gw1, "Host", from).get("token"), "Deleted later");
            Map<String, String> doomed = user(gw1, "Doomed later", from);
            Socket s = handshake(gw1, "/ws", from).socket;
            String socketId = joined(apps, gw1, s, m.get("meetingId"), doomed.get("token"));

            // as an operator would: the user's rows that refer to it first
            TestInfra.sql(DB, "DELETE FROM meeting_participants WHERE user_id = '" + doomed.get("userId") + "'");
            TestInfra.sql(DB, "DELETE FROM users WHERE id = '" + doomed.get("userId") + "'");

            JsonNode error = s.next("error");
            assertThat(error.get("error").asString()).isEqualTo("unauthorized");
            assertThat(error.get("message").asString()).contains("no longer exists");
            assertThat(apps.await(Topics.MEMBER_REQUESTED,
                    r -> r.action() == MemberRequest.Action.LEAVE && socketId.equals(r.socketId())).value().meetingId())
                    .isEqualTo(m.get("meetingId"));
            s.close();
        }
    }

    @Test
    void eachOpenSocketHasAPresenceRecordNamingItsGatewayUntilItCloses() throws Exception {
        Socket s = handshake(gw2, "/ws", "10.5.0.1").socket;
        String socketId = s.next("hello").get("socketId").asString();
        assertThat(store.gatewayOf(socketId).block(WAIT)).isEqualTo(gw2.id);
        // refreshed while open: still there after more than its 3-s TTL
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> gw2.id.equals(store.gatewayOf(socketId).block(WAIT)));
        s.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.gatewayOf(socketId).blockOptional(WAIT).isEmpty());
    }

    @Test
    void anAddressMayHoldOnlySoManySocketsOnAGateway() throws Exception {
        String from = "10.6.0.1";
        Socket a = handshake(gw1, "/ws", from).socket;
        Socket b = handshake(gw1, "/ws", from).socket;
        a.next("hello");
        b.next("hello");
        double refusedBefore = gw1.counted("rendezvous_gateway_handshakes_refused_total", "address_full");
        assertThat(handshake(gw1, "/ws", from).status).isEqualTo(429);
        HttpResponse<String> why = gw1.send(HttpRequest.newBuilder(gw1.uri("/ws")).header("X-Forwarded-For", from).GET().build());
        assertError(why, 429, "rate_limited");
        assertThat(why.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(gw1.counted("rendezvous_gateway_handshakes_refused_total", "address_full") - refusedBefore)
                .as("both refusals counted").isEqualTo(2.0);
        assertThat(handshake(gw1, "/ws", "10.6.0.2").socket).as("another address").isNotNull();
        a.close();
        await().atMost(WAIT).until(() -> {
            Handshake h = handshake(gw1, "/ws", from);
            if (h.socket != null) {
                h.socket.close();
            }
            return h.socket != null;
        });
        b.close();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Registers and logs in a user from {@code from}; {userId, token}. */
    private static Map<String, String> user(RunningGateway gw, String name, String from) {
        String email = "u-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        HttpResponse<String> reg = post(gw, "/api/v1/auth/register", "{\"email\":\"" + email
                + "\",\"password\":\"password-123\",\"displayName\":\"" + name + "\"}", null, from);
        assertThat(reg.statusCode()).as(reg.body()).isEqualTo(201);
        HttpResponse<String> in = login(gw, email, "password-123", from);
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        return Map.of("userId", Jsons.field(reg.body(), "userId"), "token", Jsons.field(in.body(), "token"));
    }

    /** A guest token for the meeting of {@code code}, asked for from {@code from}. */
    private static String guest(RunningGateway gw, String code, String name, String from) {
        HttpResponse<String> r = post(gw, "/api/v1/meetings/" + code + "/guest", "{\"displayName\":\"" + name + "\"}",
                null, from);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.field(r.body(), "token");
    }

    /** Joins {@code s} to the meeting with {@code token}, answering the JOIN as stream-apps would; its socket id. */
    private static String joined(StreamAppsDouble apps, RunningGateway gw, Socket s, String meetingId, String token)
            throws InterruptedException {
        String socketId = s.next("hello").get("socketId").asString();
        s.send(Map.of("type", "join", "meetingId", meetingId, "token", token));
        MemberRequest join = apps.await(Topics.MEMBER_REQUESTED,
                r -> r.action() == MemberRequest.Action.JOIN && socketId.equals(r.socketId())).value();
        Participant you = new Participant(join.participantId(), join.displayName(), join.role(), socketId);
        apps.deliver(gw.id, gw.deliveryPartition(), new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(socketId),
                RoomEvent.joined(meetingId, you, List.of(you))));
        assertThat(s.next("joined").get("meetingId").asString()).isEqualTo(meetingId);
        return socketId;
    }

    private static HttpResponse<String> login(RunningGateway gw, String email, String password, String from) {
        return post(gw, "/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null, from);
    }

    private static HttpResponse<String> register(RunningGateway gw, String from) {
        String email = "r-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        return post(gw, "/api/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"password-123\",\"displayName\":\"R\"}", null, from);
    }

    private static HttpResponse<String> post(RunningGateway gw, String path, String json, String token, String from) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (from != null) {
            b.header("X-Forwarded-For", "203.0.113.9, " + from); // the first entry is the client's claim: ignored
        }
        return gw.send(b.build());
    }

    /** A WebSocket handshake: the socket, or the refusal's status and body. */
    private record Handshake(Socket socket, int status) {}

    private static Handshake handshake(RunningGateway gw, String pathAndQuery, String from) {
        Socket listener = new Socket();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (from != null) {
            b.header("X-Forwarded-For", from);
        }
        try {
            listener.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + gw.port + pathAndQuery), listener).join();
            return new Handshake(listener, 101);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return new Handshake(null, h.getResponse().statusCode());
            }
            throw e;
        }
    }

    /** A minimal client socket: frames in a queue. */
    private static final class Socket implements WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        private final List<CharSequence> parts = new ArrayList<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.add(data.toString());
            if (last) {
                frames.add(Jsons.tree(String.join("", parts)));
                parts.clear();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        void send(Object frame) {
            ws.sendText(Json.mapper().writeValueAsString(frame), true).join();
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (f != null && type.equals(f.get("type").asString())) {
                    return f;
                }
            }
            throw new AssertionError("no " + type + " frame within " + WAIT);
        }

        void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
            ws.abort();
        }
    }
}
