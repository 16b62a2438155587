package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCcRecorderTest {

    static final long MS = 1_000_000;
    private final byte[] buf = new byte[1500];
    private final TransportCc.Reader reader = new TransportCc.Reader();

    private List<long[]> feedback(TransportCcRecorder r, long now) {
        int len = r.writeFeedback(buf, 0, 1200, 0x1111, now);
        List<long[]> out = new ArrayList<>();
        if (len == 0) {
            return out;
        }
        Rtcp.Cursor c = new Rtcp.Cursor();
        assertThat(c.reset(buf, 0, len)).isTrue();
        assertThat(c.senderSsrc()).isEqualTo(0x1111);
        assertThat(reader.reset(buf, c.offset(), c.bodyLength())).isTrue();
        while (reader.next()) {
            out.add(new long[] {reader.sequence(), reader.arrivalUs()});
        }
        return out;
    }

    @Test
    void shouldReportArrivalsAndLossesAcrossTheWrapThenContinueWhereItLeftOff() {
        long t0 = -5_000 * MS; // nanoTime may be negative
        TransportCcRecorder r = new TransportCcRecorder();
        r.onPacket(65534, 42, t0 + 10 * MS);
        r.onPacket(0, 42, t0 + 12 * MS);        // 65535 missing
        r.onPacket(1, 42, t0 + 11 * MS);        // arrived before 0: negative delta
        assertThat(r.due(t0 + 50 * MS, 50 * MS)).as("50 ms after the first packet").isFalse();
        assertThat(r.due(t0 + 60 * MS, 50 * MS)).isTrue();

        List<long[]> f = feedback(r, t0 + 60 * MS);

        // µs since the first packet
        assertThat(f).containsExactly(new long[] {65534, 0}, new long[] {65535, -1},
                new long[] {0, 2_000}, new long[] {1, 1_000});
        assertThat(r.pending()).isZero();
        assertThat(r.due(t0 + 200 * MS, 50 * MS)).isFalse();

        r.onPacket(65535, 42, t0 + 60 * MS);    // too late: already reported lost
        r.onPacket(2, 42, t0 + 70 * MS);
        assertThat(feedback(r, t0 + 100 * MS)).containsExactly(new long[] {2, 60_000});
        assertThat(reader.feedbackCount()).isEqualTo(1);
    }

    @Test
    void shouldStartOverAfterAJumpAndSplitALongRange() {
        TransportCcRecorder r = new TransportCcRecorder();
        r.onPacket(100, 1, MS);
        r.onPacket(30_000, 1, 2 * MS); // a new sender's numbering
        assertThat(r.pending()).isEqualTo(1);
        assertThat(feedback(r, 3 * MS)).containsExactly(new long[] {30_000, 1_000});

        for (int i = 1; i <= 3000; i++) {
            r.onPacket(30_000 + i, 1, 2 * MS + i * 80_000L); // 80 ms apart: every delta takes two bytes
        }
        int reported = 0;
        for (int round = 0; round < 10 && r.pending() > 0; round++) {
            List<long[]> f = feedback(r, 10_000 * MS);
            assertThat(f.get(0)[0]).isEqualTo(30_001 + reported);
            reported += f.size();
        }
        assertThat(reported).isEqualTo(3000);
    }
}
