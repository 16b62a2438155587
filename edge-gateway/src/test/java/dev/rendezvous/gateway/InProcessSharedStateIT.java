package dev.rendezvous.gateway;

import static dev.rendezvous.gateway.GatewayRestIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.gateway.support.TestInfra;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One gateway without Aerospike (the shared state in process): logout, deleted users and the per-address limits
 * work the same as with the shared store, for that gateway; a logout on the gateway that holds the token's socket
 * puts it out of its meeting at once, without waiting for the periodic re-check.
 */
class InProcessSharedStateIT {

    private static final String DB = "gw_in_process_state";
    private static final String REFUSED = "rendezvous_gateway_handshakes_refused_total";
    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start(DB, "--rendezvous.limits.guest-tokens=2", "--rendezvous.limits.guest-token-window=PT5H",
                "--rendezvous.limits.code-lookups=3", "--rendezvous.limits.code-lookup-window=PT5H",
                // no periodic re-check during the test: a logout here must put its token out of its meetings by itself
                "--rendezvous.gateway.presence.identity-recheck=PT1H");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aLoggedOutTokenIsRefusedByTheApiAndTheSocket() {
        Map<String, String> u = gw.newUser("Ann");
        assertThat(gw.get("/api/v1/me", u.get("token")).statusCode()).isEqualTo(200);
        assertThat(gw.post("/api/v1/auth/logout", "", u.get("token")).statusCode()).isEqualTo(204);
        double refusedBefore = gw.counted(REFUSED, "revoked");

        assertError(gw.get("/api/v1/me", u.get("token")), 401, "unauthorized");
        HttpResponse<String> socket = gw.get("/ws?token=" + u.get("token"), null);
        assertError(socket, 401, "unauthorized");
        assertThat(socket.body()).contains("revoked");
        assertThat(gw.counted(REFUSED, "revoked") - refusedBefore).as("the handshake counted; the API call is no handshake")
                .isEqualTo(1.0);
        assertError(gw.post("/api/v1/auth/logout", "", null), 401, "unauthorized");
    }

    @Test
    void aLogoutPutsTheTokensSocketOutOfItsMeetingAtOnceOnThisGateway() {
        Map<String, String> host = gw.newUser("Host");
        Map<String, String> m = gw.newMeeting(host.get("token"), "Signed out");
        String mid = m.get("meetingId");
        Map<String, String> ann = gw.newUser("Ann");
        try (StreamAppsDouble apps = new StreamAppsDouble(); WsClient ws = WsClient.connect(gw)) {
            String socketId = apps.admit(gw, ws, mid, ann.get("token"));

            assertThat(gw.post("/api/v1/auth/logout", "", ann.get("token")).statusCode()).isEqualTo(204);

            JsonNode error = ws.nextError();
            assertThat(error.get("error").asString()).isEqualTo("unauthorized");
            assertThat(error.get("meetingId").asString()).isEqualTo(mid);
            assertThat(apps.await(Topics.MEMBER_REQUESTED,
                    r -> r.action() == MemberRequest.Action.LEAVE && socketId.equals(r.socketId())).value().meetingId())
                    .isEqualTo(mid);
            assertThat(ws.isOpen()).as("the socket itself stays open").isTrue();
        }
    }

    @Test
    void aDeletedUsersTokenOpensNoSocket() {
        Map<String, String> u = gw.newUser("Bo");
        TestInfra.sql(DB, "DELETE FROM users WHERE id = '" + u.get("userId") + "'");
        double refusedBefore = gw.counted(REFUSED, "revoked");
        HttpResponse<String> socket = gw.get("/ws?token=" + u.get("token"), null);
        assertError(socket, 401, "unauthorized");
        assertThat(socket.body()).contains("no longer exists");
        assertThat(gw.counted(REFUSED, "revoked") - refusedBefore).isEqualTo(1.0);
    }

    @Test
    void guestTokensAndCodeLookupsAreLimitedPerAddress() {
        Map<String, String> m = gw.newMeeting(gw.newUser("Host").get("token"), "Limited");
        String path = "/api/v1/meetings/" + m.get("code") + "/guest";
        for (int i = 0; i < 2; i++) {
            assertThat(gw.post(path, "{\"displayName\":\"G\"}", null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> refused = gw.post(path, "{\"displayName\":\"G\"}", null);
        assertError(refused, 429, "rate_limited");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"))).isPositive();

        for (int i = 0; i < 3; i++) {
            assertThat(gw.get("/j/" + m.get("code"), null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> page = gw.get("/j/" + m.get("code"), null);
        assertThat(page.statusCode()).isEqualTo(429);
        assertThat(page.headers().firstValue("Retry-After")).isPresent();
    }
}
