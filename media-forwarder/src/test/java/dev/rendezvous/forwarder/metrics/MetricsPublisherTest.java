package dev.rendezvous.forwarder.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.topics.model.ForwarderMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class MetricsPublisherTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ForwarderMetrics> sent = new ArrayList<>();
    private boolean brokerUp = true;

    private final MetricsPublisher publisher = new MetricsPublisher(
            new MetricsSnapshotBuilder("fwd-1", "local", 200, ForwarderStats.idle(), () -> 0.2, clock),
            m -> brokerUp ? Mono.fromRunnable(() -> sent.add(m)) : Mono.error(new IllegalStateException("broker down")),
            Duration.ofSeconds(1), Duration.ofSeconds(5), clock, registry);

    @Test
    void shouldBeHealthyWhileRecordsAreAcknowledged() {
        publisher.markStarted();
        for (int i = 0; i < 10; i++) {
            StepVerifier.create(publisher.publishOnce()).verifyComplete();
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(sent).hasSize(10);
        assertThat(publisher.status().healthy()).isTrue();
        assertThat(publisher.status().published()).isEqualTo(10);
        assertThat(registry.counter("rendezvous.forwarder.metrics.published").count()).isEqualTo(10);
    }

    @Test
    void shouldTurnUnhealthyOnlyAfterFailingForMoreThanTheThreshold() {
        publisher.markStarted();
        StepVerifier.create(publisher.publishOnce()).verifyComplete();
        brokerUp = false;

        // failing sends complete (never error), so the loop keeps going
        for (int second = 1; second <= 6; second++) {
            clock.advance(Duration.ofSeconds(1));
            StepVerifier.create(publisher.publishOnce()).verifyComplete();
        }
        assertThat(publisher.status().healthy()).as("5 s of failures after the last success").isTrue();

        clock.advance(Duration.ofMillis(1));
        MetricsPublisher.Status down = publisher.status();
        assertThat(down.healthy()).as("just over interval + 5 s without an acknowledged record").isFalse();
        assertThat(down.failed()).isEqualTo(6);
        assertThat(down.lastError()).isEqualTo("broker down");
        assertThat(registry.counter("rendezvous.forwarder.metrics.failed").count()).isEqualTo(6);

        brokerUp = true;
        StepVerifier.create(publisher.publishOnce()).verifyComplete();
        assertThat(publisher.status().healthy()).as("recovers with the next acknowledged record").isTrue();
    }

    @Test
    void shouldBeUnhealthyWhenNothingWasEverPublishedPastTheThreshold() {
        brokerUp = false;
        publisher.markStarted();
        clock.advance(Duration.ofSeconds(5));
        assertThat(publisher.status().healthy()).isTrue();

        clock.advance(Duration.ofSeconds(2));
        assertThat(publisher.status().healthy()).isFalse();
        assertThat(publisher.status().lastPublished()).isNull();
    }

    @Test
    void shouldBeUnhealthyBeforeItWasStarted() {
        assertThat(publisher.status().healthy()).isFalse();
    }
}
