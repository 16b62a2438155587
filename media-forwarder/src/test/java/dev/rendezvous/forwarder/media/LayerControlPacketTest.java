package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The page's tile sizes through the real packet path: a publisher sends three VP8 layers whose keyframes say
 * 320, 640 and 1280 px; a subscriber that shows the tile at 320×180 gets the 320-px layer while one that said
 * nothing gets the top; a hidden tile gets nothing, and shows again without a sequence gap, after a keyframe
 * request; the quality sample names the layer each receives.
 */
class LayerControlPacketTest {

    private static final long[] SSRCS = {3001, 3002, 3003};
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int[] WIDTHS = {320, 640, 1280};
    private static final int RID_ID = 10;
    private static final int MID_ID = 4;
    /** Where the test's payload names its layer (after the VP8 descriptor and keyframe header). */
    private static final int LAYER_AT = 20;

    private PacketHarness h;
    private final int[] seqs = {100, 2000, 40000};

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private static String simulcastOffer() throws Exception {
        try (InputStream in = LayerControlPacketTest.class.getResourceAsStream("/sdp/chromium-simulcast-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One VP8 packet of a layer; a keyframe's first packet carries the frame header with the layer's width. */
    private void send(Client a, int layer, boolean keyframe, boolean named) {
        int seq = seqs[layer]++;
        byte[] payload = new byte[100];
        payload[0] = 0x10;                         // descriptor: S=1, PID=0
        payload[1] = (byte) (keyframe ? 0x50 : 0x51); // frame tag: P=0 is a keyframe
        if (keyframe) {
            payload[4] = (byte) 0x9d;
            payload[5] = 0x01;
            payload[6] = 0x2a;
            payload[7] = (byte) WIDTHS[layer];
            payload[8] = (byte) (WIDTHS[layer] >> 8);
            payload[9] = (byte) (WIDTHS[layer] * 9 / 16);
            payload[10] = (byte) ((WIDTHS[layer] * 9 / 16) >> 8);
        }
        payload[LAYER_AT] = (byte) layer;
        byte[] ext = named
                ? new byte[] {(byte) (MID_ID << 4), '1', (byte) (RID_ID << 4), (byte) RIDS[layer].charAt(0)}
                : new byte[0];
        a.sendRtp(a.publishAddress, PacketHarness.VP8, SSRCS[layer], seq, 3000L * seq, ext, payload);
    }

    private void round(Client a, boolean keyframes) {
        for (int layer = 0; layer < 3; layer++) {
            send(a, layer, keyframes, false);
        }
    }

    private static int layerOf(byte[] rtp) {
        return rtp[Rtp.headerLength(rtp, 0, rtp.length) + LAYER_AT];
    }

    @Test
    void shouldCapASmallTileAtTheLayerAsWideAsItPauseItWhenHiddenAndResumeItWithoutAGap() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join(simulcastOffer());
        Client b = h.client("B").join();
        Client c = h.client("C").join().answer();
        a.answer();
        b.answer();
        long atB = b.offeredSsrc("A", TrackKind.VIDEO);
        long atC = c.offeredSsrc("A", TrackKind.VIDEO);
        for (int layer = 0; layer < 3; layer++) {
            send(a, layer, true, true); // each layer starts with a keyframe: the forwarder learns its width
        }
        round(a, false);
        Producer camera = h.peer("A").producers[1];
        assertThat(camera.layers).extracting(l -> l.width).containsExactly(320, 640, 1280);

        // C shows A's camera at 320×180 (and B says nothing): C is switched to q at q's next keyframe
        h.engine.viewTiles(PacketHarness.MEETING, "C", List.of(new TileSpec("A", TrackSource.CAMERA, false, 320, 180)));
        b.receivedRtp();
        c.receivedRtp();
        a.plisReceived();
        round(a, false);
        assertThat(a.plisReceived()).as("a keyframe of q is asked for").contains(SSRCS[0]);
        send(a, 0, true, false);
        for (int i = 0; i < 4; i++) {
            round(a, false);
        }
        List<byte[]> gotC = c.receivedRtp(atC);
        assertThat(gotC.subList(gotC.size() - 5, gotC.size())).allSatisfy(p -> assertThat(layerOf(p)).isZero());
        assertThat(b.receivedRtp(atB)).isNotEmpty().allSatisfy(p -> assertThat(layerOf(p)).isEqualTo(2));

        // the timer's allocation keeps the decision (no estimate here: only the caps apply)
        h.engine.runTimersNow();
        round(a, false);
        assertThat(c.receivedRtp(atC)).extracting(LayerControlPacketTest::layerOf).containsExactly(0);
        List<ParticipantQuality> baseline = h.engine.participantQuality();
        assertThat(baseline).isNotNull();
        h.now += 1_000_000_000L;
        List<ParticipantQuality> sample = h.engine.participantQuality();
        assertThat(sample).filteredOn(q -> q.socketId().equals("C")).extracting(ParticipantQuality::layer).containsExactly(0);
        assertThat(sample).filteredOn(q -> q.socketId().equals("B")).extracting(ParticipantQuality::layer).containsExactly(2);
        assertThat(sample).filteredOn(q -> q.socketId().equals("A")).extracting(ParticipantQuality::layer).containsExactly(-1);
        // the metrics' view of the same: C on layer 0, B on layer 2 (A sees no video: nobody else publishes)
        assertThat(h.engine.videoConsumers()).containsEntry("layer_0", 1).containsEntry("layer_2", 1)
                .containsEntry("paused", 0).containsEntry("layer_1", 0);
        // C's stats overlay asks: the next timer run reports what C is sent (only to C, which asked)
        h.engine.watchStats(PacketHarness.MEETING, "C", true);
        h.engine.runTimersNow();
        assertThat(h.pageStats).extracting(PacketHarness.Stats::socketId).containsExactly("C");
        PageStats.Track cameraAtC = h.pageStats.get(0).stats().tracks().stream()
                .filter(t -> t.source() == TrackSource.CAMERA).findFirst().orElseThrow();
        assertThat(cameraAtC).extracting(PageStats.Track::socketId, PageStats.Track::state, PageStats.Track::layer,
                PageStats.Track::target, PageStats.Track::layers, PageStats.Track::width)
                .containsExactly("A", PageStats.State.FORWARDING, 0, 0, 3, 320);
        assertThat(h.pageStats.get(0).stats().estimateBps()).as("no transport-cc feedback here").isEqualTo(-1);
        h.engine.watchStats(PacketHarness.MEETING, "C", false);
        h.pageStats.clear();
        h.engine.runTimersNow();
        assertThat(h.pageStats).as("closed: nothing more").isEmpty();

        // hidden: nothing goes to C
        int lastSeq = Rtp.sequence(gotC.get(gotC.size() - 1), 0) + 1; // the round after the timer sent one more
        h.engine.viewTiles(PacketHarness.MEETING, "C", List.of(new TileSpec("A", TrackSource.CAMERA, true, 0, 0)));
        long pausedBefore = h.stage("fan-out", "paused");
        round(a, false);
        round(a, false);
        assertThat(c.receivedRtp(atC)).isEmpty();
        assertThat(h.stage("fan-out", "paused")).isGreaterThan(pausedBefore);
        assertThat(h.engine.videoConsumers()).containsEntry("paused", 1).containsEntry("layer_2", 1);

        // shown again, large: a keyframe is asked for, and the outbound sequence continues where it stopped
        h.now += 400_000_000L; // past the keyframe requests' rate limit
        a.plisReceived();
        h.engine.viewTiles(PacketHarness.MEETING, "C", List.of(new TileSpec("A", TrackSource.CAMERA, false, 1280, 720)));
        assertThat(a.plisReceived()).as("a keyframe for the tile shown again").isNotEmpty();
        round(a, false);
        send(a, 2, true, false);
        round(a, false);
        List<byte[]> resumed = c.receivedRtp(atC);
        assertThat(resumed).isNotEmpty();
        assertThat(Rtp.sequence(resumed.get(0), 0)).isEqualTo((lastSeq + 1) & 0xFFFF);
        assertThat(layerOf(resumed.get(resumed.size() - 1))).isEqualTo(2);
    }

    @Test
    void shouldStopReportingStatsToAPageThatStoppedAskingAndIgnoreUnknownSockets() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join(simulcastOffer());
        Client b = h.client("B").join();
        a.answer();
        b.answer();
        h.engine.watchStats(PacketHarness.MEETING, "B", true);
        h.engine.watchStats(PacketHarness.MEETING, "nobody", true);
        h.engine.watchStats("no-such-meeting", "B", true);
        h.engine.runTimersNow();
        assertThat(h.pageStats).extracting(PacketHarness.Stats::socketId).containsExactly("B");
        assertThat(h.pageStats.get(0).stats().tracks()).extracting(PageStats.Track::socketId).containsOnly("A").isNotEmpty();

        h.now += MediaEngine.STATS_WATCH.toNanos() + 1;   // not repeated: the request lapses
        h.pageStats.clear();
        h.engine.runTimersNow();
        assertThat(h.pageStats).isEmpty();
    }

    @Test
    void shouldIgnoreATileViewForAnUnknownRoomOrSocket() throws Exception {
        h = new PacketHarness();
        h.client("A").join(simulcastOffer());
        h.engine.viewTiles("no-such-meeting", "A", List.of(new TileSpec("B", TrackSource.CAMERA, true, 0, 0)));
        h.engine.viewTiles(PacketHarness.MEETING, "nobody", List.of(new TileSpec("A", TrackSource.CAMERA, true, 0, 0)));
        h.engine.viewTiles(PacketHarness.MEETING, "A", null);
        assertThat(h.peer("A").tiles).isNull();
    }
}
