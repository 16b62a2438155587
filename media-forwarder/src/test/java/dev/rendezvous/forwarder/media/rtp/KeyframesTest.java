package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.rtp.Keyframes.Codec;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyframesTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static boolean key(Codec c, byte[] payload) {
        // at an offset inside a larger buffer, as in the packet path
        byte[] buf = new byte[payload.length + 12];
        System.arraycopy(payload, 0, buf, 12, payload.length);
        return Keyframes.isKeyframeStart(c, buf, 12, payload.length);
    }

    @Test
    void shouldResolveCodecFamiliesFromSdpNames() {
        assertThat(Codec.of("VP8")).isEqualTo(Codec.VP8);
        assertThat(Codec.of("vp9")).isEqualTo(Codec.VP9);
        assertThat(Codec.of("H264")).isEqualTo(Codec.H264);
        assertThat(Codec.of("opus")).isEqualTo(Codec.OTHER);
        assertThat(Codec.of(null)).isEqualTo(Codec.OTHER);
    }

    @Test
    void shouldFindVp8KeyframesWithAndWithoutTheExtendedDescriptor() {
        // S=1, PID=0, no extension; VP8 header P bit 0 = key frame
        assertThat(key(Codec.VP8, bytes(0x10, 0x50, 0x2a, 0x01))).isTrue();
        assertThat(key(Codec.VP8, bytes(0x10, 0x51, 0x2a, 0x01))).as("P=1: interframe").isFalse();
        // X=1, I=1 with a 15-bit picture id (M=1), L=1, T=1 (as Chromium sends), then a key frame header
        assertThat(key(Codec.VP8, bytes(0x90, 0xE0, 0x81, 0x23, 0x05, 0x20, 0x50, 0x2a))).isTrue();
        assertThat(key(Codec.VP8, bytes(0x90, 0xE0, 0x81, 0x23, 0x05, 0x20, 0x51, 0x2a))).isFalse();
        // X=1, I=1 with a 7-bit picture id
        assertThat(key(Codec.VP8, bytes(0x90, 0x80, 0x12, 0x50))).isTrue();
        // not the start of a frame (S=0), or not partition 0
        assertThat(key(Codec.VP8, bytes(0x00, 0x50))).isFalse();
        assertThat(key(Codec.VP8, bytes(0x11, 0x50))).isFalse();
        // truncated descriptor
        assertThat(key(Codec.VP8, bytes(0x90, 0xE0, 0x81))).isFalse();
        assertThat(key(Codec.VP8, bytes(0x90))).isFalse();
    }

    private static int width(byte[] payload) {
        byte[] buf = new byte[payload.length + 12];
        System.arraycopy(payload, 0, buf, 12, payload.length);
        return Keyframes.vp8Width(buf, 12, payload.length);
    }

    @Test
    void shouldReadTheWidthAVp8KeyframeDeclares() {
        // descriptor, frame tag (3 bytes, P=0), start code 9d 01 2a, width 1280 (0x0500) and height 720, little endian
        assertThat(width(bytes(0x10, 0x50, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02))).isEqualTo(1280);
        // the top two bits of the width field are the horizontal scale, not the width
        assertThat(width(bytes(0x10, 0x50, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x41, 0xb4, 0x00))).isEqualTo(320);
        // behind Chromium's extended descriptor
        assertThat(width(bytes(0x90, 0xE0, 0x81, 0x23, 0x05, 0x20, 0x50, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01)))
                .isEqualTo(640);
        assertThat(width(bytes(0x10, 0x51, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02))).as("interframe").isEqualTo(-1);
        assertThat(width(bytes(0x10, 0x50, 0x00, 0x00, 0x9d, 0x01, 0x2b, 0x00, 0x05, 0xd0, 0x02))).as("no start code").isEqualTo(-1);
        assertThat(width(bytes(0x10, 0x50, 0x00, 0x00, 0x9d, 0x01, 0x2a, 0x00))).as("truncated").isEqualTo(-1);
        assertThat(Keyframes.vp8Width(null, 0, 4)).isEqualTo(-1);
        assertThat(Keyframes.vp8Width(new byte[4], 2, 5)).isEqualTo(-1);
        Random random = new Random(11);
        byte[] buf = new byte[32];
        for (int i = 0; i < 20_000; i++) {
            random.nextBytes(buf);
            int off = random.nextInt(buf.length);
            Keyframes.vp8Width(buf, off, random.nextInt(buf.length - off + 1)); // must not throw
        }
    }

    @Test
    void shouldFindVp9KeyframesByTheirPredictedAndBeginBits() {
        assertThat(key(Codec.VP9, bytes(0x88, 0x80, 0x01))).as("I=1, P=0, B=1").isTrue();
        assertThat(key(Codec.VP9, bytes(0xC8, 0x80, 0x01))).as("P=1").isFalse();
        assertThat(key(Codec.VP9, bytes(0x84, 0x80, 0x01))).as("B=0: a later packet of the frame").isFalse();
    }

    @Test
    void shouldFindH264IdrAndSpsAloneInStapAAndAtTheStartOfAFuA() {
        assertThat(key(Codec.H264, bytes(0x67, 0x42, 0xe0))).as("SPS").isTrue();
        assertThat(key(Codec.H264, bytes(0x65, 0x88))).as("IDR slice").isTrue();
        assertThat(key(Codec.H264, bytes(0x41, 0x9a))).as("non-IDR slice").isFalse();
        // STAP-A: SEI (6) then SPS (7)
        assertThat(key(Codec.H264, bytes(0x18, 0x00, 0x02, 0x06, 0x05, 0x00, 0x03, 0x67, 0x42, 0xe0))).isTrue();
        assertThat(key(Codec.H264, bytes(0x18, 0x00, 0x02, 0x06, 0x05, 0x00, 0x02, 0x41, 0x9a))).isFalse();
        assertThat(key(Codec.H264, bytes(0x18, 0x00, 0x09, 0x67))).as("size beyond the payload").isFalse();
        // FU-A of an IDR: start, then a middle fragment
        assertThat(key(Codec.H264, bytes(0x7c, 0x85, 0x88))).isTrue();
        assertThat(key(Codec.H264, bytes(0x7c, 0x05, 0x88))).isFalse();
        assertThat(key(Codec.H264, bytes(0x7c))).isFalse();
    }

    @Test
    void shouldNeverThrowOnGarbageOrBadRanges() {
        assertThat(Keyframes.isKeyframeStart(Codec.VP8, null, 0, 1)).isFalse();
        assertThat(Keyframes.isKeyframeStart(Codec.VP8, new byte[4], 3, 5)).isFalse();
        assertThat(Keyframes.isKeyframeStart(Codec.H264, new byte[4], -1, 2)).isFalse();
        assertThat(Keyframes.isKeyframeStart(Codec.OTHER, bytes(0x10, 0x50), 0, 2)).isFalse();
        Random random = new Random(7);
        byte[] buf = new byte[64];
        for (int i = 0; i < 50_000; i++) {
            random.nextBytes(buf);
            int off = random.nextInt(buf.length);
            int len = random.nextInt(buf.length - off + 1);
            for (Codec c : Codec.values()) {
                Keyframes.isKeyframeStart(c, buf, off, len); // must not throw
            }
        }
    }
}
