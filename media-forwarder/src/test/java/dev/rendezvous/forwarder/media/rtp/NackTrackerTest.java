package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NackTrackerTest {

    private static final long MS = 1_000_000L;
    private static final long RTT = 50 * MS;
    private final NackTracker tracker = new NackTracker(128, 3);
    private final int[] out = new int[64];

    private int[] collect(long now) {
        return Arrays.copyOf(out, tracker.collect(now, RTT, out));
    }

    @Test
    void shouldReportGapAtOnce() {
        tracker.onPacket(0, 0);
        tracker.onPacket(1, 0);
        tracker.onPacket(2, 0);
        tracker.onPacket(5, MS);
        assertThat(collect(MS)).containsExactly(3, 4);
        assertThat(tracker.missingCount()).isEqualTo(2);
    }

    @Test
    void shouldNotReportAnythingForCompleteStream() {
        for (int seq = 100; seq < 200; seq++) {
            tracker.onPacket(seq, seq * MS);
        }
        assertThat(collect(300 * MS)).isEmpty();
    }

    @Test
    void shouldForgetPacketThatArrives() {
        tracker.onPacket(10, 0);
        tracker.onPacket(14, 0);
        assertThat(collect(0)).containsExactly(11, 12, 13);
        tracker.onPacket(12, 10 * MS);
        assertThat(tracker.isMissing(12)).isFalse();
        assertThat(collect(RTT)).containsExactly(11, 13);
    }

    @Test
    void shouldWaitOneRoundTripBeforeAskingAgain() {
        tracker.onPacket(10, 0);
        tracker.onPacket(12, 0);
        assertThat(collect(0)).containsExactly(11);
        assertThat(collect(RTT - 1)).isEmpty();
        assertThat(collect(RTT)).containsExactly(11);
    }

    @Test
    void shouldGiveUpAfterMaxRetries() {
        tracker.onPacket(10, 0);
        tracker.onPacket(12, 0);
        assertThat(collect(0)).containsExactly(11);
        assertThat(collect(RTT)).containsExactly(11);
        assertThat(collect(2 * RTT)).containsExactly(11);
        assertThat(collect(3 * RTT)).isEmpty();
        assertThat(collect(10 * RTT)).isEmpty();
        assertThat(tracker.missingCount()).isZero();
    }

    @Test
    void shouldTrackGapAcrossWrapAround() {
        tracker.onPacket(65533, 0);
        tracker.onPacket(65534, 0);
        tracker.onPacket(1, 0);
        assertThat(collect(0)).containsExactly(65535, 0);
        tracker.onPacket(65535, MS);
        assertThat(collect(RTT)).containsExactly(0);
    }

    @Test
    void shouldResetOnHugeJump() {
        tracker.onPacket(10, 0);
        tracker.onPacket(12, 0);
        tracker.onPacket(10_000, 0);
        assertThat(collect(0)).isEmpty();
        assertThat(tracker.missingCount()).isZero();
        tracker.onPacket(10_002, 0);
        assertThat(collect(0)).containsExactly(10_001);
    }

    @Test
    void shouldResetWhenStreamRestartsFarBehind() {
        tracker.onPacket(30_000, 0);
        tracker.onPacket(500, 0);
        tracker.onPacket(502, 0);
        assertThat(collect(0)).as("a single very old packet is not a restart").isEmpty();
        tracker.onPacket(503, 0);
        tracker.onPacket(505, 0);
        assertThat(collect(0)).containsExactly(504);
    }

    @Test
    void shouldHandOutNoMoreThanTheOutputHoldsAndTheRestLater() {
        tracker.onPacket(0, 0);
        tracker.onPacket(11, 0);
        int[] small = new int[4];
        assertThat(tracker.collect(0, RTT, small)).isEqualTo(4);
        assertThat(small).containsExactly(1, 2, 3, 4);
        assertThat(tracker.collect(0, RTT, small)).isEqualTo(4);
        assertThat(small).containsExactly(5, 6, 7, 8);
    }

    @Test
    void shouldKeepOnlyTheNewestWhenMoreAreMissingThanItHolds() {
        NackTracker small = new NackTracker(8, 10);
        small.onPacket(0, 0);
        small.onPacket(6, 0); // 1..5 missing
        small.onPacket(12, 0); // 7..11 missing: 10 in all, the two oldest go
        int[] all = new int[16];
        int n = small.collect(0, RTT, all);
        assertThat(Arrays.copyOf(all, n)).containsExactly(3, 4, 5, 7, 8, 9, 10, 11);
    }

    @Test
    void shouldIgnoreDuplicates() {
        tracker.onPacket(5, 0);
        tracker.onPacket(5, 0);
        tracker.onPacket(6, 0);
        assertThat(collect(0)).isEmpty();
    }
}
