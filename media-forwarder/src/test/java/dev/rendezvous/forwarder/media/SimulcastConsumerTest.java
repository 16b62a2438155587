package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consumer of a simulcast producer: one layer forwarded, the switch only at a keyframe of the target layer,
 * a keyframe asked for meanwhile, one continuous outbound sequence and timestamp across the switch, NACKs
 * mapped back to the layer each number came from, and the choice falling back when a layer stops.
 */
class SimulcastConsumerTest {

    private static final long MS = 1_000_000L;

    private final Router router = new Router("m");
    private final Peer publisher = new Peer(router, "A", "pa");
    private final Peer subscriber = new Peer(router, "B", "pb");
    private final Producer producer = new Producer(publisher, TrackSource.CAMERA, TrackKind.VIDEO, 42);
    private final byte[] in = new byte[64];
    private final byte[] out = new byte[64];
    private Layer q, h, f;
    private Consumer c;
    private long now = 10_000 * MS;

    @BeforeEach
    void bind() {
        producer.bind("1", SdpNegotiator.EXPECTED_VIDEO, 0, -1, List.of("q", "h", "f"), 10, 4);
        q = producer.layers[0];
        h = producer.layers[1];
        f = producer.layers[2];
        c = new Consumer(subscriber, producer, 7777, 5000, 100_000, new RetransmitBudget(100, 10, 10));
    }

    /** A producer-space packet of a layer reaching the fan-out: admitted (and rewritten) or not. */
    private boolean packet(Layer l, int seq, long ts, boolean keyframe) {
        now += MS;
        l.lastPacketNanos = now;
        if (!c.admit(l, seq, keyframe, now)) {
            return false;
        }
        in[0] = (byte) 0x80;
        in[1] = 96;
        Rtp.setSequence(in, 0, seq);
        Rtp.setTimestamp(in, 0, ts);
        Rtp.setSsrc(in, 0, 42);
        assertThat(c.rewrite(in, 0, 20, out, now)).isEqualTo(20);
        return true;
    }

    private int outSeq() {
        return Rtp.sequence(out, 0);
    }

    private long outTs() {
        return Rtp.timestamp(out, 0);
    }

    /** All three layers sending, the consumer on the top one. */
    private void onTopLayer() {
        packet(q, 1, 0, false);
        packet(h, 1, 0, false);
        assertThat(packet(f, 100, 9000, false)).as("no keyframe of the layer yet").isFalse();
        assertThat(c.takeKeyframeWanted()).as("so one is asked for").isSameAs(f);
        assertThat(packet(f, 101, 9000, true)).isTrue();
        assertThat(c.currentLayer()).isSameAs(f);
    }

    @Test
    void shouldForwardTheTopLayerByDefaultAndNothingOfTheOthers() {
        onTopLayer();
        int first = outSeq();
        assertThat(packet(q, 2, 3000, true)).isFalse();
        assertThat(packet(h, 2, 3000, true)).as("a keyframe of a layer not wanted changes nothing").isFalse();
        assertThat(packet(f, 102, 12_000, false)).isTrue();
        assertThat(outSeq()).isEqualTo((first + 1) & 0xFFFF);
        assertThat(Rtp.ssrc(out, 0)).isEqualTo(7777);
    }

    @Test
    void shouldSwitchDownOnlyAtAKeyframeOfTheTargetWithContinuousSequenceAndTimestamps() {
        onTopLayer();
        packet(f, 102, 12_000, false);
        int lastSeq = outSeq();
        long lastTs = outTs();
        long lastSent = now;

        c.preferredLayer = 0;
        now += 400 * MS; // past the keyframe request interval
        assertThat(packet(f, 103, 15_000, false)).as("the old layer goes on until the switch").isTrue();
        lastSeq = outSeq();
        lastTs = outTs();
        lastSent = now;
        assertThat(c.takeKeyframeWanted()).as("a keyframe of the target is asked for").isSameAs(q);
        assertThat(packet(q, 50, 777_000, false)).as("not a keyframe: no switch").isFalse();
        assertThat(c.currentLayer()).isSameAs(f);

        assertThat(packet(q, 51, 780_000, true)).isTrue();
        assertThat(c.currentLayer()).isSameAs(q);
        assertThat(outSeq()).as("one sequence across the switch").isEqualTo((lastSeq + 1) & 0xFFFF);
        long elapsedTicks = Math.round((now - lastSent) / 1e9 * 90_000);
        assertThat(outTs()).as("the timestamp moves on by the wall time").isEqualTo((lastTs + elapsedTicks) & 0xFFFFFFFFL);
        assertThat(Rtp.ssrc(out, 0)).isEqualTo(7777);
        int switchSeq = outSeq();
        long switchTs = outTs();

        assertThat(packet(f, 104, 18_000, true)).as("the old layer is no longer forwarded").isFalse();
        assertThat(packet(q, 52, 783_000, false)).isTrue();
        assertThat(outSeq()).isEqualTo((switchSeq + 1) & 0xFFFF);
        assertThat(outTs()).isEqualTo(switchTs + 3000);
        assertThat(packet(q, 49, 774_000, false)).as("older than the switch point: would collide").isFalse();

        // a long call on one layer: 16-bit sequence numbers wrap, packets keep flowing
        for (int i = 0; i < 70_000; i++) {
            assertThat(packet(q, (53 + i) & 0xFFFF, 786_000L + 3000L * i, false)).as("packet %d after the switch", i).isTrue();
        }
    }

