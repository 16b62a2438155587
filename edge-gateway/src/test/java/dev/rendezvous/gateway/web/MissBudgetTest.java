package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class MissBudgetTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void shouldRefuseAnAddressThatSpentItsMissesUntilOneRefills() {
        MissBudget g = new MissBudget(6, 3, clock, "too many misses"); // one miss back every 10 s
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
        MissBudget g = new MissBudget(6, 3, clock, "too many misses");
        ApiException e = g.refusal();
        assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(new MissBudget(600, 3, clock, "too many misses").retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldTrackABoundedNumberOfAddresses() {
        MissBudget g = new MissBudget(6, 1, clock, "too many misses");
        for (int i = 0; i < MissBudget.MAX_ADDRESSES + 500; i++) {
            g.miss("a" + i);
        }
        assertThat(g.trackedAddresses()).isEqualTo(MissBudget.MAX_ADDRESSES);
        assertThat(g.allowed("a0")).as("the least recently seen is forgotten first").isTrue();
        assertThat(g.allowed("a" + (MissBudget.MAX_ADDRESSES + 499))).isFalse();
    }
}
