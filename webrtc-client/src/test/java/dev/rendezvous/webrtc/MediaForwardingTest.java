package dev.rendezvous.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.stats.TrackStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clients against a real forwarder on loopback: what each publishes reaches every other participant. */
class MediaForwardingTest {

    @Test
    @Timeout(30)
    void shouldForwardEachPublishersAudioAndVideoToTheOtherParticipant() throws Exception {
        try (Meeting m = new Meeting()) {
            WebRtcClient alice = m.join("alice");
            WebRtcClient bob = m.join("bob");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ClientStats a = alice.stats();
                ClientStats b = bob.stats();
                assertThat(a.packetsFrom("bob", "audio")).isGreaterThan(50);
                assertThat(a.packetsFrom("bob", "video")).isGreaterThan(50);
                assertThat(b.packetsFrom("alice", "audio")).isGreaterThan(50);
                assertThat(b.packetsFrom("alice", "video")).isGreaterThan(50);
                assertThat(a.keyframesFrom("bob")).isPositive();
                assertThat(b.keyframesFrom("alice")).isPositive();
            });
            ClientStats b = bob.stats();
            TrackStats video = b.from("alice", "video").get(0);
            assertThat(video.senderId()).isEqualTo(alice.config().senderId());
            assertThat(video.delaySamples()).isPositive();
            assertThat(video.delayP50Ms()).isBetween(0.0, 200.0);
            assertThat(video.firstMediaMillis()).isNotNegative();
            assertThat(b.packetsFrom("bob", "audio")).as("nobody receives their own media").isZero();
            assertThat(alice.stats().sent().videoPackets()).isPositive();
            assertThat(alice.stats().publishConnected()).isTrue();
            assertThat(alice.stats().subscribeConnected()).isTrue();
        }
    }

    @Test
    @Timeout(40)
    void shouldForwardEachPublishersAudioAndVideoToEveryOtherParticipantInARoomOfTen() throws Exception {
        try (Meeting m = new Meeting()) {
            List<WebRtcClient> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(m.join("p" + i, c -> c.withVideo(150_000, 15, 2_000)));
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (WebRtcClient receiver : clients) {
                    ClientStats s = receiver.stats();
                    for (WebRtcClient sender : clients) {
                        String from = sender.config().socketId();
                        if (sender == receiver) {
                            assertThat(s.packetsFrom(from, "audio")).isZero();
                            continue;
                        }
                        assertThat(s.packetsFrom(from, "audio")).as("%s hears %s", s.socketId(), from).isGreaterThan(20);
                        assertThat(s.packetsFrom(from, "video")).as("%s sees %s", s.socketId(), from).isGreaterThan(20);
                        assertThat(s.keyframesFrom(from)).as("%s keyframes of %s", s.socketId(), from).isPositive();
                    }
                }
            });
        }
    }
}
