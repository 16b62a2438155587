package dev.rendezvous.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.webrtc.signaling.InProcessForwarder;
import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.stats.TrackStats;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code media-moved}: the room goes to another forwarder (as stream-apps' failover moves it) and each client starts
 * both connections over there through the normal signaling, staying who it is, as the meeting page does.
 */
class MediaMoveTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    @Timeout(40)
    void shouldReceiveEachOthersMediaFromTheNewForwarderAfterTheRoomMoved() throws Exception {
        String meeting = "meeting-" + System.nanoTime();
        try (InProcessForwarder first = new InProcessForwarder();
             InProcessForwarder second = new InProcessForwarder();
             ClientRuntime runtime = new ClientRuntime(2);
             WebRtcClient alice = client(first, runtime, meeting, "alice");
             WebRtcClient bob = client(first, runtime, meeting, "bob")) {
            alice.start();
            bob.start();
            await().atMost(DEADLINE).until(() -> bob.stats().packetsFrom("alice", "video") > 30
                    && alice.stats().packetsFrom("bob", "audio") > 30);
            // Bob's camera is off before the move: it stays off on the new forwarder
            bob.mute("video", true);
            await().atMost(DEADLINE).until(() -> first.engine().counters().value("track", "muted") > 0);
            Set<Long> before = ssrcs(alice.stats());
            before.addAll(ssrcs(bob.stats()));
            long aliceSent = alice.stats().sent().audioPackets();

            assertThat(first.moveRoom(meeting, second)).isEqualTo(2);

            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(second.connections("alice")).as("publish and subscribe of Alice at the new one").isEqualTo(2);
                assertThat(second.connections("bob")).isEqualTo(2);
                assertThat(fresh(bob.stats(), before, "alice", "audio")).as("Alice's voice again").isGreaterThan(20);
                assertThat(fresh(bob.stats(), before, "alice", "video")).as("Alice's camera again").isGreaterThan(20);
                assertThat(fresh(alice.stats(), before, "bob", "audio")).as("Bob's voice again").isGreaterThan(20);
                assertThat(bob.stats().from("alice", "video").stream().filter(t -> !before.contains(t.ssrc()))
                        .mapToLong(TrackStats::keyframes).sum()).as("a keyframe from the new connection").isPositive();
            });
            assertThat(first.engine().roomCount()).as("the room is gone from the old forwarder").isZero();
            assertThat(alice.mediaRestarts()).isEqualTo(1);
            assertThat(bob.mediaRestarts()).isEqualTo(1);
            assertThat(alice.publishConnected()).isTrue();
            assertThat(alice.subscribeConnected()).isTrue();
            assertThat(alice.lastError()).isNull();
            assertThat(bob.lastError()).isNull();

            ClientStats a = alice.stats();
            // the old connection's tracks stay in the books, inactive; what was sent before the move still counts
            assertThat(a.received().stream().filter(t -> before.contains(t.ssrc()))).isNotEmpty()
                    .noneMatch(TrackStats::active);
            assertThat(a.sent().audioPackets()).isGreaterThan(aliceSent);
            // Bob's camera is still off: nothing of it reaches Alice from the new forwarder
            assertThat(fresh(a, before, "bob", "video")).isZero();
            long heardBob = fresh(a, before, "bob", "audio");
            await().atMost(DEADLINE).until(() -> fresh(alice.stats(), before, "bob", "audio") > heardBob + 25);
            assertThat(fresh(alice.stats(), before, "bob", "video")).isZero();
        }
    }

    @Test
    @Timeout(30)
    void shouldLoseEveryNthPublishedPacketOnTheWayWhenToldTo() throws Exception {
        try (Meeting m = new Meeting()) {
            WebRtcClient alice = m.join("alice", c -> c.withDropOutgoingEvery(4));
            WebRtcClient bob = m.join("bob");
            await().atMost(DEADLINE).until(() -> bob.stats().packetsFrom("alice", "audio") > 100);
            ClientStats b = bob.stats();
            long sent = alice.stats().sent().audioPackets();
            long received = b.packetsFrom("alice", "audio");
            long lost = b.from("alice", "audio").stream().mapToLong(TrackStats::lost).sum();
            // a quarter of Alice's packets never left her; the forwarder saw the gaps. Audio is not retransmitted, so
            // its losses stay (video's are NACKed and resent over RTX, so video is not counted here)
            assertThat(lost).as("audio lost on the way (no retransmission for audio)").isPositive();
            assertThat((double) received / sent).isLessThan(0.85);
            await().atMost(DEADLINE).until(() -> alice.stats().sent().nacksReceived() > 0);
        }
    }

    private static WebRtcClient client(InProcessForwarder f, ClientRuntime runtime, String meeting, String socket) {
        ClientConfig config = ClientConfig.of(meeting, socket, "p-" + socket);
        return new WebRtcClient(config, f.signaling(meeting, socket, config.participantId()), runtime);
    }

    private static Set<Long> ssrcs(ClientStats s) {
        return s.received().stream().map(TrackStats::ssrc).collect(Collectors.toCollection(java.util.HashSet::new));
    }

    /** Packets of {@code kind} from {@code from} on tracks that were not there {@code before}. */
    private static long fresh(ClientStats s, Set<Long> before, String from, String kind) {
        List<TrackStats> tracks = s.from(from, kind);
        return tracks.stream().filter(t -> !before.contains(t.ssrc())).mapToLong(TrackStats::packets).sum();
    }
}
