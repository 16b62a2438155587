package dev.rendezvous.webrtc.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The VP8 payloads we send, as the forwarder's keyframe detection reads them. */
class Vp8PacketizerTest {

    private record Packet(byte[] payload, boolean last) {}

    private static List<Packet> packetize(boolean keyframe, int frameBytes) {
        List<Packet> out = new ArrayList<>();
        new Vp8Packetizer(640, 480).packetize(keyframe, 300, frameBytes, 1188, new byte[1500], 12, 123456789L, 42,
                (b, off, len, last) -> out.add(new Packet(Arrays.copyOfRange(b, off, off + len), last)));
        return out;
    }

    @Test
    void shouldStartAKeyframeTheForwarderRecognisesAndSplitItIntoMarkedPackets() {
        List<Packet> packets = packetize(true, 5000);

        assertThat(packets).hasSize(5);
        assertThat(packets).allMatch(p -> p.payload().length <= 1188);
        assertThat(Keyframes.isKeyframeStart(Keyframes.Codec.VP8, packets.get(0).payload(), 0,
                packets.get(0).payload().length)).isTrue();
        for (Packet p : packets.subList(1, packets.size())) {
            assertThat(Keyframes.isKeyframeStart(Keyframes.Codec.VP8, p.payload(), 0, p.payload().length)).isFalse();
        }
        assertThat(packets.stream().filter(Packet::last)).hasSize(1);
        assertThat(packets.get(packets.size() - 1).last()).isTrue();
        byte[] first = packets.get(0).payload();
        assertThat(first[7] & 0xFF).as("VP8 start code").isEqualTo(0x9D);
        assertThat((first[10] & 0xFF) | (first[11] & 0x3F) << 8).as("width").isEqualTo(640);
    }

    @Test
    void shouldNotMarkADeltaFrameAsAKeyframe() {
        List<Packet> packets = packetize(false, 1000);
        assertThat(packets).hasSize(1);
        assertThat(Keyframes.isKeyframeStart(Keyframes.Codec.VP8, packets.get(0).payload(), 0,
                packets.get(0).payload().length)).isFalse();
        assertThat(packets.get(0).payload()[0] & 0x10).as("S bit: the frame starts here").isNotZero();
    }

    @Test
    void shouldStampEveryPayloadWithSendTimeAndSender() {
        for (Packet p : packetize(true, 3000)) {
            assertThat(PayloadStamp.sendNanos(p.payload(), p.payload().length)).isEqualTo(123456789L);
            assertThat(PayloadStamp.senderId(p.payload(), p.payload().length)).isEqualTo(42);
        }
    }
}
