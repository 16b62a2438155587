package dev.rendezvous.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.webrtc.stats.TrackStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mute, unmute and leaving, as the other participants experience them. */
class ParticipantLifecycleTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** No packet for this long while 30 frames a second are sent: the track is not forwarded. */
    private static final long SILENT_NANOS = 700_000_000L;

    @Test
    @Timeout(30)
    void shouldStopForwardingAMutedTrackAndResumeItOnUnmute() throws Exception {
        try (Meeting m = new Meeting()) {
            WebRtcClient alice = m.join("alice");
            WebRtcClient bob = m.join("bob");
            await().atMost(DEADLINE).until(() -> bob.stats().packetsFrom("alice", "video") > 30
                    && bob.stats().packetsFrom("alice", "audio") > 30);

            alice.mute("video", true);
            await().atMost(DEADLINE).until(() -> m.counter("track", "muted") > 0);
            // once the mute is in force, Alice's video stops arriving while her audio keeps coming
            await().atMost(DEADLINE).until(() -> {
                long now = System.nanoTime();
                TrackStats video = bob.stats().from("alice", "video").get(0);
                TrackStats audio = bob.stats().from("alice", "audio").get(0);
                return now - video.lastPacketNanos() > SILENT_NANOS && now - audio.lastPacketNanos() < 200_000_000L;
            });
            assertThat(alice.stats().sent().videoPackets()).as("she still sends; the forwarder drops").isPositive();

            long whileMuted = bob.stats().packetsFrom("alice", "video");
            long keyframesWhileMuted = bob.stats().keyframesFrom("alice");
            alice.mute("video", false);
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(bob.stats().packetsFrom("alice", "video")).isGreaterThan(whileMuted + 30);
                assertThat(bob.stats().keyframesFrom("alice")).as("unmute asks for a keyframe")
                        .isGreaterThan(keyframesWhileMuted);
            });
        }
    }

    @Test
    @Timeout(30)
    void shouldMakeALeaversTracksInactiveAndStopItsMediaAtTheOthers() throws Exception {
        try (Meeting m = new Meeting()) {
            WebRtcClient alice = m.join("alice");
            WebRtcClient bob = m.join("bob");
            WebRtcClient carol = m.join("carol");
            await().atMost(DEADLINE).until(() -> alice.stats().packetsFrom("carol", "video") > 30
                    && bob.stats().packetsFrom("carol", "audio") > 30);

            carol.close();
            assertThat(Thread.getAllStackTraces().keySet()).as("a closed client frees its reader threads")
                    .noneMatch(t -> t.getName().startsWith("webrtc-rx-carol") && t.isAlive());
            await().atMost(DEADLINE).untilAsserted(() -> {
                for (WebRtcClient c : new WebRtcClient[] {alice, bob}) {
                    assertThat(c.stats().from("carol", "audio")).isNotEmpty().noneMatch(TrackStats::active);
                    assertThat(c.stats().from("carol", "video")).isNotEmpty().noneMatch(TrackStats::active);
                }
            });
            long aliceHeard = alice.stats().packetsFrom("carol", "audio") + alice.stats().packetsFrom("carol", "video");
            long bobHeard = bob.stats().packetsFrom("carol", "audio") + bob.stats().packetsFrom("carol", "video");
            long bobFromAlice = bob.stats().packetsFrom("alice", "audio");
            // the others go on with each other, and nothing more of Carol arrives
            await().atMost(DEADLINE).until(() -> bob.stats().packetsFrom("alice", "audio") > bobFromAlice + 50);
            assertThat(alice.stats().packetsFrom("carol", "audio") + alice.stats().packetsFrom("carol", "video"))
                    .isEqualTo(aliceHeard);
            assertThat(bob.stats().packetsFrom("carol", "audio") + bob.stats().packetsFrom("carol", "video"))
                    .isEqualTo(bobHeard);
        }
    }
}
