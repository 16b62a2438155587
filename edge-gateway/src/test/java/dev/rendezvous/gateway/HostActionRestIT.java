package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.TestInfra;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.MeetingEnded;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The host-control REST calls (API.md) against a real broker and PostgreSQL: what the gateway sends to
 * {@code room.host.requested}, and how it turns the room processor's decision into a status. No stream-apps runs: the
 * test reads the request and answers it as the processor would (HOST_RESULT to the gateway's delivery partition); the
 * processor's decisions themselves are tested in stream-apps' HostActionsTopologyTest.
 */
class HostActionRestIT {

    private static RunningGateway gw;
    private StreamAppsDouble apps;
    private Map<String, String> host;
    private Map<String, String> meeting;
    private String meetingId;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_host", "--rendezvous.host-actions.reply-timeout=PT3S");
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
        meetingId = meeting.get("meetingId");
    }

    @AfterEach
    void tearDown() {
        apps.close();
    }

    @Test
    void shouldSendTheActionAsTheOwnerAndAnswer202WhenTheProcessorAppliesIt() {
        CompletableFuture<HttpResponse<String>> call = async(() -> gw.post(
                "/api/v1/meetings/" + meetingId + "/participants/u-42/mute", "{\"video\":true}", host.get("token")));
        HostActionRequest r = answer(Action.MUTE, HostEvent.Outcome.APPLIED, null);
        assertThat(r.meetingId()).isEqualTo(meetingId);
        assertThat(r.actorParticipantId()).isEqualTo(host.get("userId"));
        assertThat(r.actorOwnsMeeting()).isTrue();
        assertThat(r.actorSocketId()).isNull();
        assertThat(r.target()).isEqualTo("u-42");
        assertThat(r.mute()).isEqualTo(new HostActionRequest.Mute(false, true, true));
        assertThat(r.replyTo()).isEqualTo(HostActionRequest.restReplyTo(r.requestId()));
        assertThat(r.gatewayId()).isEqualTo(gw.id);
        assertThat(r.gatewayPartition()).isEqualTo(gw.deliveryPartition());
        assertThat(call.join().statusCode()).isEqualTo(202);
    }

    @Test
    void shouldMapTheProcessorsRefusalsTo403And404And409And400() {
        Map<String, String> other = gw.newUser("Otto");
        Object[][] cases = {
                {"remove", HostEvent.Outcome.FORBIDDEN, "forbidden", 403},
                {"admit", HostEvent.Outcome.NOT_FOUND, "participant_not_found", 404},
                {"promote", HostEvent.Outcome.CONFLICT, "already_cohost", 409},
                {"deny", HostEvent.Outcome.CONFLICT, "not_waiting", 409},
                {"demote", HostEvent.Outcome.INVALID, "invalid_request", 400},
        };
        for (Object[] c : cases) {
            CompletableFuture<HttpResponse<String>> call = async(() -> gw.post(
                    "/api/v1/meetings/" + meetingId + "/participants/p-1/" + c[0], "", other.get("token")));
            HostActionRequest r = answer(null, (HostEvent.Outcome) c[1], (String) c[2]);
            assertThat(r.actorOwnsMeeting()).as("not the meeting's creator").isFalse();
            HttpResponse<String> resp = call.join();
            assertThat(resp.statusCode()).as((String) c[0]).isEqualTo(c[3]);
            assertThat(Jsons.field(resp.body(), "error")).isEqualTo(c[2]);
            assertThat(Jsons.field(resp.body(), "message")).isNotBlank();
        }
    }

    @Test
    void shouldListParticipantsWithTheApisRoleAndStateNames() {
        CompletableFuture<HttpResponse<String>> call = async(() -> gw.get(
                "/api/v1/meetings/" + meetingId + "/participants", host.get("token")));
        HostActionRequest r = apps.await(Topics.HOST_REQUESTED, q -> q.meetingId().equals(meetingId)).value();
        assertThat(r.action()).isEqualTo(Action.LIST);
        reply(r, HostEvent.result(r.requestId(), r.action(), HostEvent.Outcome.APPLIED, null, null, List.of(
                new HostEvent.Person(host.get("userId"), "Hope", Role.HOST, HostEvent.State.IN),
                new HostEvent.Person("u-2", "Cole", Role.COHOST, HostEvent.State.IN),
                new HostEvent.Person("u-3", "Pat", Role.USER, HostEvent.State.IN),
                new HostEvent.Person("guest:9", "Gus", Role.GUEST, HostEvent.State.LOBBY))));
        HttpResponse<String> resp = call.join();
        assertThat(resp.statusCode()).isEqualTo(200);
        JsonNode list = Jsons.tree(resp.body());
        assertThat(list.size()).isEqualTo(4);
        assertThat(list.get(0).get("participantId").asString()).isEqualTo(host.get("userId"));
        assertThat(list.get(0).get("displayName").asString()).isEqualTo("Hope");
        assertThat(List.of(list.get(0).get("role").asString(), list.get(1).get("role").asString(),
                list.get(2).get("role").asString(), list.get(3).get("role").asString()))
                .containsExactly("host", "cohost", "participant", "guest");
        assertThat(list.get(3).get("state").asString()).isEqualTo("lobby");
        assertThat(list.get(0).get("state").asString()).isEqualTo("in");
    }

    @Test
    void shouldAnswer401And404And403BeforeAskingTheProcessor() {
        assertError(gw.post("/api/v1/meetings/" + meetingId + "/end", "", null), 401, "unauthorized");
        assertError(gw.get("/api/v1/meetings/" + meetingId + "/participants", "not-a-token"), 401, "unauthorized");
        assertError(gw.post("/api/v1/meetings/" + UUID.randomUUID() + "/end", "", host.get("token")), 404, "meeting_not_found");
        assertError(gw.post("/api/v1/meetings/not-a-uuid/participants/x/remove", "", host.get("token")), 404, "meeting_not_found");
        assertError(gw.post("/api/v1/meetings/" + meetingId + "/participants/x/explode", "", host.get("token")), 404, "unknown_action");
        Map<String, String> elsewhere = gw.newMeeting(host.get("token"), "Elsewhere");
        String guestOfOther = gw.guestToken(elsewhere.get("code"), "Gus");
        assertError(gw.post("/api/v1/meetings/" + meetingId + "/participants/x/remove", "", guestOfOther), 403, "forbidden");
        assertThat(apps.find(Topics.HOST_REQUESTED, q -> q.meetingId().equals(meetingId), Duration.ofMillis(500)))
                .as("nothing was sent to the processor").isNull();
    }

    @Test
    void shouldAnswer503WhenTheProcessorDoesNotAnswerInTime() {
        HttpResponse<String> resp = gw.post("/api/v1/meetings/" + meetingId + "/participants/x/remove", "", host.get("token"));
        assertError(resp, 503, "unavailable");
        assertThat(apps.await(Topics.HOST_REQUESTED, q -> q.meetingId().equals(meetingId)))
                .as("the request was sent").isNotNull();
    }

    @Test
    void shouldEndWith202AndStoreEndedAtFromRoomMeetingEndedOnceSoThatJoinsAreRefused() {
        CompletableFuture<HttpResponse<String>> call = async(() -> gw.post(
                "/api/v1/meetings/" + meetingId + "/end", "", host.get("token")));
        HostActionRequest r = answer(Action.END, HostEvent.Outcome.APPLIED, null);
        assertThat(call.join().statusCode()).isEqualTo(202);

        Instant endedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        apps.publish(Topics.MEETING_ENDED, meetingId, new MeetingEnded(meetingId, endedAt, host.get("userId"), r.requestId()));
        String stored = pollUntil(() -> Jsons.field(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body(), "endedAt"));
        assertThat(Instant.parse(stored)).isEqualTo(endedAt);

        // a replay (or a second end) changes nothing
        apps.publish(Topics.MEETING_ENDED, meetingId, new MeetingEnded(meetingId, endedAt.plusSeconds(60), "x", "again"));
        String marker = UUID.randomUUID().toString();
        Map<String, String> m2 = gw.newMeeting(host.get("token"), "Marker " + marker);
        Instant end2 = endedAt.plusSeconds(1);
        apps.publish(Topics.MEETING_ENDED, m2.get("meetingId"), new MeetingEnded(m2.get("meetingId"), end2, "x", "m2"));
        pollUntil(() -> Jsons.field(gw.get("/api/v1/meetings/" + m2.get("meetingId"), host.get("token")).body(), "endedAt"));
        assertThat(Instant.parse(Jsons.field(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body(), "endedAt")))
                .isEqualTo(endedAt);

        try (WsClient ws = WsClient.connect(gw)) {
            ws.next();
            ws.send(Map.of("type", "join", "meetingId", meetingId, "token", host.get("token")));
            JsonNode e = ws.next();
            assertThat(e.get("type").asString()).isEqualTo("error");
            assertThat(e.get("error").asString()).isEqualTo("meeting_ended");
        }

        // once the end is stored, the creator's actions are answered from it (the room processor may have forgotten
        // the room): ending again is not an error, a lock is refused, and neither reaches the room
        assertThat(gw.post("/api/v1/meetings/" + meetingId + "/end", "", host.get("token")).statusCode()).isEqualTo(202);
        assertError(gw.post("/api/v1/meetings/" + meetingId + "/participants/x/remove", "", host.get("token")),
                409, "meeting_ended");
        assertError(patch("{\"title\":\"After\",\"locked\":true}", host.get("token")), 409, "meeting_ended");
        assertThat(Jsons.field(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body(), "title"))
                .as("a refused lock saves nothing").isEqualTo("Sync");
        CompletableFuture<HttpResponse<String>> list = async(() -> gw.get("/api/v1/meetings/" + meetingId + "/participants",
                host.get("token")));
        HostActionRequest seen = next(null);
        assertThat(seen.action()).as("the next request the room sees is the LIST (same key, in order)")
                .isEqualTo(Action.LIST);
        reply(seen, HostEvent.result(seen.requestId(), seen.action(), HostEvent.Outcome.APPLIED, null, null, List.of()));
        assertThat(list.join().statusCode()).isEqualTo(200);
    }

    @Test
    void shouldLetACoHostTheRoomListsInviteAndRefuseAParticipantItListsAsUser() {
        Map<String, String> cole = gw.newUser("Cole");
        Map<String, String> pat = gw.newUser("Pat");
        Map<String, String> ivy = gw.newUser("Ivy");
        List<dev.rendezvous.gateway.support.WsClient> sockets = new java.util.ArrayList<>();
        for (Map<String, String> u : List.of(cole, pat)) {   // both joined the meeting (so the gateway asks the room)
            dev.rendezvous.gateway.support.WsClient ws = dev.rendezvous.gateway.support.WsClient.connect(gw);
            sockets.add(ws);
            ws.send(Map.of("type", "join", "meetingId", meetingId, "token", u.get("token")));
            apps.await(Topics.MEMBER_REQUESTED, q -> u.get("userId").equals(q.participantId()));
        }
        Object[][] cases = {{cole, Role.COHOST, 201}, {pat, Role.USER, 403}};
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked") Map<String, String> who = (Map<String, String>) c[0];
            CompletableFuture<HttpResponse<String>> call = async(() -> gw.post("/api/v1/meetings/" + meetingId + "/invites",
                    "{\"email\":\"" + ivy.get("email") + "\"}", who.get("token")));
            HostActionRequest r = apps.await(Topics.HOST_REQUESTED,
                    q -> q.meetingId().equals(meetingId) && !answered.contains(q.requestId())).value();
            answered.add(r.requestId());
            assertThat(r.action()).isEqualTo(Action.LIST);
            reply(r, HostEvent.result(r.requestId(), r.action(), HostEvent.Outcome.APPLIED, null, null, List.of(
                    new HostEvent.Person(host.get("userId"), "Hope", Role.HOST, HostEvent.State.IN),
                    new HostEvent.Person(who.get("userId"), "X", (Role) c[1], HostEvent.State.IN))));
            assertThat(call.join().statusCode()).as(c[1].toString()).isEqualTo(c[2]);
        }
        sockets.forEach(dev.rendezvous.gateway.support.WsClient::close);
    }

    @Test
    void shouldPatchSettingsAsTheHostAndLockTheRoomThroughTheProcessor() {
        HttpResponse<String> r = patch("{\"title\":\"Sync v2\",\"lobby\":true,\"maxParticipants\":12,"
                + "\"allowGuests\":false}", host.get("token"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Jsons.field(r.body(), "title")).isEqualTo("Sync v2");
        HttpResponse<String> read = gw.get("/api/v1/meetings/" + meetingId, host.get("token"));
        assertThat(read.body()).contains("\"lobby\":true", "\"maxParticipants\":12", "\"allowGuests\":false",
                "\"title\":\"Sync v2\"");
        // guests are refused a token from now on
        assertError(gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/api/v1/meetings/" + meeting.get("code") + "/guest"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Gus\"}")).build()),
                403, "guests_not_allowed");
        // clearing the cap; an absent field stays
        assertThat(patch("{\"maxParticipants\":null}", host.get("token")).body()).doesNotContain("maxParticipants")
                .contains("\"lobby\":true");
        String later = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(patch("{\"startsAt\":\"" + later + "\"}", host.get("token")).body()).contains("\"startsAt\"");
        assertThat(patch("{\"startsAt\":null}", host.get("token")).body()).as("null clears it").doesNotContain("startsAt")
                .contains("\"title\":\"Sync v2\"");

        CompletableFuture<HttpResponse<String>> lock = async(() -> patch("{\"locked\":true}", host.get("token")));
        HostActionRequest req = answer(Action.LOCK, HostEvent.Outcome.APPLIED, null);
        assertThat(req.actorOwnsMeeting()).isTrue();
        HttpResponse<String> locked = lock.join();
        assertThat(locked.statusCode()).isEqualTo(200);
        assertThat(locked.body()).as("the answer shows the lock as decided").contains("\"locked\":true", "\"title\":\"Sync v2\"");
        assertThat(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body())
                .as("GET shows the stored meeting; the lock lives in the running room").doesNotContain("locked");

        // a lock the room refuses leaves the other fields of the same PATCH unsaved (it is asked first)
        CompletableFuture<HttpResponse<String>> late = async(() -> patch("{\"title\":\"Never\",\"locked\":true}",
                host.get("token")));
        answer(Action.LOCK, HostEvent.Outcome.CONFLICT, "meeting_ended");
        assertError(late.join(), 409, "meeting_ended");
        assertThat(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body()).contains("\"title\":\"Sync v2\"");
    }

    @Test
    void shouldKeepAChangeOfAnotherFieldMadeWhileAPatchAwaitsItsLock() {
        CompletableFuture<HttpResponse<String>> first = async(() -> patch("{\"lobby\":true,\"locked\":true}",
                host.get("token")));
        HostActionRequest lock = next(Action.LOCK); // the first PATCH has read the meeting and waits for the room
        HttpResponse<String> second = patch("{\"title\":\"Renamed meanwhile\"}", host.get("token"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        reply(lock, HostEvent.result(lock.requestId(), lock.action(), HostEvent.Outcome.APPLIED, null, null, null));

        HttpResponse<String> r = first.join();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).as("the first PATCH writes its own field only").contains("\"title\":\"Renamed meanwhile\"",
                "\"lobby\":true", "\"locked\":true");
        assertThat(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body())
                .contains("\"title\":\"Renamed meanwhile\"", "\"lobby\":true");
    }

    @Test
    void shouldRefusePatchesFromOthersAndBadFieldsWithClearErrors() {
        Map<String, String> other = gw.newUser("Otto");
        assertError(patch("{\"title\":\"Mine\"}", other.get("token")), 403, "forbidden");
        assertError(patch("{\"title\":\"Mine\"}", null), 401, "unauthorized");
        assertError(patch("{}", host.get("token")), 400, "invalid_request");
        assertError(patch("{\"colour\":\"red\"}", host.get("token")), 400, "invalid_request");
        assertError(patch("{\"lobby\":\"yes\"}", host.get("token")), 400, "invalid_request");
        assertError(patch("{\"maxParticipants\":1}", host.get("token")), 400, "invalid_request");
        assertError(patch("{\"startsAt\":\"tomorrow\"}", host.get("token")), 400, "invalid_request");
        assertError(gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/api/v1/meetings/" + java.util.UUID.randomUUID()))
                .header("Authorization", "Bearer " + host.get("token")).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"lobby\":true}")).build()),
                404, "meeting_not_found");
        assertThat(gw.get("/api/v1/meetings/" + meetingId, host.get("token")).body()).contains("\"title\":\"Sync\"");
    }

    private HttpResponse<String> patch(String json, String token) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(gw.uri("/api/v1/meetings/" + meetingId))
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return gw.send(b.build());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** Waits for the next request of this meeting (checking its action if given) and answers it. */
    private HostActionRequest answer(Action expected, HostEvent.Outcome outcome, String error) {
        HostActionRequest r = next(expected);
        reply(r, HostEvent.result(r.requestId(), r.action(), outcome, error,
                error == null ? null : "refused: " + error, null));
        return r;
    }

    /** Waits for the next request of this meeting not seen before (checking its action if given). */
    private HostActionRequest next(Action expected) {
        HostActionRequest r = apps.await(Topics.HOST_REQUESTED,
                q -> q.meetingId().equals(meetingId) && !answered.contains(q.requestId())).value();
        answered.add(r.requestId());
        if (expected != null) {
            assertThat(r.action()).isEqualTo(expected);
        }
        return r;
    }

    private final java.util.Set<String> answered = new java.util.HashSet<>();

    private void reply(HostActionRequest r, HostEvent result) {
        apps.deliver(r.gatewayId(), r.gatewayPartition(), new GatewayDelivery(r.gatewayId(), r.gatewayPartition(),
                List.of(r.replyTo()), RoomEvent.host(RoomEvent.Type.HOST_RESULT, r.meetingId(), result)));
    }

    private static <T> CompletableFuture<T> async(Supplier<T> s) {
        return CompletableFuture.supplyAsync(s);
    }

    private static String pollUntil(Supplier<String> value) {
        Instant deadline = Instant.now().plus(WsClient.WAIT);
        while (Instant.now().isBefore(deadline)) {
            String v = value.get();
            if (v != null) {
                return v;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);   // poll interval, not a synchronisation
        }
        throw new AssertionError("no value within " + WsClient.WAIT);
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(Jsons.field(r.body(), "error")).isEqualTo(code);
    }
}
