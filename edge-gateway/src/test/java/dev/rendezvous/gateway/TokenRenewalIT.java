package dev.rendezvous.gateway;

import static dev.rendezvous.gateway.GatewayRestIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.MemberRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A token in use in a meeting is renewed over its socket while its bearer stays: with 6-s tokens and a re-check every
 * second, a joined socket gets {@code token} frames (same person and session, a later expiry), the renewed token
 * works for the API and is renewed by {@code POST /api/v1/auth/refresh} too, and a logout with a renewed token puts
 * the socket out and ends every token of the session, the first one too; however the path is spelt, a revoked token is
 * not renewed. One gateway, the shared state in process, a real broker and PostgreSQL.
 */
class TokenRenewalIT {

    private static final String DB = "gw_token_renewal";
    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start(DB, "--rendezvous.auth.token-ttl=PT6S",
                "--rendezvous.gateway.presence.identity-recheck=PT1S");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aTokenInUseIsRenewedOverItsSocketAndALogoutEndsTheWholeSession() {
        Map<String, String> host = gw.newUser("Host");
        String mid = gw.newMeeting(host.get("token"), "Long meeting").get("meetingId");
        Map<String, String> ann = gw.newUser("Ann");
        String first = ann.get("token");
        try (StreamAppsDouble apps = new StreamAppsDouble(); WsClient ws = WsClient.connect(gw)) {
            String socketId = apps.admit(gw, ws, mid, first);

            // less than half of its 6 s left: renewed, and renewed again while the socket stays
            JsonNode renewal = ws.next("token");
            String second = renewal.get("token").asString();
            assertThat(renewal.get("meetingId").asString()).isEqualTo(mid);
            JsonNode firstClaims = payload(first);
            JsonNode secondClaims = payload(second);
            assertThat(secondClaims.get("sub").asString()).isEqualTo(ann.get("userId"));
            assertThat(secondClaims.get("jti").asString()).isNotEqualTo(firstClaims.get("jti").asString());
            assertThat(secondClaims.get("sid").asString()).isEqualTo(firstClaims.get("jti").asString());
            assertThat(secondClaims.get("exp").asLong()).isGreaterThan(firstClaims.get("exp").asLong());
            assertThat(Instant.parse(renewal.get("expiresAt").asString()).getEpochSecond())
                    .isEqualTo(secondClaims.get("exp").asLong());
            assertThat(gw.get("/api/v1/me", second).statusCode()).isEqualTo(200);
            String third = ws.next("token").get("token").asString();
            assertThat(payload(third).get("sid").asString()).isEqualTo(firstClaims.get("jti").asString());
            assertThat(gw.counted("rendezvous_gateway_tokens_renewed_total", null)).isGreaterThanOrEqualTo(2.0);

            // the home page renews its stored token by REST the same way: same person and session
            HttpResponse<String> refreshed = gw.post("/api/v1/auth/refresh", "", second);
            assertThat(refreshed.statusCode()).isEqualTo(200);
            String byRest = Jsons.field(refreshed.body(), "token");
            assertThat(payload(byRest).get("sid").asString()).isEqualTo(firstClaims.get("jti").asString());
            assertThat(payload(byRest).get("sub").asString()).isEqualTo(ann.get("userId"));
            assertThat(Instant.parse(Jsons.field(refreshed.body(), "expiresAt")).getEpochSecond())
                    .isEqualTo(payload(byRest).get("exp").asLong());
            assertError(gw.post("/api/v1/auth/refresh", "", null), 401, "unauthorized");

            // a logout with a renewed token ends the whole session, the first token too, and the membership at once
            assertThat(gw.post("/api/v1/auth/logout", "", second).statusCode()).isEqualTo(204);
            JsonNode error = ws.next("error");
            assertThat(error.get("error").asString()).isEqualTo("unauthorized");
            assertThat(error.get("meetingId").asString()).isEqualTo(mid);
            assertThat(apps.await(Topics.MEMBER_REQUESTED,
                    r -> r.action() == MemberRequest.Action.LEAVE && socketId.equals(r.socketId())).value().meetingId())
                    .isEqualTo(mid);
            for (String t : List.of(first, second, third, byRest)) {
                HttpResponse<String> refused = gw.get("/api/v1/me", t);
                assertError(refused, 401, "unauthorized");
                assertThat(refused.body()).as("revoked, not expired").contains("revoked");
            }
            // nor can it be renewed, whatever the path's spelling
            for (String path : List.of("/api/v1/auth/refresh", "/api;x=1/v1/auth/refresh", "//api/v1/auth/refresh")) {
                HttpResponse<String> refused = gw.post(path, "", third);
                assertThat(refused.statusCode()).as(path).isIn(401, 404);
                assertThat(refused.body()).as(path).doesNotContain("\"token\"");
            }
            assertThat(gw.post("/api;x=1/v1/auth/refresh", "", third).body()).contains("revoked");
            // another login of the same person is another session
            String again = Jsons.tree(gw.post("/api/v1/auth/login", "{\"email\":\"" + ann.get("email")
                    + "\",\"password\":\"password-123\"}", null).body()).get("token").asString();
            assertThat(gw.get("/api/v1/me", again).statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode payload(String jwt) {
        return Jsons.tree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
