package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 4588 wrapping and unwrapping, in place. */
class RtxTest {

    /** One one-byte-form element (id 3, two bytes) and two octets of padding: one word after 0xBEDE/length. */
    private static final byte[] EXT = {(byte) 0xBE, (byte) 0xDE, 0, 1, 0x31, 0x12, 0x34, 0};

    private static byte[] inBuffer(byte[] packet, int capacity) {
        return Arrays.copyOf(packet, capacity);
    }

    @Test
    void shouldWrapThePacketWithItsSequenceNumberBeforeThePayloadAndUnwrapItBackByteForByte() {
        byte[] original = RtpTest.packet(96, true, 40_000, 123_456L, 0xCAFEBABEL, new long[] {7}, EXT, 50, 0);
        byte[] b = inBuffer(original, 1500);

        int n = Rtx.wrap(b, 0, original.length, 97, 0x11223344L, 65_535);

        assertThat(n).isEqualTo(original.length + 2);
        assertThat(Rtp.isValid(b, 0, n)).isTrue();
        assertThat(Rtp.payloadType(b, 0)).isEqualTo(97);
        assertThat(Rtp.marker(b, 0)).as("the original's marker stays").isTrue();
        assertThat(Rtp.ssrc(b, 0)).isEqualTo(0x11223344L);
        assertThat(Rtp.sequence(b, 0)).isEqualTo(65_535);
        assertThat(Rtp.timestamp(b, 0)).as("the original's timestamp").isEqualTo(123_456L);
        assertThat(Rtx.originalSequence(b, 0, n)).isEqualTo(40_000);
        int header = Rtp.headerLength(b, 0, n);
        assertThat(header).isEqualTo(Rtp.headerLength(original, 0, original.length)).isEqualTo(12 + 4 + 8);
        assertThat(Arrays.copyOfRange(b, header + 2, n))
                .isEqualTo(Arrays.copyOfRange(original, header, original.length));
        assertThat(Rtp.findExtension(b, 0, n, 3)).as("the extension block is kept").isEqualTo(12 + 4 + 4 + 1);

        int back = Rtx.unwrap(b, 0, n, 96, 0xCAFEBABEL);

        assertThat(back).isEqualTo(original.length);
        assertThat(Arrays.copyOf(b, back)).isEqualTo(original);
    }

    @Test
    void shouldKeepPaddingValidAndTellPaddingOnlyPacketsApart() {
        byte[] padded = RtpTest.packet(96, false, 10, 1L, 5L, null, null, 20, 4);
        byte[] b = inBuffer(padded, 1500);
        int n = Rtx.wrap(b, 0, padded.length, 97, 6L, 1);
        assertThat(Rtp.isValid(b, 0, n)).isTrue();
        assertThat(Rtp.paddingLength(b, 0, n)).isEqualTo(4);
        assertThat(Rtp.payloadLength(b, 0, n)).isEqualTo(22);
        assertThat(Rtx.isPadding(b, 0, n)).isFalse();
        assertThat(Rtx.unwrap(b, 0, n, 96, 5L)).isEqualTo(padded.length);
        assertThat(Arrays.copyOf(b, padded.length)).isEqualTo(padded);

        byte[] probe = RtpTest.packet(97, false, 11, 1L, 6L, null, null, 0, 224);
        assertThat(Rtx.isPadding(probe, 0, probe.length)).isTrue();
        assertThat(Rtx.unwrap(probe, 0, probe.length, 96, 5L)).as("no OSN to read").isEqualTo(-1);
        byte[] empty = RtpTest.packet(97, false, 12, 1L, 6L, null, null, 0, 0);
        assertThat(Rtx.isPadding(empty, 0, empty.length)).isTrue();
    }

    @Test
    void shouldRefuseWhatItCannotWrapOrUnwrapAndLeaveItUnchanged() {
        byte[] oneByte = RtpTest.packet(97, false, 12, 1L, 6L, null, null, 1, 0);
        byte[] copy = oneByte.clone();
        assertThat(Rtx.unwrap(oneByte, 0, oneByte.length, 96, 5L)).isEqualTo(-1);
        assertThat(oneByte).isEqualTo(copy);

        byte[] full = RtpTest.packet(96, false, 12, 1L, 6L, null, null, 30, 0);
        assertThat(Rtx.wrap(full, 0, full.length, 97, 6L, 1)).as("no room for two more bytes").isEqualTo(-1);
        byte[] garbage = new byte[40];
        assertThat(Rtx.wrap(garbage, 0, 20, 97, 6L, 1)).isEqualTo(-1);
        assertThat(Rtx.unwrap(garbage, 0, 20, 96, 6L)).isEqualTo(-1);
    }
}
