package dev.rendezvous.gateway;

import static dev.rendezvous.gateway.GatewayRestIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.RunningGateway;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Abuse budgets: an address that tries too many unknown meeting codes is refused (429) on both doors a code opens;
 * too many failed logins for an account, or from an address, are refused (429) before any password is checked.
 */
class CodeGuessingIT {

    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        // a budget of 3 misses per 5-hour window (3 failed logins per account, 4 per address, in 5 and 6.7 hours):
        // nothing refills during the test unless a window happens to end within its few seconds
        gw = RunningGateway.start("gw_code_guessing", "--rendezvous.gateway.code-miss-burst=3",
                "--rendezvous.gateway.code-misses-per-minute=0.01",
                "--rendezvous.gateway.account-failure-burst=3", "--rendezvous.gateway.account-failures-per-minute=0.01",
                "--rendezvous.gateway.login-failure-burst=4", "--rendezvous.gateway.login-failures-per-minute=0.01");
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
        assertRetryAfterWithin(refused, 18_000);
        HttpResponse<String> page = gw.get("/j/" + m.get("code"), null);
        assertThat(page.statusCode()).isEqualTo(429);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertRetryAfterWithin(page, 18_000);
        assertThat(page.body()).contains("Too many unknown meeting links");
    }

    @Test
    void shouldRefuseLoginsAfterTooManyFailuresForTheAccountThenFromTheAddress() {
        String a = "alice-" + System.nanoTime() + "@example.test";
        String b = "bob-" + System.nanoTime() + "@example.test";
        for (String email : new String[] {a, b}) {
            assertThat(gw.post("/api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\"right horse battery\","
                    + "\"displayName\":\"X\"}", null).statusCode()).isEqualTo(201);
        }
        for (int i = 0; i < 3; i++) {
            assertError(login(a, "wrong horse battery"), 401, "invalid_credentials");
        }
        // the account's budget is spent: even the right password is refused, with a time to come back
        HttpResponse<String> refused = login(a, "right horse battery");
        assertError(refused, 429, "rate_limited");
        assertRetryAfterWithin(refused, 18_000);
        assertThat(refused.body()).contains("this account");

        // another account from the same address: one more failure spends the address's budget of 4
        assertError(login(b, "wrong horse battery"), 401, "invalid_credentials");
        HttpResponse<String> fromAddress = login(b, "right horse battery");
        assertError(fromAddress, 429, "rate_limited");
        assertThat(fromAddress.body()).contains("this address");
    }

    /** Retry-After: the rest of the budget's window, whole seconds. */
    static void assertRetryAfterWithin(HttpResponse<String> r, int windowSeconds) {
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, windowSeconds);
    }

    private static HttpResponse<String> login(String email, String password) {
        return gw.post("/api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }
}
