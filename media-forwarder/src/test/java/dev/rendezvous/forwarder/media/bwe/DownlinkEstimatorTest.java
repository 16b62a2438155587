package dev.rendezvous.forwarder.media.bwe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** The estimator against a simulated bottleneck ({@link LinkSimulator}): paced sender, FIFO queue, feedback. */
class DownlinkEstimatorTest {

    static final long S = 1_000_000;
    static final long MAX = 5_000_000;

    static DownlinkEstimator estimator() {
        return new DownlinkEstimator(300_000, 50_000, MAX);
    }

    static LinkSimulator sim(LongUnaryOperator capacity) {
        return new LinkSimulator(estimator(), capacity, 7);
    }

    @Test
    void shouldStepDownWithinTwoSecondsOfACapacityDrop() {
        LinkSimulator sim = sim(t -> t < 30 * S ? 2_000_000 : 500_000);
        sim.runUntil(45 * S);

        assertThat(sim.targetsBetween(25 * S, 30 * S)).allMatch(t -> t > 1_500_000);
        long down = sim.firstTimeAfter(30 * S, t -> t <= 500_000);
        assertThat(down).as("first target at or under the new capacity").isBetween(30 * S, 32 * S);
        // and it stays near the new capacity (no return to the old rate)
        assertThat(sim.targetsBetween(33 * S, 45 * S)).allMatch(t -> t < 650_000 && t > 250_000);
    }

    @Test
    void shouldClimbBackWithinTenSecondsAfterTheDropLifts() {
        LinkSimulator sim = sim(t -> t >= 30 * S && t < 50 * S ? 500_000 : 2_000_000);
        sim.runUntil(70 * S);

        assertThat(sim.targetsBetween(45 * S, 50 * S)).allMatch(t -> t < 650_000);
        long up = sim.firstTimeAfter(50 * S, t -> t >= 1_600_000);
        assertThat(up).as("first target at 80 %% of the restored capacity").isBetween(50 * S, 60 * S);
    }

    @Test
    void shouldNotOscillateOnASteadyBottleneck() {
        LinkSimulator sim = sim(t -> 2_000_000);
        sim.runUntil(80 * S);

        long[] steady = sim.targetsBetween(20 * S, 80 * S).stream().mapToLong(Long::longValue).toArray();
        assertThat(Arrays.stream(steady).min().orElseThrow()).isGreaterThanOrEqualTo(1_600_000);
        assertThat(Arrays.stream(steady).max().orElseThrow()).isLessThanOrEqualTo(2_200_000);
        double mean = Arrays.stream(steady).average().orElseThrow();
        assertThat(mean).isBetween(1_700_000.0, 2_100_000.0);
        // decreases are rare and small: the additive phase near the capacity, not multiplicative swings
        int decreases = 0;
        for (int i = 1; i < steady.length; i++) {
            if (steady[i] < steady[i - 1]) {
                decreases++;
                assertThat(steady[i]).isGreaterThan((long) (0.8 * steady[i - 1]));
            }
        }
        assertThat(decreases).as("decreases in 60 s").isLessThanOrEqualTo(12);
    }

    @Test
    void shouldReachAndHoldTheMaximumOnAFastLink() {
        LinkSimulator sim = sim(t -> 50_000_000);
        sim.runUntil(40 * S);

        long reached = sim.firstTimeAfter(0, t -> t == MAX);
        assertThat(reached).isBetween(0L, 25 * S);
        assertThat(sim.targetsBetween(reached, 40 * S)).allMatch(t -> t == MAX);
    }

    @Test
    void shouldBoundTheRateUnderHeavyRandomLoss() {
        LinkSimulator sim = sim(t -> 50_000_000);
        sim.randomLoss = 0.2;
        sim.runUntil(30 * S);

        assertThat(sim.targetsBetween(20 * S, 30 * S)).allMatch(t -> t <= 0.2 * MAX);
    }

    @Test
    void shouldIgnoreLightRandomLoss() {
        LinkSimulator sim = sim(t -> 50_000_000);
        sim.randomLoss = 0.01;
        sim.runUntil(40 * S);

        assertThat(sim.targetsBetween(30 * S, 40 * S)).allMatch(t -> t >= 0.9 * MAX);
    }

    @Test
    void shouldNotMistakeReorderingJitterForCongestion() {
        LinkSimulator sim = sim(t -> 50_000_000);
        sim.jitterUs = 8_000; // packets 1 ms apart, delayed 0..8 ms at random: heavily reordered
        sim.runUntil(40 * S);

        assertThat(sim.targetsBetween(30 * S, 40 * S)).allMatch(t -> t >= 0.9 * MAX);
    }

    @Test
    void shouldLowerTheTargetWhileFeedbackStopsAndRecoverAfter() {
        LinkSimulator sim = sim(t -> 2_000_000);
        sim.feedbackLostFrom = 30 * S;
        sim.feedbackLostTo = 33 * S;
        sim.runUntil(50 * S);

        long before = sim.targetsBetween(29 * S, 30 * S).get(0);
        java.util.List<Long> during = sim.targetsBetween(32 * S, 33 * S);
        assertThat(during).allMatch(t -> t <= before / 2);
        long back = sim.firstTimeAfter(33 * S, t -> t >= 1_600_000);
        assertThat(back).isBetween(33 * S, 43 * S);
    }

    @Test
    void shouldCountReportedAndLostPackets() {
        DownlinkEstimator e = estimator();
        e.onPacket(0, 1_000, 1200);
        e.onPacket(1_000, DownlinkEstimator.LOST, 1200);
        e.onFeedback(50_000);

        assertThat(e.packetsReported()).isEqualTo(2);
        assertThat(e.packetsLost()).isEqualTo(1);
        assertThat(e.targetBps()).isBetween(50_000L, MAX);
    }

    @Test
    void shouldRefuseAnEmptyRange() {
        assertThatThrownBy(() -> new DownlinkEstimator(100_000, 0, 1_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DownlinkEstimator(100_000, 2_000, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
