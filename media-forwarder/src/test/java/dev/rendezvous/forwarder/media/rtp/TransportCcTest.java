package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.RtcpTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportCcTest {

    private final TransportCc.Reader reader = new TransportCc.Reader();
    private final Rtcp.Cursor cursor = new Rtcp.Cursor();

    /** {seq, arrival or -1} of every status. */
    private List<long[]> read(byte[] p) {
        assertThat(cursor.reset(p, 0, p.length)).isTrue();
        assertThat(TransportCc.isTransportCc(cursor.type(), cursor.fmt())).isTrue();
        assertThat(reader.reset(p, cursor.offset(), cursor.bodyLength())).isTrue();
        List<long[]> out = new ArrayList<>();
        while (reader.next()) {
            out.add(new long[] {reader.sequence(), reader.received() ? reader.arrivalUs() : -1});
        }
        return out;
    }

    @Test
    void shouldReadATwoBitStatusVectorAcrossTheSequenceWrapWithANegativeDelta() {
        // base 65534, 4 statuses, reference 16 × 64 ms, feedback #7; symbols small, lost, large, small;
        // deltas +4, -4, +8 ticks; 2 bytes of padding (P bit)
        byte[] p = hex("AFCD0006 00000001 12345678 FFFE0004 00001007 D24004FF FC080002");

        List<long[]> s = read(p);

        assertThat(reader.baseSequence()).isEqualTo(65534);
        assertThat(reader.feedbackCount()).isEqualTo(7);
        assertThat(reader.referenceTimeUs()).isEqualTo(1_024_000);
        assertThat(cursor.mediaSsrc()).isEqualTo(0x12345678L);
        assertThat(s).containsExactly(
                new long[] {65534, 1_025_000}, new long[] {65535, -1},
                new long[] {0, 1_024_000}, new long[] {1, 1_026_000});
    }

    @Test
    void shouldReadARunLengthAndAOneBitVectorWithoutPaddingBit() {
        // base 100, 3 received (run of SMALL), then 1-bit vector: lost, received, lost ... (only 2 counted)
        // count 5: run-length 0x2003, vector 1 0 01000000000000 = 0x9000; deltas 01 02 03 04; zero fill
        byte[] p = hex("8FCD0006 00000001 00000002 00640005 FFFFFF00 20039000 01020304 00000000");

        List<long[]> s = read(p);

        assertThat(reader.referenceTimeUs()).isEqualTo(-64_000); // signed 24 bits
        assertThat(s).containsExactly(
                new long[] {100, -64_000 + 250}, new long[] {101, -64_000 + 750}, new long[] {102, -64_000 + 1500},
                new long[] {103, -1}, new long[] {104, -64_000 + 2500});
    }

    @Test
    void shouldStopAtATruncatedDeltaAndRefuseMissingChunks() {
        byte[] noDeltas = hex("8FCD0005 00000001 00000002 00640003 00000100 20030000");
        List<long[]> s = read(noDeltas);
        assertThat(s).hasSize(2); // two bytes of deltas after the chunks: the third status is cut off
        byte[] truncated = hex("8FCD0004 00000001 00000002 00640010 00000100");
        assertThat(reader.reset(truncated, 0, truncated.length)).isFalse();
        assertThat(reader.next()).isFalse();
        assertThat(reader.reset(truncated, 0, 12)).isFalse();
    }

    @Test
    void shouldRoundTripWrittenFeedbackAcrossWrapLossRunsAndLargeOrNegativeDeltas() {
        Random random = new Random(3);
        TransportCc.Writer writer = new TransportCc.Writer(2000);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(400);
            long[] arrivals = new long[n + 5];
            long t = 10_000_000L + random.nextInt(1_000_000);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(20);
                if (i > 0 && kind < 3) {
                    arrivals[5 + i] = -1;
                } else if (i > 0 && kind == 3) {
                    arrivals[5 + i] = Math.max(0, t - random.nextInt(5_000)); // reordered: earlier than the previous
                } else {
                    t += kind == 4 ? 70_000 + random.nextInt(500_000) : random.nextInt(3_000);
                    arrivals[5 + i] = t;
                }
            }
            if (round % 5 == 0) { // long loss runs
                for (int i = 1; i < Math.min(n, 60); i++) {
                    arrivals[5 + i] = -1;
                }
            }
            int base = 65_400 + random.nextInt(200);
            byte[] b = new byte[1500];
            int len = writer.write(b, 0, 1200, 0xAAL, 0xBBL, round, base, arrivals, 5, n);

            assertThat(len % 4).isZero();
            assertThat(len).isBetween(24, 1200);
            byte[] p = java.util.Arrays.copyOf(b, len);
            List<long[]> s = read(p);
            assertThat(s).hasSize(writer.covered());
            assertThat(reader.feedbackCount()).isEqualTo(round);
            for (int i = 0; i < s.size(); i++) {
                long a = arrivals[5 + i];
                assertThat(s.get(i)[0]).isEqualTo((base + i) & 0xFFFF);
                assertThat(s.get(i)[1]).as("status %d of round %d", i, round).isEqualTo(a < 0 ? -1 : a - a % 250);
            }
        }
    }

    @Test
    void shouldCoverOnlyWhatFitsTheByteBudgetAndADeltaTwoBytesCanCarry() {
        TransportCc.Writer writer = new TransportCc.Writer(1000);
        long[] arrivals = new long[1000];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = 1_000_000 + i * 70_000L; // every delta large: 2 bytes each
        }
        byte[] b = new byte[1500];
        int len = writer.write(b, 0, 200, 1, 2, 0, 0, arrivals, 0, arrivals.length);
        assertThat(len).isLessThanOrEqualTo(200);
        assertThat(writer.covered()).isBetween(50, 90);
        assertThat(read(java.util.Arrays.copyOf(b, len))).hasSize(writer.covered());

        long[] gap = {1_000_000, 1_001_000, 1_000_000 + 9_000_000}; // 9 s: more than 32767 ticks
        len = writer.write(b, 0, 1200, 1, 2, 0, 0, gap, 0, 3);
        assertThat(writer.covered()).isEqualTo(2);
        assertThat(read(java.util.Arrays.copyOf(b, len))).hasSize(2);

        assertThat(writer.write(b, 0, 1200, 1, 2, 0, 0, new long[] {-1, -1}, 0, 2)).isZero();
        len = writer.write(b, 0, 1200, 1, 2, 0, 0, new long[] {-1, 64_300}, 0, 2); // leading loss
        assertThat(read(java.util.Arrays.copyOf(b, len))).containsExactly(new long[] {0, -1}, new long[] {1, 64_250});
    }

    @Test
    void shouldReadAndRewriteTheTransportSequenceExtensionInBothForms() {
        // one-byte form: audio level (id 1, 1 byte) then transport-cc (id 3, 2 bytes), padded
        byte[] one = RtpTest.packet(96, false, 7, 1, 2, null, hex("BEDE0002 10AA31FF FE000000"), 10, 0);
        assertThat(Rtp.transportSequence(one, 0, one.length, 3)).isEqualTo(0xFFFE);
        assertThat(Rtp.setTransportSequence(one, 0, one.length, 3, 5, 0x0102)).isTrue();
        assertThat(Rtp.transportSequence(one, 0, one.length, 3)).isEqualTo(-1);
        assertThat(Rtp.transportSequence(one, 0, one.length, 5)).isEqualTo(0x0102);
        assertThat(Rtp.audioLevel(one, 0, one.length, 1)).isEqualTo(0x2A);
        assertThat(Rtp.setTransportSequence(one, 0, one.length, 5, 15, 1)).isFalse();
        assertThat(Rtp.setTransportSequence(one, 0, one.length, 1, 4, 1)).isFalse(); // one byte long: not ours

        // two-byte form: id 20 with 2 bytes
        byte[] two = RtpTest.packet(96, false, 7, 1, 2, null, hex("10000001 14020304"), 10, 0);
        assertThat(Rtp.transportSequence(two, 0, two.length, 20)).isEqualTo(0x0304);
        assertThat(Rtp.setTransportSequence(two, 0, two.length, 20, 200, 0xFFFF)).isTrue();
        assertThat(Rtp.transportSequence(two, 0, two.length, 200)).isEqualTo(0xFFFF);

        byte[] none = RtpTest.packet(96, false, 7, 1, 2, null, null, 10, 0);
        assertThat(Rtp.transportSequence(none, 0, none.length, 3)).isEqualTo(-1);
        assertThat(Rtp.setTransportSequence(none, 0, none.length, 3, 3, 1)).isFalse();
    }

    @Test
    void shouldReplaceAnExtensionBlockByTheTransportSequenceAlone() {
        byte[] one = RtpTest.packet(96, false, 7, 1, 2, null, hex("BEDE0002 10AA31FF FE000000"), 10, 0);
        byte[] before = one.clone();
        assertThat(Rtp.stampTransportSequence(one, 0, one.length, 3, 0x0A0B)).isTrue();
        assertThat(one).hasSameSizeAs(before);
        assertThat(Rtp.transportSequence(one, 0, one.length, 3)).isEqualTo(0x0A0B);
        assertThat(Rtp.audioLevel(one, 0, one.length, 1)).as("the publisher's other elements are gone").isEqualTo(-1);
        assertThat(java.util.Arrays.copyOfRange(one, 24, one.length)).isEqualTo(java.util.Arrays.copyOfRange(before, 24, before.length));

        byte[] two = RtpTest.packet(96, false, 7, 1, 2, null, hex("10000001 14020304"), 10, 0);
        assertThat(Rtp.stampTransportSequence(two, 0, two.length, 5, 9)).isTrue();
        assertThat(Rtp.transportSequence(two, 0, two.length, 5)).isEqualTo(9);
        assertThat(Rtp.isValid(two, 0, two.length)).isTrue();

        byte[] none = RtpTest.packet(96, false, 7, 1, 2, null, null, 10, 0);
        assertThat(Rtp.stampTransportSequence(none, 0, none.length, 3, 1)).isFalse();
        assertThat(Rtp.stampTransportSequence(one, 0, one.length, 15, 1)).isFalse();
    }
}
