package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StalledClient;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.SignalRequest;
import dev.rendezvous.topics.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The WebSocket endpoint against a real broker and PostgreSQL. No stream-apps runs: the test plays its part,
 * reading the request topics and writing deliveries with real Kafka clients.
 */
class GatewayWebSocketIT {

    private static RunningGateway gw;
    private StreamAppsDouble apps;
    private Map<String, String> host;
    private Map<String, String> meeting;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_ws");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @BeforeEach
    void setUp() {
        apps = new StreamAppsDouble();
        host = gw.newUser("Hope");
        meeting = gw.newMeeting(host.get("token"), "Sync");
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    @Test
    void shouldGreetWithSocketIdAndLimits() {
        try (WsClient ws = WsClient.connect(gw)) {
            JsonNode hello = ws.next();
            assertThat(hello.get("type").asString()).isEqualTo("hello");
            assertThat(UUID.fromString(hello.get("socketId").asString())).isNotNull();
            JsonNode limits = hello.get("limits");
            assertThat(limits.get("maxFrameBytes").asInt()).isEqualTo(65536);
            assertThat(limits.get("maxSdpFrameBytes").asInt()).isEqualTo(266240);
            assertThat(limits.get("maxTextCodePoints").asInt()).isEqualTo(2000);
            assertThat(limits.get("framesPerSecond").asDouble()).isEqualTo(50.0);
            assertThat(limits.get("frameBurst").asInt()).isEqualTo(100);
            assertThat(hello.get("media").get("lastN").asInt()).as("last-N, default 16").isEqualTo(16);
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.next().get("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void shouldRequestJoinAndChatOnlyAfterTheJoinedDeliveryCameBack() {
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();
            String mid = meeting.get("meetingId");

            ws.send(Map.of("type", "join", "meetingId", mid, "token", host.get("token")));
            StreamAppsDouble.Request<MemberRequest> join = apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()));
            assertThat(join.key()).isEqualTo(mid);
            MemberRequest m = join.value();
            assertThat(m.action()).isEqualTo(MemberRequest.Action.JOIN);
            assertThat(m.meetingId()).isEqualTo(mid);
            assertThat(m.gatewayId()).isEqualTo(gw.id);
            assertThat(m.gatewayPartition()).isEqualTo(gw.deliveryPartition());
            assertThat(m.participantId()).isEqualTo(host.get("userId"));
            assertThat(m.displayName()).isEqualTo("Hope");
            assertThat(m.role()).isEqualTo(Role.HOST);
            assertThat(m.at()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

            // the join is requested, not done: chat is refused until stream-apps answers
            ws.send(chat(mid, "early", "too soon"));
            JsonNode early = ws.nextError();
            assertThat(early.get("error").asString()).isEqualTo("not_joined");
            assertThat(early.get("ref").asString()).isEqualTo("early");

            Participant you = new Participant(host.get("userId"), "Hope", Role.HOST, socketId);
            Participant other = new Participant("guest:" + UUID.randomUUID(), "Gil", Role.GUEST, UUID.randomUUID().toString());
            deliver(socketId, RoomEvent.joined(mid, you, List.of(other, you)));
            JsonNode joined = ws.next();
            assertThat(joined.get("type").asString()).isEqualTo("joined");
            assertThat(joined.get("meetingId").asString()).isEqualTo(mid);
            assertThat(joined.get("you").get("socketId").asString()).isEqualTo(socketId);
            assertThat(joined.get("you").get("role").asString()).isEqualTo("HOST");
            assertThat(joined.get("participants").size()).isEqualTo(2);

            ws.send(chat(mid, "c-1", "hello room"));
            StreamAppsDouble.Request<ChatRequest> chat = apps.await(Topics.CHAT_REQUESTED, r -> "c-1".equals(r.clientMsgId()));
            assertThat(chat.key()).isEqualTo(mid);
            assertThat(chat.value()).isEqualTo(new ChatRequest(mid, socketId, gw.id, gw.deliveryPartition(),
                    host.get("userId"), "Hope", "c-1", "hello room", chat.value().sentAt()));
            assertThat(chat.timestamp()).isEqualTo(chat.value().sentAt().toEpochMilli());

            // no separate ack: the sender learns of its message when it comes back as a chat
            deliver(socketId, RoomEvent.chat(new ChatMessage(mid, 1, "c-1", host.get("userId"), "Hope", "hello room",
                    Instant.parse("2030-01-01T00:00:00Z"))));
            JsonNode back = ws.next();
            assertThat(back.get("type").asString()).isEqualTo("chat");
            assertThat(back.get("seq").asLong()).isEqualTo(1);
            assertThat(back.get("clientMsgId").asString()).isEqualTo("c-1");
            assertThat(back.get("from").get("displayName").asString()).isEqualTo("Hope");
            assertThat(back.get("text").asString()).isEqualTo("hello room");
            assertThat(back.get("sentAt").asString()).isEqualTo("2030-01-01T00:00:00Z");

            deliver(socketId, RoomEvent.participantLeft(mid, other));
            JsonNode left = ws.next();
            assertThat(left.get("type").asString()).isEqualTo("participant-left");
            assertThat(left.get("participant").get("displayName").asString()).isEqualTo("Gil");

            deliver(socketId, RoomEvent.rejected(mid, "invalid_message", "the message is empty", "c-2"));
            JsonNode rejected = ws.nextError();
            assertThat(rejected.get("error").asString()).isEqualTo("invalid_message");
            assertThat(rejected.get("ref").asString()).isEqualTo("c-2");

            ws.send(Map.of("type", "leave", "meetingId", mid));
            assertThat(ws.next().get("type").asString()).isEqualTo("left");
            MemberRequest leave = apps.await(Topics.MEMBER_REQUESTED,
                    r -> socketId.equals(r.socketId()) && r.action() == MemberRequest.Action.LEAVE).value();
            assertThat(leave.role()).isEqualTo(Role.HOST);
        }
    }

    @Test
    void shouldJoinAGuestWithTheTokenFromTheQueryString() {
        String guest = gw.guestToken(meeting.get("code"), "Gita");
        try (WsClient ws = WsClient.connect(gw, "/ws?token=" + guest)) {
            String socketId = ws.next().get("socketId").asString();
            ws.send(Map.of("type", "join", "meetingId", meeting.get("meetingId")));
            MemberRequest join = apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId())).value();
            assertThat(join.role()).isEqualTo(Role.GUEST);
            assertThat(join.participantId()).startsWith("guest:");
            assertThat(join.displayName()).isEqualTo("Gita");
        }
    }

    @Test
    void shouldAnswerEveryMalformedFrameWithAnErrorAndThenStillJoinAndChat() {
        String mid = meeting.get("meetingId");
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();

            ws.send("this is not json");
            assertThat(ws.nextError().get("error").asString()).isEqualTo("bad_frame");

            ws.send("{\"type\":\"teleport\"}");
            assertThat(ws.nextError().get("error").asString()).isEqualTo("unknown_type");

            // above max-frame-bytes, below the transport limit (frames above that one close the socket: TransportLimitsIT)
            ws.send("{\"type\":\"chat\",\"text\":\"" + "x".repeat(100 * 1024) + "\"}");
            assertThat(ws.nextError().get("error").asString()).isEqualTo("frame_too_large");

            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.nextError().get("error").asString()).isEqualTo("bad_frame");

            ws.send(Map.of("type", "join", "meetingId", mid));
            assertThat(ws.nextError().get("error").asString()).isEqualTo("unauthorized");

            ws.send(Map.of("type", "join", "meetingId", mid, "token", forgedToken()));
            JsonNode forged = ws.nextError();
            assertThat(forged.get("error").asString()).isEqualTo("unauthorized");
            assertThat(forged.get("ref").asString()).isEqualTo(mid);

            ws.send(Map.of("type", "join", "meetingId", mid, "token", expiredToken(host.get("userId"))));
            assertThat(ws.nextError().get("error").asString()).isEqualTo("unauthorized");

            String otherGuest = gw.guestToken(gw.newMeeting(host.get("token"), "Other").get("code"), "Oz");
            ws.send(Map.of("type", "join", "meetingId", mid, "token", otherGuest));
            assertThat(ws.nextError().get("error").asString()).isEqualTo("forbidden");

            ws.send(Map.of("type", "join", "meetingId", UUID.randomUUID().toString(), "token", host.get("token")));
            assertThat(ws.nextError().get("error").asString()).isEqualTo("meeting_not_found");

            ws.send(chat(mid, "c-x", "not yet"));
            JsonNode notJoined = ws.nextError();
            assertThat(notJoined.get("error").asString()).isEqualTo("not_joined");
            assertThat(notJoined.get("ref").asString()).isEqualTo("c-x");

            // none of that reached Kafka, and the socket still works
            joinAndConfirm(ws, socketId, mid);
            ws.send(chat(mid, "", "no id"));
            assertThat(ws.nextError().get("error").asString()).isEqualTo("invalid_message");
            ws.send(chat(mid, "c-ok", "finally"));
            assertThat(apps.await(Topics.CHAT_REQUESTED, r -> socketId.equals(r.socketId())).value().clientMsgId())
                    .isEqualTo("c-ok");
            assertThat(apps.all(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()), Duration.ofMillis(300)))
                    .hasSize(1);
        }
    }

    @Test
    void shouldRateLimitAFloodingSocketAndServeItAgainAfterwards() {
        String mid = meeting.get("meetingId");
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();
            int sent = 300;
            for (int i = 0; i < sent; i++) {
                ws.send("{\"type\":\"ping\"}");
            }
            int limited = 0;
            for (int i = 0; i < sent; i++) { // one answer per frame: a pong, or the error for a dropped frame
                JsonNode answer = ws.next();
                if ("error".equals(answer.get("type").asString())) {
                    assertThat(answer.get("error").asString()).isEqualTo("rate_limited");
                    limited++;
                }
            }
            assertThat(limited).isGreaterThan(0);

            // as tokens refill (50/s) the same socket is served again: a frame is known to be accepted when the
            // ping sent right after it is answered without a rate_limited error for the frame itself
            sendUntilAccepted(ws, Map.of("type", "join", "meetingId", mid, "token", host.get("token")), mid);
            apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()));
            Participant you = new Participant(host.get("userId"), "Hope", Role.HOST, socketId);
            deliver(socketId, RoomEvent.joined(mid, you, List.of(you)));
            ws.next("joined");
            sendUntilAccepted(ws, chat(mid, "after-flood", "calm again"), "after-flood");
            assertThat(apps.await(Topics.CHAT_REQUESTED, r -> "after-flood".equals(r.clientMsgId())).value().socketId())
                    .isEqualTo(socketId);
        }
    }

    @Test
    void shouldNotPushADeliveryAddressedToAnotherGateway() {
        String mid = meeting.get("meetingId");
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();
            joinAndConfirm(ws, socketId, mid);

            ChatMessage foreign = new ChatMessage(mid, 5, "foreign", "x", "X", "not for this gateway", Instant.now());
            apps.deliver("some-other-gateway", gw.deliveryPartition(),
                    new GatewayDelivery("some-other-gateway", gw.deliveryPartition(), List.of(socketId), RoomEvent.chat(foreign)));
            apps.deliverRaw(gw.id, gw.deliveryPartition(), "not json at all".getBytes(StandardCharsets.UTF_8));
            ChatMessage mine = new ChatMessage(mid, 6, "mine", "y", "Y", "for this gateway", Instant.now());
            deliver(socketId, RoomEvent.chat(mine));

            // same partition, so in order: had the foreign one been pushed, it would come first
            JsonNode next = ws.next();
            assertThat(next.get("type").asString()).isEqualTo("chat");
            assertThat(next.get("clientMsgId").asString()).isEqualTo("mine");
        }
    }

    @Test
    void shouldLeaveEveryMeetingWhenTheSocketCloses() {
        String mid = meeting.get("meetingId");
        String socketId;
        try (WsClient ws = WsClient.connect(gw)) {
            socketId = ws.next().get("socketId").asString();
            joinAndConfirm(ws, socketId, mid);
        }
        MemberRequest leave = apps.await(Topics.MEMBER_REQUESTED,
                r -> socketId.equals(r.socketId()) && r.action() == MemberRequest.Action.LEAVE).value();
        assertThat(leave.meetingId()).isEqualTo(mid);
        assertThat(leave.gatewayId()).isEqualTo(gw.id);
    }

    @Test
    void shouldDropAClientThatDoesNotReadAndLeaveItsMeetings() throws Exception {
        String mid = meeting.get("meetingId");
        try (StalledClient slow = StalledClient.connect(gw)) {
            String socketId = Jsons.field(slow.readFrame(), "socketId");
            slow.sendText(Json.mapper().writeValueAsString(Map.of("type", "join", "meetingId", mid, "token", host.get("token"))));
            apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()));
            Participant you = new Participant(host.get("userId"), "Hope", Role.HOST, socketId);
            deliver(socketId, RoomEvent.joined(mid, you, List.of(you)));

            // the client reads nothing more: frames pile up in the kernel buffers, then in the 256-frame queue
            String text = "z".repeat(16_000);
            MemberRequest leave = null;
            for (int batch = 0; batch < 40 && leave == null; batch++) {
                List<GatewayDelivery> chats = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    long seq = batch * 100L + i + 1;
                    chats.add(new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(socketId),
                            RoomEvent.chat(new ChatMessage(mid, seq, "m" + seq, "u", "U", text, Instant.now()))));
                }
                apps.deliverAll(gw.id, gw.deliveryPartition(), chats);
                leave = apps.find(Topics.MEMBER_REQUESTED,
                        r -> socketId.equals(r.socketId()) && r.action() == MemberRequest.Action.LEAVE, Duration.ofMillis(500));
            }
            assertThat(leave).as("the stalled socket was dropped and left its meeting").isNotNull();
            assertThat(leave.meetingId()).isEqualTo(mid);
            assertThat(gw.managementGet("/actuator/prometheus").body())
                    .containsPattern("rendezvous_gateway_sockets_dropped_total\\{[^}]*reason=\"slow_consumer\"[^}]*} [1-9]");
        }
    }

    @Test
    void shouldLeaveAndCloseEverySocketWith1001OnShutdown() {
        RunningGateway second = RunningGateway.start("gw_ws_shutdown");
        try (WsClient ws = WsClient.connect(second)) {
            String socketId = ws.next().get("socketId").asString();
            Map<String, String> m = second.newMeeting(second.newUser("Sam").get("token"), "Closing");
            String token = second.newUser("Una").get("token");
            ws.send(Map.of("type", "join", "meetingId", m.get("meetingId"), "token", token));
            apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()));

            second.close();

            MemberRequest leave = apps.await(Topics.MEMBER_REQUESTED,
                    r -> socketId.equals(r.socketId()) && r.action() == MemberRequest.Action.LEAVE).value();
            assertThat(leave.meetingId()).isEqualTo(m.get("meetingId"));
            assertThat(ws.awaitClose(WsClient.WAIT)).isEqualTo(1001);
        } finally {
            second.close();
        }
    }

    @Test
    void shouldCarryMediaSignalingBothWays() {
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();
            String mid = meeting.get("meetingId");
            String offer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                    + "a=x-pad:" + "p".repeat(20_000) + "\r\n"; // larger than the old 16 KiB limit
            String offerFrame = Json.mapper().writeValueAsString(Map.of("type", "media-offer", "meetingId", mid, "sdp", offer,
                    "tracks", List.of(Map.of("mid", "0", "kind", "audio", "source", "microphone", "muted", false),
                            Map.of("mid", "1", "kind", "video", "source", "camera", "muted", false))));

            ws.send(offerFrame);
            JsonNode early = ws.nextError();
            assertThat(early.get("error").asString()).isEqualTo("not_joined");
            assertThat(early.get("ref").asString()).isEqualTo("publish");

            joinAndConfirm(ws, socketId, mid);
            ws.send(offerFrame);
            StreamAppsDouble.Request<SignalRequest> req = apps.await(Topics.SIGNAL_REQUESTED,
                    r -> socketId.equals(r.socketId()) && r.kind() == SignalRequest.Kind.OFFER);
            assertThat(req.key()).isEqualTo(mid);
            assertThat(req.value().gatewayId()).isEqualTo(gw.id);
            assertThat(req.value().gatewayPartition()).isEqualTo(gw.deliveryPartition());
            assertThat(req.value().participantId()).isEqualTo(host.get("userId"));
            assertThat(req.value().signal()).isEqualTo(MediaSignal.offer(MediaSignal.Pc.PUBLISH, offer, List.of(
                    new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                    new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false))));

            deliver(socketId, RoomEvent.signal(mid, "ANSWER", MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0\r\nanswer")));
            JsonNode answer = ws.next("media-answer");
            assertThat(answer.get("meetingId").asString()).isEqualTo(mid);
            assertThat(answer.get("sdp").asString()).isEqualTo("v=0\r\nanswer");

            deliver(socketId, RoomEvent.signal(mid, "OFFER", MediaSignal.offer(MediaSignal.Pc.SUBSCRIBE, "v=0\r\nsub", List.of(
                    new MediaTrack("0", "s-2", "u-2", MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false)))));
            JsonNode sub = ws.next("media-offer");
            assertThat(sub.get("sdp").asString()).isEqualTo("v=0\r\nsub");
            assertThat(sub.get("tracks").get(0).get("kind").asString()).isEqualTo("video");
            assertThat(sub.get("tracks").get(0).get("socketId").asString()).isEqualTo("s-2");

            ws.send(Map.of("type", "media-answer", "meetingId", mid, "sdp", "v=0\r\nmine"));
            assertThat(apps.await(Topics.SIGNAL_REQUESTED,
                    r -> socketId.equals(r.socketId()) && r.kind() == SignalRequest.Kind.ANSWER).value().signal())
                    .isEqualTo(MediaSignal.answer(MediaSignal.Pc.SUBSCRIBE, "v=0\r\nmine"));

            ws.send("{\"type\":\"media-state\",\"meetingId\":\"" + mid + "\",\"tracks\":[{\"mid\":\"0\",\"kind\":\"audio\","
                    + "\"source\":\"microphone\",\"muted\":true}]}");
            assertThat(apps.await(Topics.SIGNAL_REQUESTED,
                    r -> socketId.equals(r.socketId()) && r.kind() == SignalRequest.Kind.TRACK_UPDATE).value().signal().tracks())
                    .containsExactly(new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true));

            deliver(socketId, RoomEvent.activeSpeaker(mid, "s-2"));
            assertThat(ws.next("active-speaker").get("socketId").asString()).isEqualTo("s-2");
            deliver(socketId, RoomEvent.signal(mid, "ERROR", MediaSignal.error(MediaSignal.Pc.PUBLISH, "media_unavailable", "no forwarder")));
            JsonNode error = ws.nextError();
            assertThat(error.get("error").asString()).isEqualTo("media_unavailable");
            assertThat(error.get("ref").asString()).isEqualTo("publish");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Sends a frame until the gateway does not drop it for the rate limit (each attempt followed by a ping). */
    private static void sendUntilAccepted(WsClient ws, Map<String, String> frame, String ref) {
        Instant deadline = Instant.now().plus(WsClient.WAIT);
        while (true) {
            assertThat(Instant.now()).as("accepted in time").isBefore(deadline);
            ws.send(frame);
            ws.send("{\"type\":\"ping\"}");
            JsonNode first = ws.next();
            boolean dropped = "error".equals(first.get("type").asString()) && first.get("ref") != null
                    && ref.equals(first.get("ref").asString());
            if (!dropped) {
                return; // first is the ping's answer
            }
            assertThat(first.get("error").asString()).isEqualTo("rate_limited");
            ws.next(); // the ping's answer
        }
    }

    /** join, see the JOIN request, answer JOINED as stream-apps would, see the joined frame. */
    private void joinAndConfirm(WsClient ws, String socketId, String mid) {
        ws.send(Map.of("type", "join", "meetingId", mid, "token", host.get("token")));
        apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()) && r.action() == MemberRequest.Action.JOIN);
        Participant you = new Participant(host.get("userId"), "Hope", Role.HOST, socketId);
        deliver(socketId, RoomEvent.joined(mid, you, List.of(you)));
        assertThat(ws.next("joined").get("meetingId").asString()).isEqualTo(mid);
    }

    private void deliver(String socketId, RoomEvent event) {
        apps.deliver(gw.id, gw.deliveryPartition(), new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(socketId), event));
    }

    private static Map<String, String> chat(String meetingId, String clientMsgId, String text) {
        return Map.of("type", "chat", "meetingId", meetingId, "clientMsgId", clientMsgId, "text", text);
    }

    private static String forgedToken() {
        return new TokenService("some-other-secret-some-other-secret".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.systemUTC()).issueUser(UUID.randomUUID(), "Forger").token();
    }

    private static String expiredToken(String userId) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        return new TokenService(RunningGateway.SECRET, Duration.ofHours(1), past).issueUser(UUID.fromString(userId), "Old").token();
    }
}
