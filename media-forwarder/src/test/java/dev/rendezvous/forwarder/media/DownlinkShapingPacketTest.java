package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.SimulcastCall.MS;
import static dev.rendezvous.forwarder.media.SimulcastCall.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.SimulatedSubscriber.Packet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, forwarder level: a publisher sends three simulcast layers (150 k, 500 k, 1.5 Mbit/s of VP8-shaped video,
 * and audio) through the real packet path; two pages show its camera in large tiles and send transport-wide
 * feedback from what actually reached them. One page's downlink is then limited to 700 kbit/s by a shaper in the
 * test client (token bucket, bounded queue: packets wait, then drop). That page must be switched to a lower layer
 * within 5 s while the unlimited page keeps the top layer — and neither may see a decoder-visible discontinuity.
 *
 * <p><b>"No decoder-visible discontinuity"</b>, precisely, for each page's video track over the whole call: the
 * sequence numbers the forwarder sends are contiguous (each the previous + 1, so every gap the page sees is a
 * packet its own link dropped, which it can NACK); RTP timestamps never go back; every change of layer happens at
 * the first packet of a keyframe of the new layer, with a later timestamp than the last packet of the old one; and
 * the page's SRTP session refuses nothing (no sequence number is sent twice).
 *
 * <p>Simulated time ({@link SimulcastCall}): the 8 s of the call take about a second of real time.
 */
class DownlinkShapingPacketTest {

    private static final long LIMIT_BPS = 700_000;
    private static final long ONE_WAY = 20 * MS;
    /** The limited page's router queues up to 300 ms at the limit. */
    private static final long QUEUE_BYTES = LIMIT_BPS * 300 / 1000 / 8;

    private SimulcastCall call;

    @AfterEach
    void close() {
        if (call != null) {
            call.close();
        }
    }

    @Test
    void shouldMoveALimitedSubscriberToALowerLayerWithinFiveSecondsWhileAnUnlimitedOneKeepsTheTop() throws Exception {
        call = new SimulcastCall();
        PacketHarness h = call.h;
        Client a = h.client("A").join(SyntheticPublisher.simulcastOffer());
        Client b = h.client("B").join();
        Client c = h.client("C").join().answer();
        a.answer();
        b.answer();
        call.answerAll(List.of(a, b, c));
        long atB = b.offeredSsrc("A", TrackKind.VIDEO);
        long atC = c.offeredSsrc("A", TrackKind.VIDEO);
        for (String page : List.of("B", "C")) {
            h.engine.viewTiles(PacketHarness.MEETING, page,
                    List.of(new TileSpec("A", TrackSource.CAMERA, false, 1280, 720)));
        }
        call.start();
        call.publish(a, true, 0, 12);
        call.drain(a);
        // B's downlink: a shaper, wide open for the first seconds; C's: no bottleneck. Both 20 ms each way.
        TokenBucketShaper<Packet> shaper = new TokenBucketShaper<>(100_000_000, 3_000, QUEUE_BYTES, call.now());
        SimulatedSubscriber limited = call.receive(b, shaper, ONE_WAY);
        SimulatedSubscriber unlimited = call.receive(c, null, ONE_WAY);

        call.runFor(3 * SECOND);
        assertThat(lastLayerSent(limited, atB)).as("before the limit both pages get the top layer").isEqualTo(2);
        assertThat(lastLayerSent(unlimited, atC)).isEqualTo(2);
        long limitedAt = call.now();
        limited.setCapacity(LIMIT_BPS, limitedAt);
        call.runFor(5 * SECOND);
        long end = call.now();

        String estimates = "downlink estimates " + Arrays.toString(h.engine.downlinkEstimates())
                + ", consumers " + h.engine.videoConsumers() + ", shaper dropped " + shaper.dropped();
        long lower = limited.firstArrivalOfLayer(atB, limitedAt, 0, 1);
        System.out.printf("limited page on a lower layer %.2f s after the limit; %s; layers sent to it: %s%n",
                (lower - limitedAt) / 1e9, estimates, layerRuns(limited.sent(atB), limitedAt));
        assertThat(lower).as("the limited page gets a lower layer (%s)", estimates).isPositive();
        assertThat(lower - limitedAt).as("within 5 s of the limit (%s)", estimates).isLessThanOrEqualTo(5 * SECOND);
        assertThat(shaper.dropped()).as("the limit bit: the top layer did not fit").isPositive();
        assertThat(limited.sent(atB)).filteredOn(p -> p.sentNanos >= end - 2 * SECOND)
                .as("the lower layer fits the link: nothing dropped in the last 2 s (%s)", estimates)
                .isNotEmpty().noneMatch(p -> p.dropped);

        List<Packet> toC = unlimited.sent(atC);
        int firstTop = indexOfFirstLayer(toC, 2);
        assertThat(toC.subList(firstTop, toC.size())).as("the unlimited page never leaves the top layer (%s)", estimates)
                .allMatch(p -> p.layer == 2);
        assertThat(toC).filteredOn(p -> p.sentNanos >= end - SECOND).as("and it keeps receiving it")
                .hasSizeGreaterThan(150).allMatch(Packet::arrived);

        assertThat(assertNoDecoderVisibleDiscontinuity(limited.sent(atB))).as("layer changes of the limited page")
                .isBetween(3, 6); // its start (0 → 1 → 2), down, and perhaps back up to the layer that fits
        assertNoDecoderVisibleDiscontinuity(toC);
        assertThat(limited.refused()).isZero();
        assertThat(unlimited.refused()).isZero();
        assertThat(h.stage("fan-out", "other_layer")).isPositive();
    }

