package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpeakerTrackerTest {

    private static final int RATE = AudioMix.RATE;
    private final SpeakerTracker tracker = new SpeakerTracker();

    /** {@code seconds} of cell {@code cell} from {@code fromSec} at amplitude {@code level} (a square wave). */
    private void sound(int cell, double fromSec, double seconds, float level) {
        int n = (int) (seconds * RATE);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = i % 2 == 0 ? level : -level;
        }
        tracker.add(cell, Math.round(fromSec * RATE), s, n);
    }

    @Test
    void theLoudVoiceSpeaksAndNoiseBelowTheFloorDoesNot() {
        sound(0, 0, 3, 0.005f);   // −46 dBFS: room noise
        sound(1, 0, 3, 0.1f);
        assertThat(tracker.speakerAt(0.0, List.of(0, 1))).as("nothing counted before the frame").isEqualTo(-1);
        assertThat(tracker.speakerAt(0.5, List.of(0, 1))).isEqualTo(1);
        assertThat(tracker.speakerAt(2.0, List.of(0, 1))).isEqualTo(1);

        SpeakerTracker quiet = new SpeakerTracker();
        float[] noise = new float[RATE];
        java.util.Arrays.fill(noise, 0.005f);
        quiet.add(0, 0, noise, noise.length);
        assertThat(quiet.speakerAt(0.9, List.of(0))).isEqualTo(-1);
    }

    @Test
    void aNewVoiceTakesOverOnlyAfterTheHoldAndSilenceClearsTheSpeaker() {
        sound(0, 0, 2, 0.1f);
        sound(1, 0.3, 6, 0.2f);   // louder from 0.3 s on, while 0 still talks
        assertThat(tracker.speakerAt(0.2, List.of(0, 1))).isEqualTo(0);
        assertThat(tracker.speakerAt(1.0, List.of(0, 1))).as("held: 0 became the speaker at 0.2 s").isEqualTo(0);
        assertThat(tracker.speakerAt(1.8, List.of(0, 1))).as("the hold has passed").isEqualTo(1);
        // 1 falls silent at 6.3 s; its voice leaves the one-second window by 7.3 s
        assertThat(tracker.speakerAt(7.0, List.of(0, 1))).isEqualTo(1);
        assertThat(tracker.speakerAt(7.5, List.of(0, 1))).isEqualTo(-1);
    }

    @Test
    void aSpeakerWhoLeavesTheCompositeIsNoLongerTheSpeaker() {
        sound(0, 0, 3, 0.1f);
        sound(1, 0, 3, 0.05f);
        assertThat(tracker.speakerAt(0.5, List.of(0, 1))).isEqualTo(0);
        assertThat(tracker.speakerAt(0.6, List.of(1))).as("0 left: the next voice at once").isEqualTo(1);
    }

    @Test
    void aLongRecordingFedALittleAheadAsTheRendererDoesFollowsTheVoicesAndAudioBeforeTimeZeroIsIgnored() {
        tracker.add(0, -9_600, new float[4_800], 4_800);   // an Opus file's pre-skip before time 0: no crash, no count
        int[] expected = new int[60];
        for (int second = 0; second < 60; second++) {
            int talker = (second / 10) % 2;   // 0 for ten seconds, then 1, and so on
            expected[second] = talker;
            for (int half = 0; half < 2; half++) {
                double from = second + half * 0.5;
                sound(talker, from, 0.5, 0.1f);
                sound(1 - talker, from, 0.5, 0.002f);
            }
            if (second >= 3 && second % 10 >= 3) {
                assertThat(tracker.speakerAt(second + 0.2, List.of(0, 1))).as("at %d s", second).isEqualTo(talker);
            }
        }
    }
}
