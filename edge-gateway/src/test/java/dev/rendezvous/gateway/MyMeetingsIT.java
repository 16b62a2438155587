package dev.rendezvous.gateway;

import static dev.rendezvous.gateway.GatewayRestIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.TestInfra;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The home page's REST against a real PostgreSQL: {@code GET /api/v1/me/meetings} (hosted and invited, order,
 * bound), {@code POST /api/v1/meetings/{id}/invites}, and the meeting settings {@code POST /api/v1/meetings} takes.
 */
class MyMeetingsIT {

    private static final String DB = "gw_my_meetings";
    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start(DB);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    // ---- GET /api/v1/me/meetings ---------------------------------------------------------------------------------

    @Test
    void shouldListTheMeetingsAUserHostsAndIsInvitedToWithRoleAndJoinUrl() {
        Map<String, String> hana = gw.newUser("Hana");
        Map<String, String> ivan = gw.newUser("Ivan");
        Map<String, String> own = gw.newMeeting(hana.get("token"), "Hana's own");
        Map<String, String> ivans = gw.newMeeting(ivan.get("token"), "Ivan's review");
        assertThat(invite(ivan.get("token"), ivans.get("meetingId"), hana.get("email")).statusCode()).isEqualTo(201);

        List<JsonNode> list = myMeetings(hana.get("token"));
        assertThat(list).extracting(n -> n.get("meetingId").asString())
                .containsExactlyInAnyOrder(own.get("meetingId"), ivans.get("meetingId"));
        JsonNode hosted = byId(list, own.get("meetingId"));
        assertThat(hosted.get("role").asString()).isEqualTo("host");
        assertThat(hosted.get("code").asString()).isEqualTo(own.get("code"));
        assertThat(hosted.get("title").asString()).isEqualTo("Hana's own");
        assertThat(hosted.get("joinUrl").asString()).isEqualTo(own.get("joinUrl"))
                .isEqualTo("http://localhost:" + gw.port + "/j/" + own.get("code"));
        assertThat(hosted.get("scheduled").asBoolean()).isFalse();
        assertThat(hosted.get("past").asBoolean()).isFalse();
        // an unscheduled meeting starts when it was made
        assertThat(hosted.get("startsAt").asString()).isEqualTo(hosted.get("createdAt").asString());
        JsonNode invited = byId(list, ivans.get("meetingId"));
        assertThat(invited.get("role").asString()).isEqualTo("invited");
        assertThat(invited.get("hostName").asString()).isEqualTo("Ivan");
        assertThat(invited.get("joinUrl").asString()).isEqualTo(ivans.get("joinUrl"));

        // the host sees it once, as host; the invitation is not theirs
        assertThat(myMeetings(ivan.get("token"))).extracting(n -> n.get("meetingId").asString() + "/" + n.get("role").asString())
                .containsExactly(ivans.get("meetingId") + "/host");
    }

    @Test
    void shouldNotListOtherUsersMeetings() {
        Map<String, String> a = gw.newUser("Ann");
        Map<String, String> b = gw.newUser("Ben");
        Map<String, String> c = gw.newUser("Cid");
        gw.newMeeting(a.get("token"), "Ann's");
        Map<String, String> bens = gw.newMeeting(b.get("token"), "Ben's");
        invite(b.get("token"), bens.get("meetingId"), c.get("email"));

        assertThat(myMeetings(a.get("token"))).extracting(n -> n.get("title").asString()).containsExactly("Ann's");
        assertThat(myMeetings(c.get("token"))).extracting(n -> n.get("title").asString()).containsExactly("Ben's");
        assertThat(myMeetings(gw.newUser("Dee").get("token"))).isEmpty();
    }

    @Test
    void shouldRefuseTheListWithoutAUserTokenWith401() {
        assertError(gw.get("/api/v1/me/meetings", null), 401, "unauthorized");
        assertError(gw.get("/api/v1/me/meetings", "not-a-jwt"), 401, "unauthorized");
        Map<String, String> host = gw.newUser("Gia");
        String guest = gw.guestToken(gw.newMeeting(host.get("token"), "G").get("code"), "Guest");
        assertError(gw.get("/api/v1/me/meetings", guest), 401, "unauthorized");
    }

