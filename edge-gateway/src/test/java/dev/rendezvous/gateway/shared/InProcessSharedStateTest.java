package dev.rendezvous.gateway.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InProcessSharedStateTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final InProcessSharedState s = new InProcessSharedState(clock);

    @Test
    void countersCountAndStartAgainAfterTheirTtl() {
        assertThat(s.add("k", 1, Duration.ofSeconds(10)).block(WAIT)).isEqualTo(1L);
        assertThat(s.add("k", 2, Duration.ofSeconds(10)).block(WAIT)).isEqualTo(3L);
        assertThat(s.get("k").block(WAIT)).isEqualTo(3L);
        clock.advance(Duration.ofSeconds(10));
        assertThat(s.get("k").block(WAIT)).isZero();
        assertThat(s.add("k", 1, Duration.ofSeconds(10)).block(WAIT)).isEqualTo(1L);
    }

    @Test
    void revocationsLastUntilTheirEndAndTheLaterEndWins() {
        Instant now = clock.instant();
        s.revoke("t:1", now.plusSeconds(60)).block(WAIT);
        s.revoke("t:1", now.plusSeconds(30)).block(WAIT);
        s.revoke("t:2", now.minusSeconds(1)).block(WAIT);
        assertThat(s.anyRevoked(List.of("t:0", "t:1")).block(WAIT)).isTrue();
        assertThat(s.anyRevoked(List.of("t:2")).block(WAIT)).isFalse();
        clock.advance(Duration.ofSeconds(59));
        assertThat(s.anyRevoked(List.of("t:1")).block(WAIT)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(s.anyRevoked(List.of("t:1")).block(WAIT)).isFalse();
    }

    @Test
    void presenceExpiresUnlessRefreshed() {
        s.put("a", "gw-1", Duration.ofSeconds(30)).block(WAIT);
        s.put("b", "gw-1", Duration.ofSeconds(30)).block(WAIT);
        clock.advance(Duration.ofSeconds(20));
        s.put("a", "gw-1", Duration.ofSeconds(30)).block(WAIT);
        clock.advance(Duration.ofSeconds(10));
        assertThat(s.gatewayOf("a").block(WAIT)).isEqualTo("gw-1");
        assertThat(s.gatewayOf("b").blockOptional(WAIT)).isEmpty();
        s.remove("a").block(WAIT);
        assertThat(s.gatewayOf("a").blockOptional(WAIT)).isEmpty();
    }

    @Test
    void holdsABoundedNumberOfEntries() {
        for (int i = 0; i < InProcessSharedState.MAX_ENTRIES + 10; i++) {
            s.add("k" + i, 1, Duration.ofSeconds(60 + i)).block(WAIT);
        }
        assertThat(s.size()).isLessThanOrEqualTo(InProcessSharedState.MAX_ENTRIES);
        assertThat(s.get("k" + (InProcessSharedState.MAX_ENTRIES + 9)).block(WAIT)).as("the newest stays").isEqualTo(1L);
        assertThat(s.get("k0").block(WAIT)).as("the soonest to expire went first").isZero();
    }
}
