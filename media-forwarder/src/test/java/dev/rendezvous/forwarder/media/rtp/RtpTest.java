package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class RtpTest {

    /** Builds an RTP packet; ext is the whole extension block (profile, length, elements) or null. */
    static byte[] packet(int pt, boolean marker, int seq, long ts, long ssrc, long[] csrcs, byte[] ext,
            int payloadLen, int padding) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int cc = csrcs == null ? 0 : csrcs.length;
        o.write(0x80 | (padding > 0 ? 0x20 : 0) | (ext != null ? 0x10 : 0) | cc);
        o.write((marker ? 0x80 : 0) | pt);
        o.write(seq >>> 8);
        o.write(seq);
        write32(o, ts);
        write32(o, ssrc);
        for (int i = 0; i < cc; i++) {
            write32(o, csrcs[i]);
        }
        if (ext != null) {
            o.write(ext, 0, ext.length);
        }
        for (int i = 0; i < payloadLen; i++) {
            o.write(0xA0 + (i & 0x0F));
        }
        for (int i = 0; i < padding; i++) {
            o.write(i == padding - 1 ? padding : 0);
        }
        return o.toByteArray();
    }

    static void write32(ByteArrayOutputStream o, long v) {
        o.write((int) (v >>> 24));
        o.write((int) (v >>> 16));
        o.write((int) (v >>> 8));
        o.write((int) v);
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** One-byte form: audio level (id 1, vad + 30 dBov), abs-send-time (id 3, 3 bytes), 2 padding octets. */
    static final byte[] ONE_BYTE_EXT = bytes(0xBE, 0xDE, 0x00, 0x02,
            0x10, 0x9E, 0x32, 0x11, 0x22, 0x33, 0x00, 0x00);

    /** Two-byte form: id 1 (1 byte, level 5 without vad), a padding octet, id 20 (empty), id 200 (4 bytes). */
    static final byte[] TWO_BYTE_EXT = bytes(0x10, 0x00, 0x00, 0x03,
            0x01, 0x01, 0x05, 0x00, 20, 0x00, 200, 0x04, 0xDE, 0xAD, 0xBE, 0xEF);

    @Test
    void shouldReadFixedHeaderFields() {
        byte[] p = packet(111, true, 0xFFFE, 0xFFFF_FFF0L, 0x8765_4321L, null, null, 20, 0);
        assertThat(Rtp.isValid(p, 0, p.length)).isTrue();
        assertThat(Rtp.payloadType(p, 0)).isEqualTo(111);
        assertThat(Rtp.marker(p, 0)).isTrue();
        assertThat(Rtp.sequence(p, 0)).isEqualTo(0xFFFE);
        assertThat(Rtp.timestamp(p, 0)).isEqualTo(0xFFFF_FFF0L);
        assertThat(Rtp.ssrc(p, 0)).isEqualTo(0x8765_4321L);
        assertThat(Rtp.headerLength(p, 0, p.length)).isEqualTo(12);
        assertThat(Rtp.payloadLength(p, 0, p.length)).isEqualTo(20);
    }

    @Test
    void shouldCountCsrcsExtensionAndPaddingInLengths() {
        byte[] p = packet(96, false, 1, 2, 3, new long[] {10, 11}, ONE_BYTE_EXT, 30, 4);
        assertThat(Rtp.isValid(p, 0, p.length)).isTrue();
        assertThat(Rtp.headerLength(p, 0, p.length)).isEqualTo(12 + 8 + 12);
        assertThat(Rtp.paddingLength(p, 0, p.length)).isEqualTo(4);
        assertThat(Rtp.payloadLength(p, 0, p.length)).isEqualTo(30);
    }

    @Test
    void shouldReadPacketAtNonZeroOffset() {
        byte[] p = packet(96, false, 77, 2, 3, new long[] {10}, TWO_BYTE_EXT, 5, 0);
        byte[] buf = new byte[p.length + 40];
        System.arraycopy(p, 0, buf, 17, p.length);
        assertThat(Rtp.isValid(buf, 17, p.length)).isTrue();
        assertThat(Rtp.sequence(buf, 17)).isEqualTo(77);
        assertThat(Rtp.extensionLength(buf, 17, p.length, 200)).isEqualTo(4);
        assertThat(Rtp.findExtension(buf, 17, p.length, 200)).isEqualTo(17 + 12 + 4 + 4 + 8);
    }

    @Test
    void shouldFindOneByteExtensionElementsAndAudioLevel() {
        byte[] p = packet(111, false, 1, 2, 3, new long[] {10}, ONE_BYTE_EXT, 10, 0);
        int ext = 12 + 4 + 4;
        assertThat(Rtp.findExtension(p, 0, p.length, 1)).isEqualTo(ext + 1);
        assertThat(Rtp.extensionLength(p, 0, p.length, 1)).isEqualTo(1);
        assertThat(Rtp.audioLevel(p, 0, p.length, 1)).isEqualTo(30);
        assertThat(Rtp.audioLevelVad(p, 0, p.length, 1)).isTrue();
        assertThat(Rtp.findExtension(p, 0, p.length, 3)).isEqualTo(ext + 3);
        assertThat(Rtp.extensionLength(p, 0, p.length, 3)).isEqualTo(3);
        assertThat(p[Rtp.findExtension(p, 0, p.length, 3)]).isEqualTo((byte) 0x11);
        assertThat(Rtp.findExtension(p, 0, p.length, 2)).isEqualTo(-1);
        assertThat(Rtp.extensionLength(p, 0, p.length, 2)).isEqualTo(-1);
        assertThat(Rtp.audioLevel(p, 0, p.length, 3)).isEqualTo(0x11);
        assertThat(Rtp.findExtension(p, 0, p.length, 15)).isEqualTo(-1);
    }

    @Test
    void shouldFindTwoByteExtensionElementsSkippingPadding() {
        byte[] p = packet(111, false, 1, 2, 3, null, TWO_BYTE_EXT, 10, 0);
        assertThat(Rtp.audioLevel(p, 0, p.length, 1)).isEqualTo(5);
        assertThat(Rtp.audioLevelVad(p, 0, p.length, 1)).isFalse();
        assertThat(Rtp.extensionLength(p, 0, p.length, 20)).isZero();
        assertThat(Rtp.findExtension(p, 0, p.length, 20)).isEqualTo(12 + 4 + 6);
        assertThat(Rtp.audioLevel(p, 0, p.length, 20)).isEqualTo(-1);
        assertThat(Rtp.extensionLength(p, 0, p.length, 200)).isEqualTo(4);
        assertThat(p[Rtp.findExtension(p, 0, p.length, 200) + 3]).isEqualTo((byte) 0xEF);
        assertThat(Rtp.findExtension(p, 0, p.length, 7)).isEqualTo(-1);
    }

    @Test
    void shouldReportNoExtensionWithoutExtensionBlockOrWithUnknownProfile() {
        byte[] plain = packet(111, false, 1, 2, 3, null, null, 10, 0);
        assertThat(Rtp.findExtension(plain, 0, plain.length, 1)).isEqualTo(-1);
        assertThat(Rtp.audioLevel(plain, 0, plain.length, 1)).isEqualTo(-1);
        byte[] other = packet(111, false, 1, 2, 3, null, bytes(0x12, 0x34, 0x00, 0x01, 0x10, 0x9E, 0, 0), 10, 0);
        assertThat(Rtp.isValid(other, 0, other.length)).isTrue();
        assertThat(Rtp.findExtension(other, 0, other.length, 1)).isEqualTo(-1);
    }

    @Test
    void shouldStopAtOneByteElementOverrunningTheBlock() {
        byte[] p = packet(111, false, 1, 2, 3, null, bytes(0xBE, 0xDE, 0x00, 0x01, 0x10, 0x9E, 0x2F, 0x00), 0, 0);
        assertThat(Rtp.audioLevel(p, 0, p.length, 1)).isEqualTo(30);
        assertThat(Rtp.findExtension(p, 0, p.length, 2)).isEqualTo(-1);
    }

    @Test
    void shouldRejectMalformedPackets() {
        byte[] ok = packet(96, false, 1, 2, 3, new long[] {1, 2}, ONE_BYTE_EXT, 0, 0);
        assertThat(Rtp.isValid(ok, 0, ok.length)).isTrue();
        assertThat(Rtp.isValid(ok, 0, ok.length - 1)).as("extension block cut").isFalse();
        assertThat(Rtp.headerLength(ok, 0, ok.length - 1)).isEqualTo(-1);
        assertThat(Rtp.isValid(ok, 0, 19)).as("CSRCs cut").isFalse();
        assertThat(Rtp.isValid(ok, 0, 11)).isFalse();
        assertThat(Rtp.isValid(new byte[0], 0, 0)).isFalse();
        assertThat(Rtp.isValid(ok, 5, ok.length)).as("beyond the array").isFalse();
        assertThat(Rtp.isValid(null, 0, 12)).isFalse();

        byte[] v1 = ok.clone();
        v1[0] = (byte) ((v1[0] & 0x3F) | 0x40);
        assertThat(Rtp.isValid(v1, 0, v1.length)).isFalse();

        byte[] hugeExt = ok.clone();
        hugeExt[20 + 2] = 0x7F;
        assertThat(Rtp.isValid(hugeExt, 0, hugeExt.length)).isFalse();
        assertThat(Rtp.findExtension(hugeExt, 0, hugeExt.length, 1)).isEqualTo(-1);

        byte[] padded = packet(96, false, 1, 2, 3, null, null, 4, 3);
        assertThat(Rtp.isValid(padded, 0, padded.length)).isTrue();
        byte[] zeroPad = padded.clone();
        zeroPad[zeroPad.length - 1] = 0;
        assertThat(Rtp.isValid(zeroPad, 0, zeroPad.length)).isFalse();
        byte[] tooMuchPad = padded.clone();
        tooMuchPad[tooMuchPad.length - 1] = 8;
        assertThat(Rtp.isValid(tooMuchPad, 0, tooMuchPad.length)).isFalse();
        byte[] allPayloadPad = padded.clone();
        allPayloadPad[allPayloadPad.length - 1] = 7;
        assertThat(Rtp.isValid(allPayloadPad, 0, allPayloadPad.length)).isTrue();
        assertThat(Rtp.payloadLength(allPayloadPad, 0, allPayloadPad.length)).isZero();
    }

    @Test
    void shouldRewriteSequenceTimestampSsrcAndMarkerInPlace() {
        byte[] p = packet(96, false, 1, 2, 3, null, null, 8, 0);
        Rtp.setSequence(p, 0, 0x1_2345);
        Rtp.setTimestamp(p, 0, 0x1_F000_0001L);
        Rtp.setSsrc(p, 0, 0xFFFF_FFFFL);
        Rtp.setMarker(p, 0, true);
        Rtp.setPayloadType(p, 0, 100);
        assertThat(Rtp.sequence(p, 0)).isEqualTo(0x2345);
        assertThat(Rtp.timestamp(p, 0)).isEqualTo(0xF000_0001L);
        assertThat(Rtp.ssrc(p, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(Rtp.marker(p, 0)).isTrue();
        assertThat(Rtp.payloadType(p, 0)).isEqualTo(100);
        assertThat(Rtp.isValid(p, 0, p.length)).isTrue();
    }
}
