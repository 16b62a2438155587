package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class CodeGuessGuardTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void shouldRefuseAnAddressThatSpentItsMissesUntilOneRefills() {
        CodeGuessGuard g = new CodeGuessGuard(6, 3, clock); // one miss back every 10 s
        for (int i = 0; i < 3; i++) {
            assertThat(g.allowed("10.0.0.1")).as("before miss %d", i + 1).isTrue();
            g.miss("10.0.0.1");
        }
        assertThat(g.allowed("10.0.0.1")).isFalse();
        assertThat(g.allowed("10.0.0.2")).as("another address has its own budget").isTrue();

        clock.advance(Duration.ofSeconds(9));
        assertThat(g.allowed("10.0.0.1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(g.allowed("10.0.0.1")).isTrue();
        g.miss("10.0.0.1");
        assertThat(g.allowed("10.0.0.1")).isFalse();
    }

    @Test
    void shouldAnswer429WithARetryAfterOfOneRefill() {
        CodeGuessGuard g = new CodeGuessGuard(6, 3, clock);
        ApiException e = g.refusal();
        assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(new CodeGuessGuard(600, 3, clock).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldTrackABoundedNumberOfAddresses() {
        CodeGuessGuard g = new CodeGuessGuard(6, 1, clock);
        for (int i = 0; i < CodeGuessGuard.MAX_ADDRESSES + 500; i++) {
            g.miss("a" + i);
        }
        assertThat(g.trackedAddresses()).isEqualTo(CodeGuessGuard.MAX_ADDRESSES);
        assertThat(g.allowed("a0")).as("the least recently seen is forgotten first").isTrue();
        assertThat(g.allowed("a" + (CodeGuessGuard.MAX_ADDRESSES + 499))).isFalse();
    }
}
