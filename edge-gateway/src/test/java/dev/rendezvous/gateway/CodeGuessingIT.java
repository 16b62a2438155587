package dev.rendezvous.gateway;

import static dev.rendezvous.gateway.GatewayRestIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.RunningGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An address that tries too many unknown meeting codes is refused (429) on both doors a code opens. */
class CodeGuessingIT {

    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        // a budget of 3 misses, refilled at 1 per minute: nothing refills during the test
        gw = RunningGateway.start("gw_code_guessing", "--rendezvous.gateway.code-miss-burst=3",
                "--rendezvous.gateway.code-misses-per-minute=1");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void shouldRefuseGuestTokensAndMeetingPagesAfterTooManyUnknownCodes() {
        Map<String, String> m = gw.newMeeting(gw.newUser("Host").get("token"), "Real");
        // malformed codes are never meetings: they cost nothing
        for (int i = 0; i < 5; i++) {
            assertError(gw.post("/api/v1/meetings/NOPE/guest", "{\"displayName\":\"G\"}", null), 404, "meeting_not_found");
        }
        assertThat(gw.get("/j/zzz-zzzz-zza", null).statusCode()).isEqualTo(404);
        assertError(gw.post("/api/v1/meetings/zzz-zzzz-zzb/guest", "{\"displayName\":\"G\"}", null), 404, "meeting_not_found");
        assertThat(gw.guestToken(m.get("code"), "Real guest")).isNotBlank(); // hits cost nothing either
        assertError(gw.post("/api/v1/meetings/zzz-zzzz-zzc/guest", "{\"displayName\":\"G\"}", null), 404, "meeting_not_found");

        // the budget is spent: every code is refused now, the real one too, with a time to come back
        HttpResponse<String> refused = gw.post("/api/v1/meetings/" + m.get("code") + "/guest", "{\"displayName\":\"G\"}", null);
        assertError(refused, 429, "rate_limited");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
        HttpResponse<String> page = gw.get("/j/" + m.get("code"), null);
        assertThat(page.statusCode()).isEqualTo(429);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(page.body()).contains("Too many unknown meeting links");
    }
}
