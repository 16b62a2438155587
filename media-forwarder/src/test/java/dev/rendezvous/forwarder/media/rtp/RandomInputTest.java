package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Garbage from the network must never make the parsers throw or loop. */
class RandomInputTest {

    @Test
    void shouldSurviveFiftyThousandRandomDatagramsWithoutThrowingOrLooping() {
        Random random = new Random(20240611L);
        Rtcp.Cursor cursor = new Rtcp.Cursor();
        long sink = 0;
        for (int round = 0; round < 50_000; round++) {
            int len = random.nextInt(1601);
            int off = random.nextInt(8);
            byte[] b = new byte[off + len + random.nextInt(4)];
            random.nextBytes(b);
            if (len > 0 && random.nextBoolean()) { // make it look like version 2 to get past the first check
                b[off] = (byte) ((b[off] & 0x3F) | 0x80);
            }
            if (len > 3 && random.nextInt(4) == 0) { // plausible RTCP type and a short length field
                b[off + 1] = (byte) (192 + random.nextInt(32));
                b[off + 2] = 0;
                b[off + 3] = (byte) random.nextInt(16);
            }
            if (len > 16 && random.nextInt(4) == 0) { // an RTP extension block with a known profile
                b[off] = (byte) (0x90 | (random.nextBoolean() ? 0x20 : 0));
                b[off + 12] = (byte) (random.nextBoolean() ? 0xBE : 0x10);
                b[off + 13] = (byte) (random.nextBoolean() ? 0xDE : 0x00);
                b[off + 14] = 0;
                b[off + 15] = (byte) random.nextInt(8);
            }
            sink += Rtp.isValid(b, off, len) ? 1 : 0;
            sink += Rtp.headerLength(b, off, len);
            sink += Rtp.paddingLength(b, off, len) + Rtp.payloadLength(b, off, len);
            for (int id = 0; id < 16; id++) {
                sink += Rtp.findExtension(b, off, len, id) + Rtp.extensionLength(b, off, len, id);
                sink += Rtp.audioLevel(b, off, len, id) + (Rtp.audioLevelVad(b, off, len, id) ? 1 : 0);
            }
            sink += Rtp.findExtension(b, off, len, 200) + (Rtcp.isRtcp(b, off, len) ? 1 : 0);

            int packets = 0;
            if (cursor.reset(b, off, len)) {
                do {
                    packets++;
                    assertThat(packets).isLessThanOrEqualTo(len / 4 + 1);
                    assertThat(cursor.offset() + cursor.length()).isLessThanOrEqualTo(off + len);
                    sink += everyField(cursor);
                } while (cursor.next());
            }
            sink += everyField(cursor); // after the end too
        }
        assertThat(sink).isNotZero();
    }

    private static long everyField(Rtcp.Cursor c) {
        long s = c.type() + c.fmt() + c.offset() + c.length() + c.bodyLength() + c.senderSsrc() + c.mediaSsrc()
                + c.srNtp() + c.srRtpTimestamp() + c.srPacketCount() + c.srOctetCount() + c.rembBitrate()
                + c.rembSsrcCount() + c.firCount() + c.nackCount() + c.reportBlockCount() + (Rtcp.isRemb(c) ? 1 : 0);
        for (int i = -1; i <= c.reportBlockCount(); i++) {
            s += c.rbSsrc(i) + c.rbFractionLost(i) + c.rbCumulativeLost(i) + c.rbHighestSeq(i) + c.rbJitter(i)
                    + c.rbLsr(i) + c.rbDlsr(i);
        }
        for (int i = -1; i <= c.nackCount(); i++) {
            s += c.nackPid(i) + c.nackBlp(i);
        }
        for (int i = -1; i <= c.firCount(); i++) {
            s += c.firSsrc(i) + c.firSeqNr(i);
        }
        for (int i = -1; i <= c.rembSsrcCount(); i++) {
            s += c.rembSsrc(i);
        }
        return s;
    }
}
