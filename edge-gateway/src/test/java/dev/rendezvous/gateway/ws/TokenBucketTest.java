package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void shouldAllowTheBurstThenRefuse() {
        TokenBucket bucket = new TokenBucket(50, 100, clock);
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.tryTake()).as("frame %d", i).isTrue();
        }
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void shouldRefillAtTheConfiguredRate() {
        TokenBucket bucket = new TokenBucket(50, 100, clock);
        drain(bucket);
        clock.advance(Duration.ofMillis(19));
        assertThat(bucket.tryTake()).isFalse(); // 0.95 of a token
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).isTrue();  // 1 token after 20 ms at 50/s
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.available()).isEqualTo(50);
    }

    @Test
    void shouldNeverHoldMoreThanItsCapacity() {
        TokenBucket bucket = new TokenBucket(50, 10, clock);
        clock.advance(Duration.ofHours(1));
        assertThat(bucket.available()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryTake()).isTrue();
        }
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void shouldSupportRatesBelowOnePerSecond() {
        TokenBucket bucket = new TokenBucket(0.5, 1, clock);
        assertThat(bucket.tryTake()).isTrue();
        clock.advance(Duration.ofMillis(1999));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).isTrue();
    }

    @Test
    void shouldIgnoreAClockThatGoesBackwards() {
        TokenBucket bucket = new TokenBucket(10, 1, clock);
        assertThat(bucket.tryTake()).isTrue();
        clock.advance(Duration.ofSeconds(-5));
        assertThat(bucket.tryTake()).isFalse();
    }

    private static void drain(TokenBucket b) {
        while (b.tryTake()) {
            // empty it
        }
    }
}
