package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.EchoRoomProcessor;
import dev.rendezvous.gateway.support.FuzzInputs;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.serde.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzing (issue 9, item 8): {@code fuzz.frames} (default 10,000) generated malformed WebSocket frames and {@code fuzz.calls} (3,000) REST bodies
 * ({@link FuzzInputs}, seeded: {@code -Dfuzz.seed=} replays a run) against one real gateway on the real broker and
 * PostgreSQL, while a room is in progress (two sockets joined and chatting through {@link EchoRoomProcessor}). Every
 * frame gets an error frame with a code and a message (never "unavailable", the gateway's own failure) or a normal
 * answer, and the socket stays open; every body gets a 2xx or a 4xx with a JSON {@code {error, message}}, never a
 * 5xx; the room keeps working during (checked every {@value #ROOM_CHECK_EVERY} frames) and after, and the gateway
 * is still the one that started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FuzzIT {

    static final int FRAMES = Integer.getInteger("fuzz.frames", 10_000);
    static final int CALLS = Integer.getInteger("fuzz.calls", 3_000);
    static final int ROOM_CHECK_EVERY = 2_500;

    /** A REST endpoint of API.md that takes a body: method, path, the fields of its body. */
    record Endpoint(String method, String path, List<String> fields) {}

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static RunningGateway gw;
    private static EchoRoomProcessor processor;
    private static WsClient alice;
    private static WsClient bob;
    private static String roomId;
    private static String guestToken;
    private static String hostToken;
    private static Map<String, String> sideMeeting;

    @BeforeAll
    static void start() {
        System.out.println("FuzzIT seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        gw = RunningGateway.start("gw_fuzz", "--rendezvous.gateway.frames-per-second=1000000",
                "--rendezvous.gateway.frame-burst=1000000", "--rendezvous.host-actions.reply-timeout=PT5S");
        processor = new EchoRoomProcessor();
        hostToken = gw.newUser("Hope").get("token");
        Map<String, String> room = gw.newMeeting(hostToken, "Room in progress");
        roomId = room.get("meetingId");
        guestToken = gw.guestToken(room.get("code"), "Fuzzy");
        // the REST calls that change a meeting act on another one, so the room in progress keeps its settings
        sideMeeting = gw.newMeeting(hostToken, "Fuzzed");
        alice = joined(hostToken);
        bob = joined(gw.newUser("Bob").get("token"));
        assertRoomWorks("before");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (gw != null) {
                assertThat(gw.context.isActive()).as("the gateway is still running").isTrue();
                assertRoomWorks("after the fuzzing");
                assertThat(processor.malformed()).as("requests the gateway put on Kafka that could not be read").isZero();
            }
        } finally {
            for (WsClient c : new WsClient[] {alice, bob}) {
                if (c != null) {
                    c.close();
                }
            }
            if (processor != null) {
                processor.close();
            }
            if (gw != null) {
                gw.close();
            }
        }
    }

    @Test
    @Order(1)
    void shouldAnswerEveryMalformedFrameWithAnErrorOrIgnoreItAndKeepTheSocketAndTheRoom() {
        FuzzInputs in = new FuzzInputs(SEED);
        try (WsClient fuzzer = WsClient.connect(gw)) {
            fuzzer.next("hello");
            for (int n = 1; n <= FRAMES; n++) {
                FuzzInputs.Frame frame = in.frame(roomId, guestToken);
                String what = "frame " + n + " of seed " + SEED + ": " + frame;
                if (frame.binary() != null) {
                    fuzzer.sendBinary(frame.binary());
                } else {
                    fuzzer.send(frame.text());
                }
                // a marker after it: whatever comes before the marker's answer was about the frame (or room traffic)
                String mark = "mark-" + n;
                fuzzer.send("{\"type\":\"chat\",\"meetingId\":\"marker\",\"clientMsgId\":\"" + mark + "\",\"text\":\"x\"}");
                while (true) {
                    JsonNode f;
                    try {
                        f = fuzzer.next();
                    } catch (AssertionError e) {
                        throw new AssertionError("no answer to the marker after " + what + " (socket open: "
                                + fuzzer.isOpen() + ", close code: " + fuzzer.closeCode() + ", error: " + fuzzer.error() + ")", e);
                    }
                    assertThat(f.path("type").asString("")).as("type of %s after %s", f, what).isNotBlank();
                    if ("error".equals(f.path("type").asString(""))) {
                        assertThat(f.path("error").asString("")).as("error code of %s after %s", f, what)
                                .isNotBlank().isNotEqualTo("unavailable");
                        assertThat(f.path("message").asString("")).as("message of %s after %s", f, what).isNotBlank();
                        if (mark.equals(f.path("ref").asString(""))) {
                            break;
                        }
                    }
                }
                assertThat(fuzzer.isOpen()).as("the socket is still open after %s", what).isTrue();
                if (n % ROOM_CHECK_EVERY == 0) {
                    assertRoomWorks("after " + n + " frames");
                }
            }
        }
    }

    @Test
    @Order(2)
    void shouldAnswerEveryMalformedBodyWithAClearErrorNeverA5xx() {
        FuzzInputs in = new FuzzInputs(SEED + 1);
        String side = sideMeeting.get("meetingId");
        List<String> settings = List.of("title", "lobby", "startsAt", "muteOnEntry", "allowGuests", "maxParticipants", "locked");
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/v1/auth/register", List.of("email", "password", "displayName")),
                new Endpoint("POST", "/api/v1/auth/login", List.of("email", "password")),
                new Endpoint("POST", "/api/v1/meetings", settings),
                new Endpoint("POST", "/api/v1/meetings/" + sideMeeting.get("code") + "/guest", List.of("displayName")),
                new Endpoint("PATCH", "/api/v1/meetings/" + side, settings),
                new Endpoint("POST", "/api/v1/meetings/" + side + "/invites", List.of("email")),
                new Endpoint("POST", "/api/v1/meetings/" + side + "/participants/" + UUID.randomUUID() + "/mute",
                        List.of("audio", "video", "allowUnmute")),
                new Endpoint("POST", "/api/v1/meetings/" + side + "/end", List.of("reason")));
        // first, hostile values the generator rarely hits before the login budget is spent (regressions)
        String nul = "a\\u0000b@example.com";
        for (String[] c : new String[][] {
                {"POST", "/api/v1/auth/register", "{\"email\":\"" + nul + "\",\"password\":\"password-123\",\"displayName\":\"N\"}"},
                {"POST", "/api/v1/auth/login", "{\"email\":\"" + nul + "\",\"password\":\"password-123\"}"},
                {"POST", "/api/v1/meetings/" + side + "/invites", "{\"email\":\"" + nul + "\"}"},
                {"PATCH", "/api/v1/meetings/" + side, "{\"title\":\"t\\u0000\"}"}}) {
            HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri(c[1])).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + hostToken)
                    .method(c[0], HttpRequest.BodyPublishers.ofString(c[2])).build());
            assertThat(r.statusCode()).as("%s %s %s: %s", c[0], c[1], c[2], r.body()).isBetween(400, 499);
            assertThat(Jsons.field(r.body(), "error")).isNotBlank();
        }
        for (int n = 1; n <= CALLS; n++) {
            Endpoint e = in.pick(endpoints);
            FuzzInputs.Body body = in.body(e.fields());
            String authorization = in.authorization("Bearer " + hostToken);
            String what = "call " + n + " of seed " + SEED + ": " + e.method() + " " + e.path() + " " + body;
            HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(e.path())).timeout(Duration.ofSeconds(30))
                    .method(e.method(), HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
            if (body.contentType() != null) {
                b.header("Content-Type", body.contentType());
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = gw.send(b.build());
            assertThat(r.statusCode()).as("status of %s: %s", what, r.body()).isLessThan(500);
            if (r.statusCode() >= 400) {
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as("type of %s", what).contains("json");
                JsonNode error = Jsons.tree(r.body());
                assertThat(error.path("error").asString("")).as("error code of %s: %s", what, r.body()).isNotBlank();
                assertThat(error.path("message").asString("")).as("message of %s: %s", what, r.body()).isNotBlank();
            }
        }
        assertRoomWorks("after " + CALLS + " calls");
    }

    private static WsClient joined(String token) {
        WsClient ws = WsClient.connect(gw);
        ws.next("hello");
        ws.send(Map.of("type", "join", "meetingId", roomId, "token", token));
        ws.next("joined");
        return ws;
    }

    /** Alice's chat reaches Bob, and Bob's reaches Alice. */
    private static void assertRoomWorks(String when) {
        for (WsClient[] pair : new WsClient[][] {{alice, bob}, {bob, alice}}) {
            String id = "room-" + UUID.randomUUID();
            pair[0].send(Json.mapper().writeValueAsString(Map.of("type", "chat", "meetingId", roomId, "clientMsgId", id,
                    "text", "still chatting " + when)));
            JsonNode got = pair[1].next(f -> "chat".equals(f.path("type").asString(""))
                    && id.equals(f.path("clientMsgId").asString("")), "chat " + id + " " + when);
            assertThat(got.path("text").asString("")).isEqualTo("still chatting " + when);
        }
    }
}
