package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReceiveStatsTest {

    private static final long MS = 1_000_000L;
    private final ReceiveStats stats = new ReceiveStats(48_000);

    private void receive(int seq, long t) {
        stats.onPacket(seq & 0xFFFF, 1000 + 960L * seq, t, 100);
    }

    @Test
    void shouldReportNoLossForCompleteInOrderStream() {
        for (int seq = 0; seq < 100; seq++) {
            receive(seq, seq * 20 * MS);
        }
        assertThat(stats.extendedHighestSeq()).isEqualTo(99);
        assertThat(stats.packetsReceived()).isEqualTo(100);
        assertThat(stats.bytesReceived()).isEqualTo(10_000);
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.fractionLostAndReset()).isZero();
    }

    @Test
    void shouldCountGapsAsLossAndFractionPerInterval() {
        for (int seq = 0; seq < 100; seq++) {
            if (seq % 10 != 5) {
                receive(seq, seq * 20 * MS);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(10);
        assertThat(stats.fractionLostAndReset()).isEqualTo(10 * 256 / 100);
        for (int seq = 100; seq < 200; seq++) {
            receive(seq, seq * 20 * MS);
        }
        assertThat(stats.fractionLostAndReset()).as("no loss in the second interval").isZero();
        assertThat(stats.cumulativeLost()).isEqualTo(10);
    }

    @Test
    void shouldNotCountReorderedPacketsAsLost() {
        int[] order = {0, 1, 3, 2, 4, 7, 5, 6, 8};
        for (int seq : order) {
            receive(seq, seq * 20 * MS);
        }
        assertThat(stats.extendedHighestSeq()).isEqualTo(8);
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.fractionLostAndReset()).isZero();
    }

    @Test
    void shouldExtendSequenceAcrossWrapAround() {
        for (int seq = 65530; seq < 65536 + 10; seq++) {
            if (seq != 65536) {
                receive(seq, seq * 20 * MS);
            }
        }
        assertThat(stats.extendedHighestSeq()).isEqualTo(65536 + 9);
        assertThat(stats.cumulativeLost()).isEqualTo(1);
        assertThat(stats.fractionLostAndReset()).isEqualTo(256 / 16);
    }

    @Test
    void shouldResynchroniseAfterSenderRestartConfirmedByNextPacket() {
        for (int seq = 0; seq < 10; seq++) {
            receive(seq, seq * 20 * MS);
        }
        receive(40_000, 300 * MS);
        assertThat(stats.extendedHighestSeq()).as("a single wild packet is ignored").isEqualTo(9);
        receive(40_001, 320 * MS);
        assertThat(stats.extendedHighestSeq()).isEqualTo(40_001);
        assertThat(stats.cumulativeLost()).isZero();
    }

    @Test
    void shouldKeepJitterNearZeroForConstantSpacing() {
        for (int seq = 0; seq < 500; seq++) {
            receive(seq, 5 * MS + seq * 20 * MS);
        }
        assertThat(stats.jitterMs()).isCloseTo(0.0, within(0.01));
        assertThat(stats.jitterRtpUnits()).isZero();
    }

    @Test
    void shouldGrowJitterWithArrivalVariation() {
        for (int seq = 0; seq < 500; seq++) {
            long wobble = (seq % 2 == 0) ? 0 : 10 * MS;
            receive(seq, seq * 20 * MS + wobble);
        }
        // |D| is 10 ms for every pair, so the estimate converges to 10 ms (480 units at 48 kHz)
        assertThat(stats.jitterMs()).isCloseTo(10.0, within(0.5));
        assertThat(stats.jitterRtpUnits()).isBetween(450L, 480L);
    }

    @Test
    void shouldComputeJitterAcrossTimestampWrap() {
        for (int i = 0; i < 200; i++) {
            stats.onPacket(i, (0xFFFF_0000L + 960L * i) & 0xFFFF_FFFFL, i * 20 * MS, 100);
        }
        assertThat(stats.jitterMs()).isCloseTo(0.0, within(0.01));
    }

    @Test
    void shouldReportLsrAndDlsrOfLastSenderReport() {
        assertThat(stats.lsr()).isZero();
        assertThat(stats.dlsr(5 * MS)).isZero();
        stats.onSenderReport(0x1234_5678_90AB_CDEFL, 1_000 * MS);
        assertThat(stats.lsr()).isEqualTo(0x5678_90ABL);
        assertThat(stats.dlsr(2_500 * MS)).isEqualTo(98_304); // 1.5 s in 1/65536 s
        assertThat(stats.dlsr(500 * MS)).as("clock before SR arrival").isZero();
    }

    @Test
    void shouldWriteReportBlockFromStatistics() {
        for (int seq = 0; seq < 100; seq++) {
            if (seq != 50) {
                receive(seq, seq * 20 * MS);
            }
        }
        stats.onSenderReport(0x0000_1111_2222_0000L, 100 * MS);
        byte[] b = new byte[64];
        int n = RtcpWriter.writeReceiverReport(b, 0, 7, 1);
        n += stats.writeReportBlock(b, n, 0xABCDL, 1_100 * MS);
        Rtcp.Cursor c = new Rtcp.Cursor();
        assertThat(c.reset(b, 0, n)).isTrue();
        assertThat(c.rbSsrc(0)).isEqualTo(0xABCDL);
        assertThat(c.rbCumulativeLost(0)).isEqualTo(1);
        assertThat(c.rbFractionLost(0)).isEqualTo(2);
        assertThat(c.rbHighestSeq(0)).isEqualTo(99);
        assertThat(c.rbLsr(0)).isEqualTo(0x1111_2222L);
        assertThat(c.rbDlsr(0)).isEqualTo(65_536);
    }
}
