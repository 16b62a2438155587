package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through the real packet path: a publisher sending three layers (q, h, f) on SSRCs it never
 * announced, named by the rid header extension of their first packets; subscribers each getting one layer on
 * one SSRC, switching at keyframes with continuous sequence numbers, and NACKs answered from the right layer.
 */
class SimulcastPacketPathTest {

    private static final long[] SSRCS = {3001, 3002, 3003};
    private static final String[] RIDS = {"q", "h", "f"};
    private static final int RID_ID = 10;
    private static final int MID_ID = 4;

    private PacketHarness h;
    private final int[] seqs = {100, 2000, 40000};

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private static String simulcastOffer() throws Exception {
        try (InputStream in = SimulcastPacketPathTest.class.getResourceAsStream("/sdp/chromium-simulcast-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * One VP8 packet of layer {@code layer}: the payload's byte 10 names the layer, byte 11 the packet's number;
     * {@code named}: with the mid and rid extensions (a browser sends them until the SSRC is acknowledged).
     */
    private void send(Client a, int layer, boolean keyframe, boolean named) {
        int seq = seqs[layer]++;
        byte[] payload = new byte[100];
        payload[0] = 0x10;
        payload[1] = (byte) (keyframe ? 0x50 : 0x51);
        payload[10] = (byte) layer;
        payload[11] = (byte) seq;
        byte[] ext = named
                ? new byte[] {(byte) (MID_ID << 4), '1', (byte) (RID_ID << 4), (byte) RIDS[layer].charAt(0)}
                : new byte[0];
        a.sendRtp(a.publishAddress, PacketHarness.VP8, SSRCS[layer], seq, 3000L * seq, ext, payload);
    }

    private static int layerOf(byte[] rtp) {
        return rtp[Rtp.headerLength(rtp, 0, rtp.length) + 10];
    }

    @Test
    void shouldLearnEachLayersSsrcFromItsRidAndGiveEachSubscriberOneLayerSwitchingAtKeyframes() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join(simulcastOffer());
        Client b = h.client("B").join();
        Client c = h.client("C").join().answer();
        a.answer();
        b.answer();
        long atB = b.offeredSsrc("A", TrackKind.VIDEO);
        long atC = c.offeredSsrc("A", TrackKind.VIDEO);
        assertThat(h.engine.preferLayer(PacketHarness.MEETING, "C", "A", TrackSource.CAMERA, 0)).isTrue();

        for (int layer = 0; layer < 3; layer++) {
            send(a, layer, true, true);
        }
        for (int i = 0; i < 5; i++) {
            for (int layer = 0; layer < 3; layer++) {
                send(a, layer, false, false); // the SSRCs are known now: no extensions needed
            }
        }
        assertThat(h.stage("track", "unknown_ssrc")).isZero();
        List<byte[]> gotB = b.receivedRtp(atB);
        List<byte[]> gotC = c.receivedRtp(atC);
        // B climbs to the top as the layers start (each with a keyframe), then stays on f
        assertThat(gotB.subList(gotB.size() - 5, gotB.size())).allSatisfy(p -> assertThat(layerOf(p)).isEqualTo(2));
        assertThat(gotC).hasSize(6).allSatisfy(p -> assertThat(layerOf(p)).isEqualTo(0));
        assertContinuous(gotB);
        assertContinuous(gotC);

        // C now asks for the top layer: the forwarder asks the publisher for a keyframe of f, switches at it
        assertThat(h.engine.preferLayer(PacketHarness.MEETING, "C", "A", TrackSource.CAMERA, 2)).isTrue();
        a.plisReceived();
        h.now += 400_000_000L;
        send(a, 0, false, false);
        send(a, 2, false, false);
        assertThat(a.plisReceived()).contains(SSRCS[2]);
        List<byte[]> beforeSwitch = c.receivedRtp(atC);
        assertThat(beforeSwitch).as("q until f's keyframe").hasSize(1).allSatisfy(p -> assertThat(layerOf(p)).isZero());
        send(a, 2, true, false);
        send(a, 0, false, false);
        send(a, 2, false, false);
        List<byte[]> afterSwitch = c.receivedRtp(atC);
        assertThat(afterSwitch).extracting(SimulcastPacketPathTest::layerOf).containsExactly(2, 2);
        assertThat(Rtp.sequence(afterSwitch.get(0), 0)).isEqualTo((Rtp.sequence(beforeSwitch.get(0), 0) + 1) & 0xFFFF);
        assertThat(Rtp.timestamp(afterSwitch.get(0), 0) - Rtp.timestamp(beforeSwitch.get(0), 0))
                .as("time moves on across the switch").isPositive();

        // a NACK of the last q packet C got, after the switch: answered from q's cache, with its first number
        int lostSeq = Rtp.sequence(beforeSwitch.get(0), 0);
        byte[] nack = new byte[64];
        int n = RtcpWriter.writeNack(nack, 0, 77, atC, new int[] {lostSeq}, 1);
        c.sendSubscriberRtcp(Arrays.copyOf(nack, n), n);
        List<byte[]> resent = c.receivedRtp();
        assertThat(resent).hasSize(1);
        byte[] rtx = resent.get(0);
        assertThat(Rtp.ssrc(rtx, 0)).as("RTX, on the consumer's RTX SSRC").isNotEqualTo(atC);
        int n2 = dev.rendezvous.forwarder.media.rtp.Rtx.unwrap(rtx, 0, rtx.length, PacketHarness.VP8, atC);
        resent = List.of(Arrays.copyOf(rtx, n2));
        assertThat(Rtp.sequence(resent.get(0), 0)).isEqualTo(lostSeq);
        assertThat(layerOf(resent.get(0))).isZero();
        assertThat(Rtp.timestamp(resent.get(0), 0)).isEqualTo(Rtp.timestamp(beforeSwitch.get(0), 0));
        assertThat(h.stage("fan-out", "other_layer")).isPositive();
    }

    @Test
    void shouldRefuseALayerPreferenceForATrackTheSubscriberDoesNotReceive() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join(simulcastOffer());
        h.client("B").join().answer();
        a.answer();
        assertThat(h.engine.preferLayer(PacketHarness.MEETING, "B", "A", TrackSource.SCREEN, 0)).isFalse();
        assertThat(h.engine.preferLayer(PacketHarness.MEETING, "B", "nobody", TrackSource.CAMERA, 0)).isFalse();
        assertThat(h.engine.preferLayer("no-such-meeting", "B", "A", TrackSource.CAMERA, 0)).isFalse();
        assertThat(h.engine.preferLayer(PacketHarness.MEETING, "B", "A", TrackSource.CAMERA, 1)).isTrue();
    }

    private static void assertContinuous(List<byte[]> packets) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(Rtp.sequence(packets.get(i), 0))
                    .as("packet %d", i).isEqualTo((Rtp.sequence(packets.get(i - 1), 0) + 1) & 0xFFFF);
            assertThat(Rtp.timestamp(packets.get(i), 0) - Rtp.timestamp(packets.get(i - 1), 0))
                    .as("timestamps never go back, packet %d", i).isGreaterThanOrEqualTo(0);
        }
    }
}