    /** "layer@seconds-after-t0" at every change of layer. */
    private static String layerRuns(List<Packet> sent, long t0) {
        StringBuilder b = new StringBuilder();
        int last = Integer.MIN_VALUE;
        for (Packet p : sent) {
            if (p.layer != last) {
                b.append(String.format(java.util.Locale.ROOT, " %d@%+.2fs", p.layer, (p.sentNanos - t0) / 1e9));
                last = p.layer;
            }
        }
        return b.toString().trim();
    }

    private static int lastLayerSent(SimulatedSubscriber s, long ssrc) {
        List<Packet> sent = s.sent(ssrc);
        assertThat(sent).isNotEmpty();
        return sent.get(sent.size() - 1).layer;
    }

    private static int indexOfFirstLayer(List<Packet> packets, int layer) {
        for (int i = 0; i < packets.size(); i++) {
            if (packets.get(i).layer == layer) {
                return i;
            }
        }
        throw new AssertionError("no packet of layer " + layer);
    }

    /**
     * See the class comment: contiguous numbers, monotonic timestamps, layer changes only at keyframe starts.
     * Returns the number of layer changes.
     */
    static int assertNoDecoderVisibleDiscontinuity(List<Packet> sent) {
        assertThat(sent).isNotEmpty();
        assertThat(sent.get(0).keyframeStart).as("the track starts with a keyframe").isTrue();
        int switches = 0;
        for (int i = 1; i < sent.size(); i++) {
            Packet before = sent.get(i - 1);
            Packet p = sent.get(i);
            assertThat(p.seq).as("packet %d follows %d without a gap", i, i - 1).isEqualTo((before.seq + 1) & 0xFFFF);
            long dt = (p.timestamp - before.timestamp) & 0xFFFFFFFFL;
            assertThat(dt).as("timestamps never go back, packet %d", i).isLessThan(0x8000_0000L);
            if (p.layer != before.layer) {
                switches++;
                assertThat(p.keyframeStart).as("layer %d → %d at packet %d: a keyframe starts there", before.layer,
                        p.layer, i).isTrue();
                assertThat(dt).as("time moves on across the switch at packet %d", i).isPositive();
            }
        }
        return switches;
    }
}
