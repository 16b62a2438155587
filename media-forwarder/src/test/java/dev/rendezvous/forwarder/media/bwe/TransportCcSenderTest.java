package dev.rendezvous.forwarder.media.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.TransportCc;
import org.junit.jupiter.api.Test;

class TransportCcSenderTest {

    /** A 1,200-byte RTP packet with a one-word one-byte-form extension block. */
    private static byte[] packet() {
        byte[] b = new byte[1200];
        b[0] = (byte) 0x90;
        b[1] = 96;
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[15] = 1;
        b[16] = 0x10; // id 1 (audio level), one byte
        return b;
    }

    @Test
    void shouldNumberPacketsAcrossTheWrapAndMatchFeedbackToTheirSendTimes() {
        TransportCcSender s = new TransportCcSender(new DownlinkEstimator(500_000, 30_000, 10_000_000), -7_000_000_000L);
        long now = -7_000_000_000L;
        int sent = 70_000; // wraps the 16-bit number once
        int[] seqs = new int[sent];
        for (int i = 0; i < sent; i++) {
            byte[] p = packet();
            assertThat(s.stamp(p, 0, p.length, 3, now + i * 1_000_000L)).isTrue();
            seqs[i] = Rtp.transportSequence(p, 0, p.length, 3);
        }
        assertThat(seqs[65_535]).isEqualTo(65_535);
        assertThat(seqs[65_536]).isZero();

        // feedback for the last 200, one per ms as they were sent (the receiver's clock has its own epoch)
        long[] arrivals = new long[200];
        for (int i = 0; i < 200; i++) {
            arrivals[i] = 900_000_000L + (sent - 200 + i) * 1_000L;
        }
        byte[] fb = new byte[1500];
        int n = new TransportCc.Writer(256).write(fb, 0, 1200, 1, 2, 0, seqs[sent - 200], arrivals, 0, 200);
        Rtcp.Cursor c = new Rtcp.Cursor();
        TransportCc.Reader r = new TransportCc.Reader();
        assertThat(c.reset(fb, 0, n) && r.reset(fb, c.offset(), c.bodyLength())).isTrue();

        s.onFeedback(r, now + sent * 1_000_000L);

        assertThat(s.unknownStatuses()).isZero();
        assertThat(s.estimator().packetsReported()).isEqualTo(200);
        assertThat(s.estimator().ackedBps()).as("1,200 bytes per ms").isBetween(9_500_000L, 9_700_000L);
    }

    @Test
    void shouldCountFeedbackForPacketsItNeverNumbered() {
        TransportCcSender s = new TransportCcSender(new DownlinkEstimator(500_000, 30_000, 10_000_000), 0);
        byte[] plain = new byte[100];
        plain[0] = (byte) 0x80;
        assertThat(s.stamp(plain, 0, plain.length, 3, 0)).isFalse();
        byte[] fb = new byte[1500];
        int n = new TransportCc.Writer(8).write(fb, 0, 1200, 1, 2, 0, 500, new long[] {1_000, 2_000}, 0, 2);
        Rtcp.Cursor c = new Rtcp.Cursor();
        TransportCc.Reader r = new TransportCc.Reader();
        assertThat(c.reset(fb, 0, n) && r.reset(fb, c.offset(), c.bodyLength())).isTrue();
        s.onFeedback(r, 1_000_000);
        assertThat(s.unknownStatuses()).isEqualTo(2);
        assertThat(s.estimator().packetsReported()).isZero();
    }
}