    @Test
    void shouldListUpcomingSoonestFirstThenPastLatestFirst() {
        Map<String, String> u = gw.newUser("Ola");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String inThreeHours = scheduled(u, "in 3 h", now.plus(Duration.ofHours(3)));
        String inOneHour = scheduled(u, "in 1 h", now.plus(Duration.ofHours(1)));
        String adHoc = gw.newMeeting(u.get("token"), "now").get("meetingId");
        String endedLater = scheduled(u, "ended", now.plus(Duration.ofHours(2)));
        String twentyHoursAgo = scheduled(u, "20 h ago", now.plus(Duration.ofHours(4)));
        String twoDaysAgo = scheduled(u, "2 d ago", now.plus(Duration.ofHours(5)));
        // the API refuses starts in the past; play time forward in the table instead
        TestInfra.sql(DB,
                "UPDATE meetings SET ended_at = now() WHERE id = '" + endedLater + "'",
                "UPDATE meetings SET starts_at = now() - interval '20 hours' WHERE id = '" + twentyHoursAgo + "'",
                "UPDATE meetings SET starts_at = now() - interval '2 days' WHERE id = '" + twoDaysAgo + "'");

        List<JsonNode> list = myMeetings(u.get("token"));
        assertThat(list).extracting(n -> n.get("title").asString())
                .containsExactly("now", "in 1 h", "in 3 h", "ended", "20 h ago", "2 d ago");
        assertThat(list).extracting(n -> n.get("past").asBoolean()).containsExactly(false, false, false, true, true, true);
        assertThat(list).extracting(n -> n.get("meetingId").asString())
                .containsExactly(adHoc, inOneHour, inThreeHours, endedLater, twentyHoursAgo, twoDaysAgo);
        JsonNode ended = list.get(3);
        assertThat(ended.hasNonNull("endedAt")).isTrue();
        assertThat(Instant.parse(ended.get("startsAt").asString())).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(ended.get("scheduled").asBoolean()).isTrue();
    }

    @Test
    void shouldBoundTheListToTheUpcomingAndTheNewestPastMeetings() {
        Map<String, String> u = gw.newUser("Max");
        String upcoming = scheduled(u, "next week", Instant.now().plus(Duration.ofDays(7)));
        // 205 old meetings straight into the table (the API would take a while)
        TestInfra.sql(DB, """
                INSERT INTO meetings (id, code, title, host_id, created_at)
                SELECT gen_random_uuid(), 'old-' || lpad(i::text, 4, '0') || '-zzz', 'old ' || i, '%s',
                       now() - interval '1 day' * i
                  FROM generate_series(1, 205) AS i""".formatted(u.get("userId")));

        List<JsonNode> list = myMeetings(u.get("token"));
        assertThat(list).hasSize(200);
        assertThat(list.get(0).get("meetingId").asString()).isEqualTo(upcoming);
        assertThat(list.get(1).get("title").asString()).isEqualTo("old 1");
        assertThat(list.get(199).get("title").asString()).isEqualTo("old 199");

        HttpResponse<String> two = gw.get("/api/v1/me/meetings?limit=2", u.get("token"));
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(Jsons.tree(two.body()).size()).isEqualTo(2);
        assertThat(Jsons.tree(gw.get("/api/v1/me/meetings?limit=100000", u.get("token")).body()).size()).isEqualTo(200);
        assertError(gw.get("/api/v1/me/meetings?limit=0", u.get("token")), 400, "invalid_request");
        assertError(gw.get("/api/v1/me/meetings?limit=lots", u.get("token")), 400, "invalid_request");
    }

    // ---- POST /api/v1/meetings settings ----------------------------------------------------------------------------