    @Test
    void shouldMapNacksToTheLayerAndNumbersEachPacketWasSentWith() {
        onTopLayer();
        packet(f, 102, 12_000, false);
        int beforeSwitch = outSeq();
        long beforeTs = outTs();
        c.preferredLayer = 1;
        packet(h, 20, 555_000, true);
        int afterSwitch = outSeq();

        assertThat(c.mapping.layerOf(beforeSwitch)).isSameAs(f);
        assertThat(c.mapping.producerSequence(beforeSwitch)).isEqualTo(102);
        assertThat(c.mapping.layerOf(afterSwitch)).isSameAs(h);
        assertThat(c.mapping.producerSequence(afterSwitch)).isEqualTo(20);

        // the retransmission of the f packet goes out as it was first sent, not in h's mapping
        in[1] = 96;
        Rtp.setSequence(in, 0, 102);
        Rtp.setTimestamp(in, 0, 12_000);
        assertThat(c.rewriteResent(in, 0, 20, out, beforeSwitch)).isEqualTo(20);
        assertThat(outSeq()).isEqualTo(beforeSwitch);
        assertThat(outTs()).isEqualTo(beforeTs);
    }

    @Test
    void shouldFallBackToTheHighestLayerStillSentAndClimbBackWhenTheTopReturns() {
        onTopLayer();
        int last = outSeq();
        // the browser stops sending f (its bandwidth estimate fell): h and q go on
        now += Layer.INACTIVE_AFTER_NANOS;
        packet(q, 10, 30_000, false);
        assertThat(packet(h, 10, 30_000, false)).as("h wanted now, but not at a keyframe").isFalse();
        assertThat(producer.bestLayer(Integer.MAX_VALUE, now)).isSameAs(h);
        assertThat(c.takeKeyframeWanted()).isSameAs(h);
        assertThat(packet(h, 11, 33_000, true)).as("switched down to h at its keyframe").isTrue();
        assertThat(outSeq()).isEqualTo((last + 1) & 0xFFFF);

        assertThat(packet(f, 300, 90_000, true)).as("f is back, with a keyframe: up again").isTrue();
        assertThat(c.currentLayer()).isSameAs(f);
        assertThat(outSeq()).isEqualTo((last + 2) & 0xFFFF);
    }

    @Test
    void shouldChooseTheHighestActiveLayerNotAboveThePreferenceElseTheLowestAbove() {
        now += MS;
        q.lastPacketNanos = now - 2000 * MS; // stopped
        h.lastPacketNanos = now;
        f.lastPacketNanos = now;
        assertThat(producer.bestLayer(Integer.MAX_VALUE, now)).isSameAs(f);
        assertThat(producer.bestLayer(1, now)).isSameAs(h);
        assertThat(producer.bestLayer(0, now)).as("nothing at or below q: the lowest above").isSameAs(h);
        assertThat(producer.bestLayer(-5, now)).isSameAs(h);
        f.lastPacketNanos = now - 2000 * MS;
        h.lastPacketNanos = now - 2000 * MS;
        assertThat(producer.bestLayer(2, now)).as("nothing sent: the preferred one, to wait for").isSameAs(f);
    }

    @Test
    void shouldGiveLowerLayersSmallerCachesAndKeepLayersAcrossARepublishWithTheSameRids() {
        assertThat(new int[] {q.cache.slots(), h.cache.slots(), f.cache.slots()}).containsExactly(128, 256, 512);
        q.inboundSsrc = 3001;
        producer.bind("1", SdpNegotiator.EXPECTED_VIDEO, 0, -1, List.of("q", "h", "f"), 10, 4);
        assertThat(producer.layers).containsExactly(q, h, f);
        assertThat(q.inboundSsrc).as("its SSRC stays known (a browser stops naming it in packets)").isEqualTo(3001);
        producer.bind("1", SdpNegotiator.EXPECTED_VIDEO, 0, 2001);
        assertThat(producer.simulcast()).isFalse();
        assertThat(producer.layers[0].inboundSsrc).isEqualTo(2001);
        assertThat(producer.layers[0].cache.slots()).isEqualTo(512);
    }

    @Test
    void shouldForwardEveryPacketOfATrackWithoutSimulcast() {
        Producer single = new Producer(publisher, TrackSource.SCREEN, TrackKind.VIDEO, 43);
        single.bind("2", SdpNegotiator.EXPECTED_VIDEO, 0, 3001);
        Consumer s = new Consumer(subscriber, single, 8888, 0, 0, new RetransmitBudget(100, 10, 10));
        s.preferredLayer = 0;
        assertThat(single.simulcast()).isFalse();
        assertThat(s.admit(single.layers[0], 1, false, now)).isTrue();
        assertThat(s.takeKeyframeWanted()).isNull();
    }
}
