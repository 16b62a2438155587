package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.TestInfra;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may read a meeting's chat history (issue 9, item 5) and the tokens' issuer and audience, against a real broker
 * and PostgreSQL. The test plays the room processor: it answers {@code joined}, {@code lobby} and {@code removed} as
 * deliveries, and a background thread answers the room's {@code LIST} as the processor would (only for people in
 * the room, {@link #inRoom}).
 */
class ChatHistoryAccessIT {

    private static RunningGateway gw;
    private StreamAppsDouble apps;
    private StreamAppsDouble processor;
    private Thread listAnswers;
    private final AtomicBoolean answering = new AtomicBoolean(true);
    /** meetingId/participantId pairs the fake processor counts as in the room. */
    private final Set<String> inRoom = ConcurrentHashMap.newKeySet();
    /** participantIds that asked the room for a LIST. */
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    private Map<String, String> host;
    private Map<String, String> meeting;
    private String mid;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_history", "--rendezvous.host-actions.reply-timeout=PT5S");
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
        processor = new StreamAppsDouble();
        listAnswers = new Thread(this::answerLists, "fake-processor-list");
        listAnswers.start();
        host = gw.newUser("Hope");
        meeting = gw.newMeeting(host.get("token"), "Sync");
        mid = meeting.get("meetingId");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        answering.set(false);
        listAnswers.join(10_000);
        processor.close();
        apps.close();
    }

    @Test
    void shouldRefuseAGuestWhoHasATokenButNeverJoinedEvenWithTheLobbyOn() {
        TestInfra.sql(gw.database, "UPDATE meetings SET lobby = true WHERE id = '" + mid + "'");
        String guest = gw.guestToken(meeting.get("code"), "Gus");

        assertForbidden(history(guest));
        assertThat(history(host.get("token")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeAJoinedParticipantAtOnceAndStillAfterTheyLeftAndTheMeetingEnded() {
        Map<String, String> user = gw.newUser("Uma");
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();
            ws.send(Map.of("type", "join", "meetingId", mid, "token", user.get("token")));
            apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()));
            inRoom.add(mid + "/" + user.get("userId"));
            deliver(socketId, RoomEvent.joined(mid, new Participant(user.get("userId"), "Uma", Role.USER, socketId), List.of()));
            ws.next("joined");
            // what the page does on "joined": ask at once
            assertThat(history(user.get("token")).statusCode()).isEqualTo(200);
        }
        inRoom.clear();
        // the admission outlives the room: after the socket left and the meeting ended, the table answers alone
        awaitAdmissionRow(user.get("userId"));
        TestInfra.sql(gw.database, "UPDATE meetings SET ended_at = now() WHERE id = '" + mid + "'");
        asked.clear();
        assertThat(history(user.get("token")).statusCode()).isEqualTo(200);
        assertThat(asked).doesNotContain(user.get("userId"));
    }

    @Test
    void shouldRefuseSomeoneWaitingInTheLobbyAndServeThemOnceAdmitted() {
        TestInfra.sql(gw.database, "UPDATE meetings SET lobby = true WHERE id = '" + mid + "'");
        Map<String, String> user = gw.newUser("Lou");
        String guest = gw.guestToken(meeting.get("code"), "Gail");
        try (WsClient u = WsClient.connect(gw); WsClient g = WsClient.connect(gw)) {
            String us = u.next().get("socketId").asString();
            String gs = g.next().get("socketId").asString();
            u.send(Map.of("type", "join", "meetingId", mid, "token", user.get("token")));
            g.send(Map.of("type", "join", "meetingId", mid, "token", guest));
            MemberRequest gj = apps.await(Topics.MEMBER_REQUESTED, r -> gs.equals(r.socketId())).value();
            apps.await(Topics.MEMBER_REQUESTED, r -> us.equals(r.socketId()));
            deliver(us, RoomEvent.host(RoomEvent.Type.LOBBY, mid, HostEvent.about(user.get("userId"))));
            deliver(gs, RoomEvent.host(RoomEvent.Type.LOBBY, mid, HostEvent.about(gj.participantId())));
            u.next("lobby");
            g.next("lobby");

            assertForbidden(history(user.get("token")));
            assertForbidden(history(guest));

            // admitted: the processor answers joined
            inRoom.add(mid + "/" + gj.participantId());
            deliver(gs, RoomEvent.joined(mid, new Participant(gj.participantId(), "Gail", Role.GUEST, gs), List.of()));
            g.next("joined");
            assertThat(history(guest).statusCode()).isEqualTo(200);
            // the admission keeps the guest's name (a guest has no users row; the recordings list names files by it)
            await().atMost(Duration.ofSeconds(30)).until(() -> "Gail".equals(admittedName(gj.participantId())));
        }
    }

    @Test
    void shouldRefuseARemovedParticipantEvenThoughTheyHadJoinedAndWereInvited() {
        Map<String, String> user = gw.newUser("Rex");
        HttpResponse<String> invited = gw.post("/api/v1/meetings/" + mid + "/invites",
                "{\"email\":\"" + user.get("email") + "\"}", host.get("token"));
        assertThat(invited.statusCode()).isEqualTo(201);
        assertThat(history(user.get("token")).statusCode()).as("an invited user reads the history").isEqualTo(200);
        try (WsClient ws = WsClient.connect(gw)) {
            String socketId = ws.next().get("socketId").asString();
            ws.send(Map.of("type", "join", "meetingId", mid, "token", user.get("token")));
            apps.await(Topics.MEMBER_REQUESTED, r -> socketId.equals(r.socketId()));
            deliver(socketId, RoomEvent.joined(mid, new Participant(user.get("userId"), "Rex", Role.USER, socketId), List.of()));
            ws.next("joined");
            awaitAdmissionRow(user.get("userId"));

            deliver(socketId, RoomEvent.host(RoomEvent.Type.REMOVED, mid, HostEvent.about(user.get("userId"))));
            ws.next("removed");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertForbidden(history(user.get("token"))));
    }

    @Test
    void shouldAnswer401ToTokensOfAnotherAudienceOrIssuerOnRestAndTheSocket() throws Exception {
        String wrongAud = signed(TokenService.DEFAULT_ISSUER, "another-service", host.get("userId"));
        String wrongIss = signed("someone-else", TokenService.DEFAULT_AUDIENCE, host.get("userId"));
        String right = signed(TokenService.DEFAULT_ISSUER, TokenService.DEFAULT_AUDIENCE, host.get("userId"));
        assertThat(gw.get("/api/v1/meetings/" + mid, right).statusCode()).isEqualTo(200);
        for (String t : List.of(wrongAud, wrongIss)) {
            HttpResponse<String> r = gw.get("/api/v1/meetings/" + mid, t);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(Jsons.field(r.body(), "error")).isEqualTo("unauthorized");
            assertThat(history(t).statusCode()).isEqualTo(401);
        }
        try (WsClient ws = WsClient.connect(gw)) {
            ws.next("hello");
            ws.send(Map.of("type", "join", "meetingId", mid, "token", wrongAud));
            assertThat(ws.nextError().get("error").asString()).isEqualTo("unauthorized");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private HttpResponse<String> history(String token) {
        return gw.get("/api/v1/meetings/" + mid + "/messages", token);
    }

    private static void assertForbidden(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(Jsons.field(r.body(), "error")).isEqualTo("forbidden");
        assertThat(Jsons.field(r.body(), "message")).isNotBlank();
    }

    private void awaitAdmissionRow(String participantId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> admitted(participantId));
    }

    private boolean admitted(String participantId) throws java.sql.SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + TestInfra.stack().postgresPort() + "/" + gw.database;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, TestInfra.stack().postgresUsername(),
                TestInfra.stack().postgresPassword());
             java.sql.PreparedStatement st = c.prepareStatement("SELECT 1 FROM meeting_admissions WHERE meeting_id = ?::uuid"
                     + " AND participant_id = ? AND admitted_at IS NOT NULL AND removed_at IS NULL")) {
            st.setString(1, mid);
            st.setString(2, participantId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private String admittedName(String participantId) throws java.sql.SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + TestInfra.stack().postgresPort() + "/" + gw.database;
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, TestInfra.stack().postgresUsername(),
                TestInfra.stack().postgresPassword());
             java.sql.PreparedStatement st = c.prepareStatement("SELECT display_name FROM meeting_admissions"
                     + " WHERE meeting_id = ?::uuid AND participant_id = ?")) {
            st.setString(1, mid);
            st.setString(2, participantId);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void deliver(String socketId, RoomEvent event) {
        apps.deliver(gw.id, gw.deliveryPartition(), new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(socketId), event));
    }

    /** The processor's LIST: applied with the roster for someone in the room, forbidden for anyone else. */
    private void answerLists() {
        int seen = 0;
        while (answering.get()) {
            List<HostActionRequest> all = processor.all(Topics.HOST_REQUESTED, q -> q.action() == HostActionRequest.Action.LIST,
                    Duration.ofMillis(50));
            for (; seen < all.size(); seen++) {
                HostActionRequest q = all.get(seen);
                asked.add(q.actorParticipantId());
                boolean in = inRoom.contains(q.meetingId() + "/" + q.actorParticipantId());
                HostEvent result = in
                        ? HostEvent.result(q.requestId(), q.action(), HostEvent.Outcome.APPLIED, null, null,
                                List.of(new HostEvent.Person(q.actorParticipantId(), "someone", Role.USER, HostEvent.State.IN)))
                        : HostEvent.result(q.requestId(), q.action(), HostEvent.Outcome.FORBIDDEN, "forbidden",
                                "only people in the meeting may do this", null);
                processor.deliver(q.gatewayId(), q.gatewayPartition(), new GatewayDelivery(q.gatewayId(),
                        q.gatewayPartition(), List.of(q.replyTo()), RoomEvent.host(RoomEvent.Type.HOST_RESULT, q.meetingId(), result)));
            }
        }
    }

    private static String signed(String issuer, String audience, String userId) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).issuer(issuer).audience(audience)
                .claim("name", "Hope").claim("kind", "user")
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(RunningGateway.SECRET));
        return jwt.serialize();
    }
}
