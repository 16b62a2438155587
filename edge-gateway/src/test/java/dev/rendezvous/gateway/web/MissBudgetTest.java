package dev.rendezvous.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.gateway.shared.InProcessSharedState;
import dev.rendezvous.gateway.shared.RateCounters;
import dev.rendezvous.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

class MissBudgetTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    // 10:00:00 is the start of a window for every window length used here
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final InProcessSharedState counters = new InProcessSharedState(clock);

    private boolean allowed(MissBudget g, String who) {
        return g.check(who).then(Mono.just(true)).onErrorResume(ApiException.class, e -> Mono.just(false)).block(WAIT);
    }

    @Test
    void shouldRefuseAnAddressThatSpentItsMissesUntilTheWindowEnds() {
        MissBudget g = new MissBudget(counters, "code", 6, 3, clock, "too many misses"); // 3 per 30-s window
        for (int i = 0; i < 3; i++) {
            assertThat(allowed(g, "10.0.0.1")).as("before miss %d", i + 1).isTrue();
            g.miss("10.0.0.1").block(WAIT);
        }
        assertThat(allowed(g, "10.0.0.1")).isFalse();
        assertThat(allowed(g, "10.0.0.2")).as("another address has its own budget").isTrue();

        clock.advance(Duration.ofSeconds(29));
        assertThat(allowed(g, "10.0.0.1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(allowed(g, "10.0.0.1")).as("a new window").isTrue();
    }

    @Test
    void shouldAnswer429WithARetryAfterOfTheRestOfTheWindow() {
        MissBudget g = new MissBudget(counters, "code", 6, 3, clock, "too many misses");
        for (int i = 0; i < 3; i++) {
            g.miss("a").block(WAIT);
        }
        clock.advance(Duration.ofMillis(12_300));
        assertThatThrownBy(() -> g.check("a").block(WAIT)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(e.code()).isEqualTo("rate_limited");
            assertThat(e.getMessage()).isEqualTo("too many misses");
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(18)); // 17.7 s rounded up
        });
        assertThat(g.window()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void spendCountsEveryCallAndRefusesTheOneOverBudget() {
        MissBudget g = new MissBudget(counters, "guest", 60, 2, clock, "too many guests");
        g.spend("a").block(WAIT);
        g.spend("a").block(WAIT);
        assertThatThrownBy(() -> g.spend("a").block(WAIT)).isInstanceOf(ApiException.class);
        g.spend("b").block(WAIT);
    }

    @Test
    void budgetsOfDifferentNamesDoNotShareCounts() {
        MissBudget login = new MissBudget(counters, "login", 6, 1, clock, "x");
        MissBudget code = new MissBudget(counters, "code", 6, 1, clock, "y");
        login.miss("a").block(WAIT);
        assertThat(allowed(login, "a")).isFalse();
        assertThat(allowed(code, "a")).isTrue();
    }

    @Test
    void anUnreachableStoreLetsCallsThrough() {
        AtomicInteger calls = new AtomicInteger();
        RateCounters broken = new RateCounters() {
            @Override
            public Mono<Long> add(String key, long delta, Duration ttl) {
                calls.incrementAndGet();
                return Mono.error(new IllegalStateException("store down"));
            }

            @Override
            public Mono<Long> get(String key) {
                calls.incrementAndGet();
                return Mono.error(new IllegalStateException("store down"));
            }
        };
        MissBudget g = new MissBudget(broken, "login", 6, 1, clock, "x");
        g.miss("a").block(WAIT);
        g.spend("a").block(WAIT);
        assertThat(allowed(g, "a")).isTrue();
        assertThat(calls).hasValue(3);
    }
}
