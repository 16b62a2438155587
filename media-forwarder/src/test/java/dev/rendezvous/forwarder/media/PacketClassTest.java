package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketClassTest {

    private static PacketClass of(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return PacketClass.of(b, 0, b.length);
    }

    @Test
    void shouldClassifyByFirstBytesAsRfc7983Says() {
        assertThat(of(0x00, 0x01)).isEqualTo(PacketClass.STUN);
        assertThat(of(0x03, 0x00)).isEqualTo(PacketClass.STUN);
        assertThat(of(22, 0xFE)).isEqualTo(PacketClass.DTLS);
        assertThat(of(0x80, 111)).isEqualTo(PacketClass.RTP);
        assertThat(of(0x80, 0x80 | 96)).isEqualTo(PacketClass.RTP); // marker bit + PT 96
        assertThat(of(0x81, 200)).isEqualTo(PacketClass.RTCP); // sender report
        assertThat(of(0x81, 205)).isEqualTo(PacketClass.RTCP); // transport feedback (NACK)
    }

    @Test
    void shouldCallGarbageUnknownWithoutThrowing() {
        assertThat(of()).isEqualTo(PacketClass.UNKNOWN);
        assertThat(of(0x80)).isEqualTo(PacketClass.UNKNOWN);
        assertThat(of(10)).isEqualTo(PacketClass.UNKNOWN);
        assertThat(of(64)).isEqualTo(PacketClass.UNKNOWN);
        assertThat(of(0xFF, 0xFF)).isEqualTo(PacketClass.UNKNOWN);
    }
}
