package dev.rendezvous.recorder.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Vp8DepacketizerTest {

    private final List<String> frames = new ArrayList<>();
    private final Vp8Depacketizer d = new Vp8Depacketizer((ts, key, f, len, w, h) ->
            frames.add(ts + (key ? "K" : "") + ":" + new String(f, 0, len)));

    @Test
    void descriptorLengthsFollowTheExtensionBits() {
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {0x10, 0}, 0, 2)).isEqualTo(1);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90, (byte) 0x80, 0x05, 0}, 0, 4)).isEqualTo(3);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x85, 1, 0}, 0, 5)).isEqualTo(4);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90, (byte) 0xF0, (byte) 0x85, 1, 2, 3, 0}, 0, 7)).isEqualTo(6);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90}, 0, 1)).isEqualTo(-1);
        assertThat(Vp8Depacketizer.descriptorLength(new byte[] {(byte) 0x90, (byte) 0x80, (byte) 0x85}, 0, 3)).isEqualTo(-1);
    }

    @Test
    void joinsAFramesPacketsAndStartsOnAKeyframe() {
        push(true, "\u0001delta", 100, true, false); // a delta frame first: dropped, no reference yet
        push(true, "\u0000ke", 200, false, false);
        push(false, "y", 200, true, false);
        push(true, "\u0001d", 300, true, false);
        assertThat(frames).containsExactly("200K:\u0000key", "300:\u0001d");
        assertThat(d.framesDropped()).isEqualTo(1);
        assertThat(d.needsKeyframe()).isFalse();
    }

    @Test
    void aLossInsideOrBetweenFramesWaitsForTheNextKeyframe() {
        push(true, "\u0000k", 100, true, false);
        push(true, "\u0001a", 200, false, false);
        push(false, "b", 200, true, true); // lost a middle packet
        push(true, "\u0001c", 300, true, false); // references the broken frame
        assertThat(d.needsKeyframe()).isTrue();
        push(true, "\u0000K", 400, true, true); // a whole frame lost before it; a keyframe resumes
        push(true, "\u0001e", 500, true, false);
        assertThat(frames).containsExactly("100K:\u0000k", "400K:\u0000K", "500:\u0001e");
        assertThat(d.framesDropped()).isEqualTo(3);
    }

    @Test
    void truncatedOrEmptyPayloadsBreakTheFrameInsteadOfThrowing() {
        push(true, "\u0000k", 100, false, false);
        d.push(new byte[] {(byte) 0x90}, 0, 1, 100, false, false);
        d.push(new byte[0], 0, 0, 100, true, false);
        push(true, "\u0000j", 200, true, false);
        assertThat(frames).containsExactly("200K:\u0000j");
    }

    private void push(boolean start, String data, long ts, boolean marker, boolean lostBefore) {
        byte[] p = new byte[1 + data.length()];
        p[0] = (byte) (start ? 0x10 : 0x00);
        for (int i = 0; i < data.length(); i++) {
            p[1 + i] = (byte) data.charAt(i);
        }
        d.push(p, 0, p.length, ts, marker, lostBefore);
    }
}
