package dev.rendezvous.streams.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ForwarderWeightTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    static ForwarderMetrics metrics(String id, Instant at, int capacity, int participants,
                                    double loss, double rttMs, double cpu, double packetsPerSec) {
        return new ForwarderMetrics(id, "eu", at, capacity, 0, participants, 0, 0, packetsPerSec / 2, packetsPerSec / 2,
                0, 0, loss, 0, rttMs, cpu);
    }

    @Test
    void shouldWeighAPerfectHostByItsFreeCapacity() {
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 40, 0, 0, 0, 0))).isEqualTo(1.0);
        assertThat(ForwarderWeight.weight(metrics("f", NOW, 100, 40, 0, 0, 0, 0))).isEqualTo(60.0);
    }

    @Test
    void shouldHalveEachFactorAtItsHalfValue() {
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 0.05, 0, 0, 0))).isCloseTo(0.5, within(1e-9));
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 0, 200, 0, 0))).isCloseTo(0.5, within(1e-9));
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 0, 0, 0.85, 0))).isCloseTo(0.5, within(1e-9));
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 0, 0, 0, 150_000))).isCloseTo(0.5, within(1e-9));
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 0.05, 200, 0, 0))).isCloseTo(0.25, within(1e-9));
    }

    @Test
    void shouldBarelyPenalizeModerateCpuAndKeepThePenaltyInTheUnitInterval() {
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 0, 0, 0.4, 0))).isGreaterThan(0.95);
        double worst = ForwarderWeight.penalty(metrics("f", NOW, 100, 0, 1, 5000, 1, 1e9));
        assertThat(worst).isGreaterThan(0).isLessThan(0.01);
        assertThat(ForwarderWeight.penalty(metrics("f", NOW, 100, 0, Double.NaN, -5, -1, Double.NaN))).isEqualTo(1.0);
    }

    @Test
    void shouldKeepATinyPositiveWeightForAFullHost() {
        double full = ForwarderWeight.weight(metrics("f", NOW, 100, 120, 0, 0, 0, 0));
        assertThat(full).isEqualTo(ForwarderWeight.EPSILON);
        assertThat(full).isPositive();
    }

    @Test
    void shouldBeHealthyOnlyWithRecentMetrics() {
        Duration tenSeconds = Duration.ofSeconds(10);
        assertThat(ForwarderWeight.healthy(metrics("f", NOW.minusSeconds(10), 1, 0, 0, 0, 0, 0), NOW, tenSeconds)).isTrue();
        assertThat(ForwarderWeight.healthy(metrics("f", NOW.minusMillis(10_001), 1, 0, 0, 0, 0, 0), NOW, tenSeconds)).isFalse();
        assertThat(ForwarderWeight.healthy(metrics("f", NOW.plusSeconds(3), 1, 0, 0, 0, 0, 0), NOW, tenSeconds)).isTrue();
        assertThat(ForwarderWeight.healthy(metrics("f", null, 1, 0, 0, 0, 0, 0), NOW, tenSeconds)).isFalse();
    }
}
