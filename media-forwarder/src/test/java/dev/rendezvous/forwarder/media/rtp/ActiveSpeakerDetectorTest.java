package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActiveSpeakerDetectorTest {

    private static final long MS = 1_000_000L;
    private static final long PTIME = 20 * MS;
    private final ActiveSpeakerDetector detector =
            new ActiveSpeakerDetector(Duration.ofSeconds(1), Duration.ofMillis(1500));

    /** Feeds 20 ms packets of the given levels (-1 = not sending) from 'from' to 'to' ms, deciding every 100 ms. */
    private String run(long fromMs, long toMs, int levelA, int levelB, StringBuilder decisions) {
        String last = null;
        for (long t = fromMs * MS; t < toMs * MS; t += PTIME) {
            if (levelA >= 0) {
                detector.onLevel("alice", levelA, levelA < 127, t);
            }
            if (levelB >= 0) {
                detector.onLevel("bob", levelB, levelB < 127, t);
            }
            if ((t / PTIME) % 5 == 4) {
                last = detector.decide(t);
                if (decisions != null) {
                    decisions.append(last).append(' ');
                }
            }
        }
        return last;
    }

    @Test
    void shouldReturnNullWhenNobodySpoke() {
        assertThat(detector.decide(0)).isNull();
        assertThat(run(0, 2000, 127, 127, null)).isNull();
    }

    @Test
    void shouldPickTheLoudSpeaker() {
        assertThat(run(0, 1000, 30, 127, null)).isEqualTo("alice");
        ActiveSpeakerDetector other = new ActiveSpeakerDetector(Duration.ofSeconds(1), Duration.ofMillis(1500));
        for (long t = 0; t < 1000 * MS; t += PTIME) {
            other.onLevel("alice", 75, false, t); // background noise without voice activity
            other.onLevel("bob", 25, true, t);
        }
        assertThat(other.decide(1000 * MS)).isEqualTo("bob");
    }

    @Test
    void shouldKeepSpeakerThroughBriefLouderBlip() {
        assertThat(run(0, 2000, 40, 127, null)).isEqualTo("alice");
        StringBuilder decisions = new StringBuilder();
        run(2000, 2600, 127, 5, decisions); // alice pauses, bob shouts for 600 ms
        run(2600, 5000, 40, 127, decisions); // alice carries on
        assertThat(decisions.toString().trim().split(" ")).containsOnly("alice");
    }

    @Test
    void shouldSwitchWhenAnotherIsClearlyLouderForMinHold() {
        assertThat(run(0, 2000, 70, 127, null)).isEqualTo("alice");
        StringBuilder decisions = new StringBuilder();
        run(2000, 3000, 70, 5, decisions); // both talk, bob much louder
        assertThat(decisions.toString()).doesNotContain("bob");
        assertThat(run(3000, 6000, 70, 5, null)).isEqualTo("bob");
    }

    @Test
    void shouldHandOverWhenTheSpeakerFallsSilent() {
        assertThat(run(0, 2000, 30, 127, null)).isEqualTo("alice");
        assertThat(run(2000, 3500, -1, 40, null)).isEqualTo("bob");
    }

    @Test
    void shouldReturnNullOnceEveryoneWasSilentForTheWindow() {
        assertThat(run(0, 2000, 30, 127, null)).isEqualTo("alice");
        assertThat(run(2000, 3200, 127, 127, null)).isNull();
        assertThat(detector.decide(10_000 * MS)).isNull();
    }

    @Test
    void shouldForgetRemovedParticipant() {
        assertThat(run(0, 2000, 30, 60, null)).isEqualTo("alice");
        detector.remove("alice");
        assertThat(detector.decide(2000 * MS)).isEqualTo("bob");
        detector.remove("bob");
        assertThat(detector.decide(2000 * MS)).isNull();
    }
}