    @Test
    void shouldStoreAMeetingsScheduleAndSettings() {
        Map<String, String> u = gw.newUser("Sol");
        Instant at = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        HttpResponse<String> r = gw.post("/api/v1/meetings", """
                {"title":"Planning","startsAt":"%s","lobby":true,"muteOnEntry":true,"allowGuests":false,"maxParticipants":12}"""
                .formatted(at), u.get("token"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = Jsons.field(r.body(), "meetingId");

        JsonNode m = Jsons.tree(gw.get("/api/v1/meetings/" + id, u.get("token")).body());
        assertThat(Instant.parse(m.get("startsAt").asString())).isEqualTo(at);
        assertThat(m.get("lobby").asBoolean()).isTrue();
        assertThat(m.get("muteOnEntry").asBoolean()).isTrue();
        assertThat(m.get("allowGuests").asBoolean()).isFalse();
        assertThat(m.get("maxParticipants").asInt()).isEqualTo(12);

        JsonNode listed = byId(myMeetings(u.get("token")), id);
        assertThat(Instant.parse(listed.get("startsAt").asString())).isEqualTo(at);
        assertThat(listed.get("scheduled").asBoolean()).isTrue();
        assertThat(listed.get("maxParticipants").asInt()).isEqualTo(12);

        // defaults: not scheduled, no lobby, not muted, guests allowed, no cap of its own
        JsonNode d = Jsons.tree(gw.get("/api/v1/meetings/" + gw.newMeeting(u.get("token"), "Plain").get("meetingId"),
                u.get("token")).body());
        assertThat(d.has("startsAt")).isFalse();
        assertThat(d.get("lobby").asBoolean()).isFalse();
        assertThat(d.get("muteOnEntry").asBoolean()).isFalse();
        assertThat(d.get("allowGuests").asBoolean()).isTrue();
        assertThat(d.has("maxParticipants")).isFalse();
    }

    @Test
    void shouldRefuseBadMeetingSettingsWith400() {
        String t = gw.newUser("Val").get("token");
        for (String body : List.of(
                "{\"title\":\"x\",\"startsAt\":\"tomorrow at ten\"}",
                "{\"title\":\"x\",\"startsAt\":\"2030-01-01T10:00\"}",
                "{\"title\":\"x\",\"startsAt\":\"" + Instant.now().minus(Duration.ofDays(1)) + "\"}",
                "{\"title\":\"x\",\"startsAt\":\"" + Instant.now().plus(Duration.ofDays(6 * 366)) + "\"}",
                "{\"title\":\"x\",\"maxParticipants\":1}",
                "{\"title\":\"x\",\"maxParticipants\":100000}",
                "{\"title\":\"evil\\u202Egnp.exe\"}")) {
            HttpResponse<String> r = gw.post("/api/v1/meetings", body, t);
            assertError(r, 400, "invalid_request");
            assertThat(Jsons.field(r.body(), "message")).as(body).containsAnyOf("startsAt", "maxParticipants", "title");
        }
        assertError(gw.post("/api/v1/meetings", "{\"title\":\"x\",\"muteOnEntry\":\"perhaps\"}", t), 400, "malformed_json");
        assertThat(myMeetings(t)).isEmpty();
    }

    // ---- POST /api/v1/meetings/{id}/invites -----------------------------------------------------------------------

    @Test
    void shouldLetTheHostInviteARegisteredUserOnceAndShowThemTheMeetingAndItsHistory() {
        Map<String, String> host = gw.newUser("Hal");
        Map<String, String> guestUser = gw.newUser("Ira");
        Map<String, String> m = gw.newMeeting(host.get("token"), "Invite only");
        String id = m.get("meetingId");
        assertError(gw.get("/api/v1/meetings/" + id, guestUser.get("token")), 403, "forbidden");

        HttpResponse<String> r = invite(host.get("token"), id, guestUser.get("email").toUpperCase());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(Jsons.field(r.body(), "displayName")).isEqualTo("Ira");
        assertThat(invite(host.get("token"), id, guestUser.get("email")).statusCode()).isEqualTo(201);

        assertThat(myMeetings(guestUser.get("token"))).extracting(n -> n.get("meetingId").asString()).containsExactly(id);
        assertThat(gw.get("/api/v1/meetings/" + id, guestUser.get("token")).statusCode()).isEqualTo(200);
        // an invited person is admitted: they read the chat history too (issue 9)
        assertThat(gw.get("/api/v1/meetings/" + id + "/messages", guestUser.get("token")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseInvitesFromAnyoneButTheHostAndToUnknownPeople() {
        Map<String, String> host = gw.newUser("Kai");
        Map<String, String> other = gw.newUser("Lea");
        Map<String, String> m = gw.newMeeting(host.get("token"), "Kai's");
        String id = m.get("meetingId");
        String guest = gw.guestToken(m.get("code"), "Guest");
        invite(host.get("token"), id, other.get("email"));

        assertError(invite(null, id, other.get("email")), 401, "unauthorized");
        assertError(invite(other.get("token"), id, host.get("email")), 403, "forbidden");       // invited, not host
        assertError(invite(gw.newUser("Stranger").get("token"), id, other.get("email")), 403, "forbidden");
        assertError(invite(guest, id, other.get("email")), 403, "forbidden");
        assertError(invite(host.get("token"), UUID.randomUUID().toString(), other.get("email")), 404, "meeting_not_found");
        assertError(invite(host.get("token"), "not-a-uuid", other.get("email")), 404, "meeting_not_found");
        assertError(invite(host.get("token"), id, "nobody-" + UUID.randomUUID() + "@example.com"), 404, "user_not_found");
        assertError(invite(host.get("token"), id, "not an email"), 400, "invalid_request");
        assertError(invite(host.get("token"), id, host.get("email")), 400, "invalid_request");
        assertError(gw.post("/api/v1/meetings/" + id + "/invites", "{}", host.get("token")), 400, "invalid_request");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static String scheduled(Map<String, String> user, String title, Instant startsAt) {
        HttpResponse<String> r = gw.post("/api/v1/meetings",
                "{\"title\":\"" + title + "\",\"startsAt\":\"" + startsAt + "\"}", user.get("token"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Jsons.field(r.body(), "meetingId");
    }

    private static HttpResponse<String> invite(String token, String meetingId, String email) {
        return gw.post("/api/v1/meetings/" + meetingId + "/invites", "{\"email\":\"" + email + "\"}", token);
    }

    private static List<JsonNode> myMeetings(String token) {
        HttpResponse<String> r = gw.get("/api/v1/me/meetings", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        List<JsonNode> list = new ArrayList<>();
        Jsons.tree(r.body()).forEach(list::add);
        return list;
    }

    private static JsonNode byId(List<JsonNode> list, String meetingId) {
        return list.stream().filter(n -> n.get("meetingId").asString().equals(meetingId)).findFirst()
                .orElseThrow(() -> new AssertionError(meetingId + " not in " + list));
    }
}
