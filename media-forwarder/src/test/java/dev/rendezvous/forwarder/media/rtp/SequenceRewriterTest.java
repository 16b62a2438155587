package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceRewriterTest {

    private static final long MS = 1_000_000L;
    private static final int CLOCK = 90_000;
    private static final long OUT_SSRC = 0xFEEDF00DL;
    private final SequenceRewriter rewriter = new SequenceRewriter(OUT_SSRC);

    private static byte[] rtp(long ssrc, int seq, long ts) {
        return RtpTest.packet(96, false, seq & 0xFFFF, ts & 0xFFFF_FFFFL, ssrc, null, null, 20, 0);
    }

    /** Rewrites and returns the outbound sequence number, or -1 if refused. */
    private int forward(long ssrc, int seq, long ts, long now) {
        byte[] p = rtp(ssrc, seq, ts);
        if (!rewriter.rewrite(p, 0, p.length, now, CLOCK)) {
            return -1;
        }
        assertThat(Rtp.ssrc(p, 0)).isEqualTo(OUT_SSRC);
        return Rtp.sequence(p, 0);
    }

    private long forwardTs(long ssrc, int seq, long ts, long now) {
        byte[] p = rtp(ssrc, seq, ts);
        assertThat(rewriter.rewrite(p, 0, p.length, now, CLOCK)).isTrue();
        return Rtp.timestamp(p, 0);
    }

    @Test
    void shouldSetOutboundSsrcAndKeepSequenceConsecutive() {
        int first = forward(0x1111, 100, 3000, 0);
        for (int i = 1; i < 10; i++) {
            assertThat(forward(0x1111, 100 + i, 3000 + 3000L * i, i * 33 * MS)).isEqualTo((first + i) & 0xFFFF);
        }
        assertThat(rewriter.outboundSsrc()).isEqualTo(OUT_SSRC);
    }

    @Test
    void shouldContinueSequenceAndTimestampWhenSourceSsrcChanges() {
        int first = forward(0x1111, 100, 3000, 0);
        long lastTs = 0;
        for (int i = 1; i < 5; i++) {
            lastTs = forwardTs(0x1111, 100 + i, 3000 + 3000L * i, i * 33 * MS);
        }
        byte[] p = rtp(0x2222, 40_000, 987_654_321L);
        assertThat(rewriter.rewrite(p, 0, p.length, 4 * 33 * MS + 100 * MS, CLOCK)).isTrue();
        assertThat(Rtp.ssrc(p, 0)).isEqualTo(OUT_SSRC);
        assertThat(Rtp.sequence(p, 0)).isEqualTo((first + 5) & 0xFFFF);
        assertThat(Rtp.timestamp(p, 0)).as("100 ms later at 90 kHz").isEqualTo(lastTs + 9000);
        long nextTs = forwardTs(0x2222, 40_001, 987_654_321L + 3000, 4 * 33 * MS + 133 * MS);
        assertThat(nextTs).isEqualTo(lastTs + 9000 + 3000);
        assertThat(forward(0x2222, 40_002, 987_660_321L, 300 * MS)).isEqualTo((first + 7) & 0xFFFF);
    }

    @Test
    void shouldWrapOutboundSequenceAndTimestamp() {
        forward(0x1111, 65530, 0xFFFF_FF00L, 0);
        int prev = -1;
        for (int seq = 65531; seq < 65536 + 10; seq++) {
            int out = forward(0x1111, seq, 0xFFFF_FF00L + 100L * (seq - 65530), (seq - 65530) * MS);
            if (prev >= 0) {
                assertThat(out).isEqualTo((prev + 1) & 0xFFFF);
            }
            prev = out;
        }
        // and after a switch on the outbound side too
        SequenceRewriter r = new SequenceRewriter(OUT_SSRC);
        byte[] p = rtp(0x1111, 65535, 5);
        assertThat(r.rewrite(p, 0, p.length, 0, CLOCK)).isTrue();
        int before = Rtp.sequence(p, 0);
        p = rtp(0x3333, 17, 5);
        assertThat(r.rewrite(p, 0, p.length, MS, CLOCK)).isTrue();
        assertThat(Rtp.sequence(p, 0)).isEqualTo((before + 1) & 0xFFFF);
    }

    @Test
    void shouldMapReorderedPacketsConsistently() {
        int o10 = forward(0x1111, 10, 0, 0);
        int o12 = forward(0x1111, 12, 6000, 2 * MS);
        int o11 = forward(0x1111, 11, 3000, 3 * MS);
        assertThat(o12).isEqualTo((o10 + 2) & 0xFFFF);
        assertThat(o11).isEqualTo((o10 + 1) & 0xFFFF);
        assertThat(forward(0x1111, 11, 3000, 4 * MS)).as("duplicate maps the same").isEqualTo(o11);
        assertThat(forward(0x1111, 13, 9000, 5 * MS)).isEqualTo((o10 + 3) & 0xFFFF);
    }

    @Test
    void shouldSkipDroppedPacketsWithoutGap() {
        int o10 = forward(0x1111, 10, 0, 0);
        byte[] p = rtp(0x1111, 11, 3000);
        byte[] copy = p.clone();
        rewriter.skip(p, 0, p.length, MS, CLOCK);
        assertThat(p).as("skip leaves the packet alone").isEqualTo(copy);
        assertThat(forward(0x1111, 12, 6000, 2 * MS)).isEqualTo((o10 + 1) & 0xFFFF);
        assertThat(forward(0x1111, 11, 3000, 3 * MS)).as("a skipped packet stays dropped").isEqualTo(-1);
        assertThat(rewriter.inboundSequenceFor((o10 + 1) & 0xFFFF)).isEqualTo(12);
    }

    @Test
    void shouldKeepRealLossVisibleAsGap() {
        int o10 = forward(0x1111, 10, 0, 0);
        assertThat(forward(0x1111, 13, 9000, MS)).isEqualTo((o10 + 3) & 0xFFFF);
        assertThat(rewriter.inboundSequenceFor((o10 + 1) & 0xFFFF)).as("lost packet still answerable").isEqualTo(11);
        assertThat(rewriter.inboundSequenceFor((o10 + 2) & 0xFFFF)).isEqualTo(12);
        assertThat(forward(0x1111, 12, 6000, 2 * MS)).as("late arrival fills its gap").isEqualTo((o10 + 2) & 0xFFFF);
    }

    @Test
    void shouldAnswerInboundSequenceAndSsrcForOutbound() {
        int a = forward(0x1111, 500, 0, 0);
        int b = forward(0x2222, 9, 0, 20 * MS);
        assertThat(rewriter.inboundSequenceFor(a)).isEqualTo(500);
        assertThat(rewriter.inboundSsrcFor(a)).isEqualTo(0x1111);
        assertThat(rewriter.inboundSequenceFor(b)).isEqualTo(9);
        assertThat(rewriter.inboundSsrcFor(b)).isEqualTo(0x2222);
        assertThat(rewriter.inboundSequenceFor((b + 1) & 0xFFFF)).isEqualTo(-1);
        assertThat(rewriter.inboundSequenceFor((a + 5000) & 0xFFFF)).isEqualTo(-1);
    }

    @Test
    void shouldForgetInboundSequenceBeyondTheRing() {
        int first = forward(0x1111, 0, 0, 0);
        for (int seq = 1; seq <= 2000; seq++) {
            forward(0x1111, seq, 3000L * seq, seq * MS);
        }
        assertThat(rewriter.inboundSequenceFor(first)).isEqualTo(-1);
        assertThat(rewriter.inboundSequenceFor((first + 2000) & 0xFFFF)).isEqualTo(2000);
    }

    @Test
    void shouldRefuseVeryOldPackets() {
        for (int seq = 0; seq <= 2000; seq++) {
            forward(0x1111, seq, 3000L * seq, seq * MS);
        }
        assertThat(forward(0x1111, 10, 30_000, 2001 * MS)).isEqualTo(-1);
        assertThat(forward(0x1111, 2001, 3000L * 2001, 2002 * MS)).isNotEqualTo(-1);
    }

    @Test
    void shouldRefuseLatePacketsOfThePreviousSource() {
        forward(0x1111, 100, 0, 0);
        forward(0x1111, 101, 3000, MS);
        int b = forward(0x2222, 7, 0, 2 * MS);
        assertThat(forward(0x1111, 99, 0, 3 * MS)).isEqualTo(-1);
        assertThat(forward(0x2222, 8, 3000, 4 * MS)).isEqualTo((b + 1) & 0xFFFF);
    }

    @Test
    void shouldContinueAfterSequenceJumpOfTheSameSsrc() {
        int first = forward(0x1111, 100, 0, 0);
        assertThat(forward(0x1111, 30_000, 123_456, 40 * MS)).isEqualTo((first + 1) & 0xFFFF);
        assertThat(forward(0x1111, 30_001, 126_456, 73 * MS)).isEqualTo((first + 2) & 0xFFFF);
    }

    @Test
    void shouldRefuseInvalidPackets() {
        byte[] junk = new byte[8];
        assertThat(rewriter.rewrite(junk, 0, junk.length, 0, CLOCK)).isFalse();
    }
}
