package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.LayerControl.Downlink;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The glue between a page's consumers and its allocator, on a room model without the packet path: tile views to
 * caps and pauses, the room's active speaker and screen shares to priorities, the page's downlink to the budget,
 * and layer rates measured from the layers' receive statistics.
 */
class LayerControlTest {

    private static final long S = 1_000_000_000L;

    private final Router router = new Router("m");
    private final Peer alice = peer("A");
    private final Peer bob = peer("B");
    private final Peer viewer = peer("V");
    private final Producer aliceCam = camera(alice, 1);
    private final Producer bobCam = camera(bob, 2);
    private final Consumer ofAlice = consume(aliceCam);
    private final Consumer ofBob = consume(bobCam);
    private Downlink downlink = Downlink.NONE;
    private final PathCounters counters = new PathCounters();
    private final LayerControl control = new LayerControl(new KeyframeService(counters, new PacketSender(counters)),
            p -> downlink);
    private long now = 100 * S;

    private Peer peer(String socket) {
        Peer p = new Peer(router, socket, "p-" + socket);
        router.addPeerLocked(p);
        return p;
    }

    /** A simulcast camera whose layers are 320, 640 and 1280 px wide at 150 k, 500 k and 1.5 M. */
    private static Producer camera(Peer owner, long id) {
        Producer p = new Producer(owner, TrackSource.CAMERA, TrackKind.VIDEO, id);
        p.bind("1", SdpNegotiator.EXPECTED_VIDEO, 0, -1, List.of("q", "h", "f"), 10, 4);
        int[] widths = {320, 640, 1280};
        long[] rates = {150_000, 500_000, 1_500_000};
        for (int i = 0; i < 3; i++) {
            p.layers[i].width = widths[i];
            p.layers[i].bitrateBps = rates[i];
        }
        owner.producers = new Producer[] {p};
        return p;
    }

    private Consumer consume(Producer p) {
        Consumer c = new Consumer(viewer, p, 1000 + p.id, 0, 0, new RetransmitBudget(100, 10, 10));
        router.attachLocked(c);
        return c;
    }

    private void view(TileSpec... tiles) {
        now += S;
        control.viewLocked(viewer, List.of(tiles), now);
    }

    private void allocate() {
        now += S;
        control.allocateLocked(viewer, now);
    }

    private static TileSpec shown(String socket, int w, int h) {
        return new TileSpec(socket, TrackSource.CAMERA, false, w, h);
    }

    @Test
    void shouldCapByTheReportedTileAndPauseAHiddenOneAtOnce() {
        assertThat(ofAlice.allocatedLayer).as("nothing reported: no cap").isEqualTo(Integer.MAX_VALUE);
        view(shown("A", 320, 180), new TileSpec("B", TrackSource.CAMERA, true, 0, 0));
        assertThat(ofAlice.allocatedLayer).isZero();
        assertThat(ofAlice.viewPaused).isFalse();
        assertThat(ofBob.viewPaused).isTrue();
        assertThat(ofAlice.targetLayer()).isZero();

        view(shown("A", 1280, 720), shown("B", 641, 360));
        assertThat(ofAlice.allocatedLayer).isEqualTo(2);
        assertThat(ofBob.allocatedLayer).isEqualTo(2);
        assertThat(ofBob.viewPaused).isFalse();
        // a preference set by hand still wins when lower
        ofAlice.preferredLayer = 1;
        assertThat(ofAlice.targetLayer()).isEqualTo(1);
    }

    @Test
    void shouldServeTheActiveSpeakerFirstWhenTheEstimateBinds() {
        view(shown("A", 1280, 720), shown("B", 1280, 720));
        // 900 k under congestion: both lowest (300 k), then 600 k covers one middle layer (350 k × 1.25)
        downlink = new Downlink(900_000, true);
        router.speaker = "B";
        allocate();
        assertThat(ofBob.allocatedLayer).isEqualTo(1);
        assertThat(ofAlice.allocatedLayer).isZero();
    }

    @Test
    void shouldServeAScreenShareBeforeTheSpeaker() {
        Producer screen = new Producer(alice, TrackSource.SCREEN, TrackKind.VIDEO, 3);
        screen.bind("2", SdpNegotiator.EXPECTED_VIDEO, 0, -1);
        screen.layers[0].bitrateBps = 800_000;
        alice.producers = new Producer[] {aliceCam, screen};
        Consumer ofScreen = consume(screen);
        router.speaker = "B";
        view(shown("A", 1280, 720), shown("B", 1280, 720), new TileSpec("A", TrackSource.SCREEN, false, 1280, 720));
        downlink = new Downlink(800_000 + 300_000 + 437_500, true);
        allocate();
        assertThat(ofScreen.allocatedLayer).isZero();
        assertThat(ofScreen.viewPaused).isFalse();
        assertThat(ofBob.allocatedLayer).as("the speaker, after the screen").isEqualTo(1);
        assertThat(ofAlice.allocatedLayer).isZero();
    }

    @Test
    void shouldTakeAFallingEstimateAsCongestionAndOtherwiseLetTracksClimb() {
        view(shown("A", 1280, 720), shown("B", 1280, 720));
        downlink = new Downlink(3_000_000, false);
        allocate();
        assertThat(ofAlice.allocatedLayer).isEqualTo(2);
        assertThat(ofBob.allocatedLayer).isEqualTo(2);
        downlink = new Downlink(900_000, false); // fell from 3 M: congestion, though the detector says nothing now
        allocate();
        assertThat(List.of(ofAlice.allocatedLayer, ofBob.allocatedLayer)).containsExactlyInAnyOrder(0, 1);
        allocate(); // steady at 900 k, no longer falling: kept (held), not raised
        assertThat(List.of(ofAlice.allocatedLayer, ofBob.allocatedLayer)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void shouldMeasureEachLayersRateFromItsReceiveStatistics() {
        Layer q = aliceCam.layers[0];
        q.bitrateBps = 0;
        LayerControl.measure(router, now);
        for (int i = 0; i < 100; i++) {
            q.stats.onPacket(i, 3000L * i, now + i, 950); // 100 packets of 950 bytes (+ 50 of headers) in a second
        }
        LayerControl.measure(router, now + S);
        assertThat(q.bitrateBps).isEqualTo(800_000);
        LayerControl.measure(router, now + 2 * S);
        assertThat(q.bitrateBps).as("smoothed: half of the silent second").isEqualTo(400_000);
    }
}
