package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketCacheTest {

    private final PacketCache cache = new PacketCache(8, 100);
    private final byte[] dst = new byte[200];

    private static byte[] packet(int seq, int len) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) seq);
        return b;
    }

    @Test
    void shouldReturnPacketAfterPut() {
        byte[] src = new byte[60];
        byte[] p = packet(7, 40);
        System.arraycopy(p, 0, src, 10, 40);
        cache.put(7, src, 10, 40);
        assertThat(cache.get(7, dst, 5)).isEqualTo(40);
        assertThat(Arrays.copyOfRange(dst, 5, 45)).isEqualTo(p);
        assertThat(cache.contains(7)).isTrue();
    }

    @Test
    void shouldReturnMinusOneForNeverSeenPacket() {
        assertThat(cache.get(0, dst, 0)).isEqualTo(-1);
        cache.put(1, packet(1, 10), 0, 10);
        assertThat(cache.get(2, dst, 0)).isEqualTo(-1);
    }

    @Test
    void shouldReturnMinusOneForOverwrittenSlot() {
        cache.put(1, packet(1, 10), 0, 10);
        cache.put(9, packet(9, 20), 0, 20);
        assertThat(cache.get(1, dst, 0)).isEqualTo(-1);
        assertThat(cache.get(9, dst, 0)).isEqualTo(20);
        assertThat(dst[19]).isEqualTo((byte) 9);
    }

    @Test
    void shouldKeepPacketsAcrossSequenceWrapAround() {
        for (int seq = 65532; seq < 65536 + 4; seq++) {
            cache.put(seq & 0xFFFF, packet(seq, 10 + (seq & 3)), 0, 10 + (seq & 3));
        }
        for (int seq = 65532; seq < 65536 + 4; seq++) {
            assertThat(cache.get(seq & 0xFFFF, dst, 0)).isEqualTo(10 + (seq & 3));
            assertThat(dst[0]).isEqualTo((byte) seq);
        }
    }

    @Test
    void shouldIgnoreTooLargePacketAndRefuseTooSmallDestination() {
        cache.put(3, new byte[101], 0, 101);
        assertThat(cache.get(3, dst, 0)).isEqualTo(-1);
        cache.put(4, packet(4, 100), 0, 100);
        assertThat(cache.get(4, new byte[99], 0)).isEqualTo(-1);
        assertThat(cache.get(4, dst, 150)).isEqualTo(-1);
        assertThat(cache.get(4, dst, 100)).isEqualTo(100);
    }

    @Test
    void shouldForgetEverythingOnClear() {
        cache.put(4, packet(4, 10), 0, 10);
        cache.clear();
        assertThat(cache.get(4, dst, 0)).isEqualTo(-1);
    }

    @Test
    void shouldRequirePowerOfTwoSlots() {
        assertThatThrownBy(() -> new PacketCache(500, 1500)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PacketCache(512, 1500).slots()).isEqualTo(512);
    }
}
