package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StalledClient;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.gateway.web.SocketsOnGateway;
import dev.rendezvous.gateway.ws.UnfinishedFrames;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.SignalRequest;
import dev.rendezvous.topics.serde.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The WebSocket transport's limits (issue 9, item 3) against a real broker and PostgreSQL: 64 KiB for every frame
 * but media-offer and media-answer (whose SDP grows with the room, up to max-sdp-frame-bytes), a transport ceiling
 * that closes the socket with 1009, a handshake that must come within the handshake timeout, and a cap on the sockets
 * one gateway holds.
 */
class TransportLimitsIT {

    /** Small enough to fill here; every test starts with none open (see {@link #setUp()}) and holds at most four. */
    private static final int SOCKETS_PER_GATEWAY = 6;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Room for one frame at the transport limit (266,240 bytes) and a little more. */
    private static final int UNFINISHED_BUDGET = 300_000;
    /** Long enough that the budget, not the time, closes the first socket on a slow machine; the third one stalls. */
    private static final String UNFINISHED_TIMEOUT = "PT15S";

    private static RunningGateway gw;
    private StreamAppsDouble apps;
    private Map<String, String> host;
    private String mid;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_transport", "--rendezvous.gateway.transport.handshake-timeout=PT2S",
                "--rendezvous.limits.sockets-per-gateway=" + SOCKETS_PER_GATEWAY,
                "--rendezvous.gateway.transport.unfinished-frames-budget=" + UNFINISHED_BUDGET,
                "--rendezvous.gateway.transport.unfinished-frame-timeout=" + UNFINISHED_TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void setUp() {
        // the sockets of the test before (closed at its end) are gone, so that each test has the cap to itself
        SocketsOnGateway all = gw.context.getBean(SocketsOnGateway.class);
        await("the sockets of the test before closed").atMost(WsClient.WAIT).until(() -> all.open() == 0);
        apps = new StreamAppsDouble();
        host = gw.newUser("Hope");
        mid = gw.newMeeting(host.get("token"), "Limits").get("meetingId");
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    @Test
    void shouldAnswerOversizedFramesWithAnErrorCloseFramesAboveTheTransportLimitAndKeepTheRoomGoing() {
        Map<String, String> other = gw.newUser("Otto");
        try (WsClient a = WsClient.connect(gw); WsClient b = WsClient.connect(gw)) {
            String sa = join(a, host, Role.HOST);
            String sb = join(b, other, Role.USER);

            // a chat above 64 KiB: an error frame, the socket stays
            a.send(chat("big", "x".repeat(70 * 1024)));
            JsonNode tooLarge = a.nextError();
            assertThat(tooLarge.get("error").asString()).isEqualTo("frame_too_large");
            assertThat(tooLarge.get("ref").asString()).isEqualTo("big");
            a.send(chat("a-1", "still here"));
            apps.await(Topics.CHAT_REQUESTED, r -> sa.equals(r.socketId()) && "a-1".equals(r.clientMsgId()));

            // SDP may be larger: a 200 KB media-offer goes through
            String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=x-pad:" + "p".repeat(200_000) + "\r\n";
            b.send(Json.mapper().writeValueAsString(Map.of("type", "media-offer", "meetingId", mid, "sdp", sdp,
                    "tracks", List.of(Map.of("mid", "0", "kind", "audio", "source", "microphone", "muted", false)))));
            apps.await(Topics.SIGNAL_REQUESTED, r -> sb.equals(r.socketId()) && r.kind() == SignalRequest.Kind.OFFER);

            // above the transport limit (max-sdp-frame-bytes): the connection is closed with 1009, unread
            a.send(chat("huge", "x".repeat(300 * 1024)));
            assertThat(a.awaitClose(WsClient.WAIT)).isEqualTo(1009);
            MemberRequest leave = apps.await(Topics.MEMBER_REQUESTED,
                    r -> sa.equals(r.socketId()) && r.action() == MemberRequest.Action.LEAVE).value();
            assertThat(leave.meetingId()).isEqualTo(mid);

            // the room goes on: the other member still chats
            b.send(chat("b-1", "after the big one"));
            apps.await(Topics.CHAT_REQUESTED, r -> sb.equals(r.socketId()) && "b-1".equals(r.clientMsgId()));
            assertThat(b.isOpen()).isTrue();
        }
    }

    @Test
    void shouldCloseAConnectionThatDoesNotCompleteItsHandshakeButNotAnIdleUpgradedSocket() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", gw.port)) {
            raw.setSoTimeout(20_000);
            OutputStream out = raw.getOutputStream();
            out.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Instant sent = Instant.now();
            InputStream in = raw.getInputStream();
            // the rest of the request never comes: the gateway hangs up (end of stream) after the handshake timeout
            int read;
            do {
                read = in.read();
            } while (read != -1);
            assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(15));
        }

        try (WsClient ws = WsClient.connect(gw)) {
            ws.next("hello");
            // an upgraded socket is not subject to the handshake timeout (its silence is the socket layer's matter)
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(ws::isOpen);
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.next("pong")).isNotNull();
        }
    }

    @Test
    void shouldRefuseASocketWith503OnceTheGatewayHoldsItsMaximumAndTakeOneAgainWhenOneCloses() {
        List<WsClient> open = new ArrayList<>();
        double refusedBefore = refusedHandshakes("gateway_full");
        try {
            for (int i = 0; i < SOCKETS_PER_GATEWAY; i++) {
                WsClient c = WsClient.connect(gw);
                open.add(c);
                c.next("hello");
            }
            assertThat(handshakeStatus()).as("one socket more than the cap").isEqualTo(503);
            HttpResponse<String> why = gw.send(HttpRequest.newBuilder(gw.uri("/ws")).GET().build());
            assertThat(why.statusCode()).isEqualTo(503);
            assertThat(Json.mapper().readTree(why.body()).get("error").asString()).isEqualTo("unavailable");
            assertThat(Json.mapper().readTree(why.body()).get("message").asString()).contains("maximum of 6");
            assertThat(why.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(refusedHandshakes("gateway_full") - refusedBefore).as("refusals counted for the operator")
                    .isEqualTo(2.0);

            // the sockets already open go on; when one closes, a new one is taken
            open.get(0).send("{\"type\":\"ping\"}");
            assertThat(open.get(0).next("pong")).isNotNull();
            open.remove(0).close();
            await("a socket taken again after one closed").atMost(WsClient.WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> handshakeStatus() == 101);
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void shouldCloseTheSocketHoldingTheMostUnfinishedFrameBytesOverTheBudgetAndOneWhoseFrameStalls() throws Exception {
        UnfinishedFrames unfinished = gw.context.getBean(UnfinishedFrames.class);
        double overBudgetBefore = counted("rendezvous_gateway_sockets_dropped_total", "frames_over_budget");
        double tooSlowBefore = counted("rendezvous_gateway_sockets_dropped_total", "frame_too_slow");
        try (StalledClient big = StalledClient.connect(gw); StalledClient mid = StalledClient.connect(gw);
             StalledClient small = StalledClient.connect(gw); WsClient page = WsClient.connect(gw)) {
            page.next("hello");
            big.startText(200_000, 150_000);
            await("the first frame's bytes held").atMost(WsClient.WAIT).until(() -> unfinished.held() >= 150_000);
            mid.startText(200_000, 100_000);
            await("the second's too").atMost(WsClient.WAIT).until(() -> unfinished.held() >= 250_000);

            // 60,000 more take the gateway past its 300,000: the socket holding the most goes, with its bytes
            small.startText(200_000, 60_000);
            assertThat(big.readCloseCode()).as("the largest holder is closed: try again later").isEqualTo(1013);
            assertThat(counted("rendezvous_gateway_sockets_dropped_total", "frames_over_budget") - overBudgetBefore)
                    .as("closed for the budget, not for its time").isEqualTo(1.0);

            // the others go on: a frame completed is read (spaces: an error frame), a page chats
            mid.sendMore(100_000);
            // the third's payload so far and its 14-byte header (2, an 8-byte length, a 4-byte mask key)
            await("only the third's bytes are held").atMost(WsClient.WAIT).until(() -> unfinished.held() == 60_014);
            assertThat(mid.readFrame()).contains("\"hello\"");
            assertThat(mid.readFrame()).contains("\"error\"");
            page.send("{\"type\":\"ping\"}");
            assertThat(page.next("pong")).isNotNull();

            // a frame that stops arriving is given up after the timeout (15 s here), and its bytes with it
            assertThat(small.readCloseCode()).as("a stalled frame's socket is closed").isEqualTo(1013);
            assertThat(counted("rendezvous_gateway_sockets_dropped_total", "frame_too_slow") - tooSlowBefore)
                    .as("closed for its time").isEqualTo(1.0);
            await("nothing unfinished is held").atMost(WsClient.WAIT).until(() -> unfinished.held() == 0);
            assertThat(unfinished.leaving()).as("no socket is left counted as closing").isZero();
        }
    }

    /** The gateway's count of handshakes refused for {@code reason}, as its Prometheus scrape shows it. */
    private static double refusedHandshakes(String reason) {
        return gw.counted("rendezvous_gateway_handshakes_refused_total", reason);
    }

    private static double counted(String series, String reason) {
        return gw.counted(series, reason);
    }

    /** A WebSocket handshake's status: 101 (the socket is closed again at once) or the refusal's. */
    private static int handshakeStatus() {
        try {
            WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + gw.port + "/ws"), new WebSocket.Listener() {}).join();
            ws.abort();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private String join(WsClient ws, Map<String, String> user, Role role) {
        String socketId = ws.next("hello").get("socketId").asString();
        ws.send(Map.of("type", "join", "meetingId", mid, "token", user.get("token")));
        apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()) && r.action() == MemberRequest.Action.JOIN);
        Participant you = new Participant(user.get("userId"), "x", role, socketId);
        apps.deliver(gw.id, gw.deliveryPartition(),
                new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(socketId), RoomEvent.joined(mid, you, List.of(you))));
        ws.next("joined");
        return socketId;
    }

    private String chat(String clientMsgId, String text) {
        return Json.mapper().writeValueAsString(Map.of("type", "chat", "meetingId", mid, "clientMsgId", clientMsgId, "text", text));
    }
}
