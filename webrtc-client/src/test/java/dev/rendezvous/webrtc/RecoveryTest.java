package dev.rendezvous.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.forwarder.media.srtp.SrtpProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Loss repair and keyframe delivery: NACK answered from the forwarder's cache, keyframes for late joiners. */
class RecoveryTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    @Timeout(30)
    void shouldRetransmitVideoPacketsTheSubscriberNacked(SrtpProfile profile) throws Exception {
        try (Meeting m = new Meeting()) {
            m.join("alice", c -> c.withSrtpProfiles(profile.id()));
            WebRtcClient bob = m.join("bob", c -> c.withSrtpProfiles(profile.id()).withDropIncomingVideoEvery(25));
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(bob.stats().nacksSent()).isGreaterThan(5);
                assertThat(bob.stats().retransmissions()).isGreaterThan(5);
                assertThat(m.counter("nack", "retransmitted")).isGreaterThan(5);
                // our answer keeps the offered rtx: the forwarder resends on the consumer's RTX SSRC
                assertThat(m.counter("rtx", "sent")).isGreaterThan(5);
            });
            // repaired: what was dropped came back, so the loss stays far below the drop rate (4 %)
            var video = bob.stats().from("alice", "video").get(0);
            assertThat(video.lost()).isLessThan(video.packets() / 50);
        }
    }

    @Test
    @Timeout(30)
    void shouldRecoverAPublishersLostPacketsFromItsRtxRetransmissionsAndForwardThem() throws Exception {
        try (Meeting m = new Meeting()) {
            m.join("alice", c -> c.withDropOutgoingEvery(25)); // 4 % of what alice sends is lost on the way
            WebRtcClient bob = m.join("bob");
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(m.counter("nack", "sent_to_publisher")).isGreaterThan(3);
                assertThat(m.counter("rtx", "recovered")).isGreaterThan(5);
                assertThat(bob.stats().packetsFrom("alice", "video")).isGreaterThan(200);
            });
            // the forwarder NACKed the gaps, alice resent on her RTX SSRC, bob got the packets late but got them
            var video = bob.stats().from("alice", "video").get(0);
            assertThat(video.lost()).isLessThan(video.packets() / 50);
            assertThat(m.counter("track", "unknown_ssrc")).isZero();
        }
    }

    @Test
    @Timeout(30)
    void shouldSendALateJoinerAVideoKeyframePromptly() throws Exception {
        try (Meeting m = new Meeting()) {
            // keyframes only every 30 s: a joiner that waited for the next periodic one would wait long
            WebRtcClient alice = m.join("alice", c -> c.withVideo(300_000, 30, 30_000));
            WebRtcClient bob = m.join("bob", c -> c.withVideo(300_000, 30, 30_000));
            await().atMost(DEADLINE).until(() -> bob.stats().packetsFrom("alice", "video") > 60);
            long plisBefore = alice.stats().sent().plisReceived();
            long replayedBefore = m.counter("keyframe", "replayed_packets");

            WebRtcClient carol = m.join("carol", c -> c.withVideo(300_000, 30, 30_000));
            // well before the next periodic keyframe; wide enough for a busy CI machine (it takes ~0.1 s here)
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                assertThat(carol.stats().keyframesFrom("alice")).isPositive();
                assertThat(carol.stats().keyframesFrom("bob")).isPositive();
            });
            assertThat(m.counter("keyframe", "replayed_packets") > replayedBefore
                    || alice.stats().sent().plisReceived() > plisBefore)
                    .as("the forwarder replayed a cached keyframe or asked the publisher for one").isTrue();
            var first = carol.stats().from("alice", "video").get(0);
            assertThat(first.firstMediaMillis()).isBetween(0L, 8_000L);
        }
    }
}
