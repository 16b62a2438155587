package dev.rendezvous.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.forwarder.media.MediaConfig;
import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.TrackSpec;
import dev.rendezvous.webrtc.signaling.Signaling;
import dev.rendezvous.webrtc.stats.ClientStats;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ICE-TCP against a real forwarder on loopback: a client that sees only the forwarder's passive TCP candidate
 * (its UDP candidates are removed from every description it receives, as a network blocking UDP would leave
 * a browser) runs STUN, DTLS and SRTP over one TCP connection per PeerConnection and exchanges media with a
 * client on UDP.
 */
class IceTcpTest {

    @Test
    @Timeout(30)
    void shouldCarryStunDtlsAndSrtpOverTheTcpCandidateWhenNoUdpCandidateIsLeft() throws Exception {
        MediaConfig l = MediaConfig.loopback();
        MediaConfig withTcp = new MediaConfig(l.advertisedAddress(), l.bindAddress(), 0, l.consentTimeout(),
                l.maxBitrateBps(), l.dtlsTimeout(), l.maxParticipants(), l.maxRoomParticipants(), l.answerTimeout(), 0);
        try (Meeting m = new Meeting(withTcp)) {
            assertThat(m.forwarder.engine().tcpPort()).isPositive();
            WebRtcClient alice = m.join("alice");
            ClientConfig config = ClientConfig.of(m.meetingId, "bob", "p-bob");
            WebRtcClient bob = new WebRtcClient(config,
                    new TcpOnly(m.forwarder.signaling(m.meetingId, "bob", "p-bob")), m.runtime);
            m.clients.add(bob);
            bob.start();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                ClientStats a = alice.stats();
                ClientStats b = bob.stats();
                assertThat(b.packetsFrom("alice", "audio")).isGreaterThan(50);
                assertThat(b.packetsFrom("alice", "video")).isGreaterThan(50);
                assertThat(b.keyframesFrom("alice")).isPositive();
                assertThat(a.packetsFrom("bob", "audio")).isGreaterThan(50);
                assertThat(a.packetsFrom("bob", "video")).isGreaterThan(50);
                assertThat(a.keyframesFrom("bob")).isPositive();
            });
            assertThat(m.forwarder.engine().tcpConnections())
                    .as("bob's publish and subscribe connections; alice stays on UDP").isEqualTo(2);
            assertThat(m.counter("engine", "error")).isZero();
        }
    }

    /** Removes every non-TCP candidate from what the forwarder sends (the browser test hook does the same). */
    static String tcpOnly(String sdp) {
        StringBuilder b = new StringBuilder(sdp.length());
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:") && !line.contains(" tcp ")) {
                continue;
            }
            b.append(line).append("\r\n");
        }
        return b.toString();
    }

    private record TcpOnly(Signaling inner) implements Signaling {
        @Override
        public void join(String subscribeFingerprint, Listener listener) {
            inner.join(subscribeFingerprint, new Listener() {
                @Override
                public void onSubscribeOffer(String sdp, List<RemoteTrack> tracks) {
                    listener.onSubscribeOffer(tcpOnly(sdp), tracks);
                }

                @Override
                public void onError(String what, Throwable cause) {
                    listener.onError(what, cause);
                }
            });
        }

        @Override
        public void publish(String offerSdp, List<TrackSpec> tracks, Consumer<String> onAnswer) {
            inner.publish(offerSdp, tracks, answer -> onAnswer.accept(tcpOnly(answer)));
        }

        @Override
        public void resubscribe(String subscribeFingerprint) {
            inner.resubscribe(subscribeFingerprint);
        }

        @Override
        public void subscribeAnswer(String answerSdp) {
            inner.subscribeAnswer(answerSdp);
        }

        @Override
        public void updateTracks(List<TrackSpec> tracks) {
            inner.updateTracks(tracks);
        }

        @Override
        public void leave() {
            inner.leave();
        }
    }
}
