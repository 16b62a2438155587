package dev.rendezvous.recorder.rtp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    private final List<String> frames = new ArrayList<>();
    private final Toy d = new Toy();

    /**
     * A codec of one-letter payloads whose frames are told apart by their timestamp: 'K' starts a keyframe, 'D'
     * another frame, '.' continues one.
     */
    private final class Toy extends FrameAssembler {

        private boolean keyframe;

        Toy() {
            super((ts, key, f, len, w, h) -> frames.add(ts + (key ? "K" : "") + ":" + new String(f, 0, len, US_ASCII)));
        }

        @Override
        public void push(byte[] b, int off, int len, long rtpTimestamp, boolean marker, boolean lostBefore) {
            if (newFrame(rtpTimestamp, lostBefore)) {
                open(rtpTimestamp, b[off] != '.', lostBefore);
                keyframe = b[off] == 'K';
            }
            frame.append(b, off, len);
            if (marker) {
                assembling = false;
                if (broken) {
                    drop();
                } else if (decodable(keyframe)) {
                    emit(keyframe, frame.bytes(), frame.length(), 0, 0);
                }
            }
        }
    }

    @Test
    void joinsAFramesPacketsAndStartsOnAKeyframe() {
        push("D", 100, true, false); // no reference yet
        push("K", 200, false, false);
        push(".", 200, true, false);
        push("D", 300, true, false);
        assertThat(frames).containsExactly("200K:K.", "300:D");
        assertThat(d.framesOut()).isEqualTo(2);
        assertThat(d.framesDropped()).isEqualTo(1);
        assertThat(d.needsKeyframe()).isFalse();
    }

    @Test
    void aLossInsideOrBetweenFramesWaitsForTheNextKeyframe() {
        push("K", 100, true, false);
        push("D", 200, false, false);
        push(".", 200, true, true); // lost a middle packet
        push("D", 300, true, false); // references the broken frame
        assertThat(d.needsKeyframe()).isTrue();
        push("K", 400, true, true); // a whole frame lost before it; a keyframe resumes
        push("D", 500, true, false);
        assertThat(frames).containsExactly("100K:K", "400K:K", "500:D");
        assertThat(d.framesDropped()).isEqualTo(3);
    }

    @Test
    void aFrameWithoutItsMarkerOrItsStartIsDropped() {
        push("K", 100, false, false); // its marker never comes
        push("K", 200, true, false);
        push(".", 300, true, false); // its start was lost
        assertThat(frames).containsExactly("200K:K");
        assertThat(d.framesDropped()).isEqualTo(2);
        assertThat(d.needsKeyframe()).isTrue();
    }

    private void push(String payload, long ts, boolean marker, boolean lostBefore) {
        byte[] p = payload.getBytes(US_ASCII);
        d.push(p, 0, p.length, ts, marker, lostBefore);
    }
}
