package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.Rtx;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RTX (RFC 4588) through the real packet path, both ways: a publisher's retransmission on its RTX SSRC (from the
 * offer's FID group, or named by the repaired-rtp-stream-id of a simulcast layer) fills the gap the forwarder
 * NACKed and reaches the subscribers in sequence; a subscriber's NACK is answered RTX-wrapped on its consumer's
 * own RTX SSRC, or on the media SSRC when its answer left RTX out.
 */
class RtxPacketPathTest {

    /** The publisher's RTX SSRC and payload type in chromium-publish-offer.sdp (FID 2001 2002, 97 apt=96). */
    private static final long RTX_SSRC = 2002;
    private static final int RTX_PT = 97;

    private PacketHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** A VP8 payload whose bytes 10 and 11 tag it with {@code tag}. */
    private static byte[] vp8(boolean keyframe, int tag) {
        byte[] payload = new byte[100];
        payload[0] = 0x10;
        payload[1] = (byte) (keyframe ? 0x50 : 0x51);
        payload[10] = (byte) (tag >>> 8);
        payload[11] = (byte) tag;
        return payload;
    }

    private static void sendVideo(Client a, int seq, boolean keyframe) {
        a.sendRtp(a.publishAddress, PacketHarness.VP8, PacketHarness.VIDEO_SSRC, seq, 3000L * seq, vp8(keyframe, seq));
    }

    /** The publisher's retransmission of {@code osn}: OSN, then the original payload. */
    private static void sendRtx(Client a, long ssrc, int rtxSeq, int osn, byte[] extensions, byte[] original) {
        byte[] payload = new byte[original.length + 2];
        payload[0] = (byte) (osn >>> 8);
        payload[1] = (byte) osn;
        System.arraycopy(original, 0, payload, 2, original.length);
        a.sendRtp(a.publishAddress, RTX_PT, ssrc, rtxSeq, 3000L * osn, extensions, payload);
    }

    private static byte[] payloadOf(byte[] rtp) {
        return Arrays.copyOfRange(rtp, Rtp.headerLength(rtp, 0, rtp.length), rtp.length - Rtp.paddingLength(rtp, 0, rtp.length));
    }

    /** The sequence numbers the forwarder NACKed on the publish connection of {@code a} since the last call. */
    private static List<Integer> nacksReceived(Client a, long mediaSsrc) {
        List<Integer> out = new ArrayList<>();
        Rtcp.Cursor cursor = new Rtcp.Cursor();
        for (byte[] rtcp : a.receivedOnPublish()) {
            if (cursor.reset(rtcp, 0, rtcp.length)) {
                do {
                    if (Rtcp.isNack(cursor.type(), cursor.fmt()) && cursor.mediaSsrc() == mediaSsrc) {
                        for (int i = 0; i < cursor.nackCount(); i++) {
                            int pid = cursor.nackPid(i);
                            out.add(pid);
                            for (int bit = 0; bit < 16; bit++) {
                                if ((cursor.nackBlp(i) & (1 << bit)) != 0) {
                                    out.add((pid + bit + 1) & 0xFFFF);
                                }
                            }
                        }
                    }
                } while (cursor.next());
            }
        }
        return out;
    }

    /** The RTX SSRC and payload type the latest offer to {@code c} pairs with {@code mediaSsrc}. */
    private static long[] offeredRtx(Client c, long mediaSsrc) {
        for (SessionDescription.Media m : SessionDescription.parse(c.latestOffer().sdp()).media()) {
            if (m.primarySsrc() == mediaSsrc && !m.fidGroups().isEmpty()) {
                for (SessionDescription.Codec codec : m.codecs()) {
                    if (codec.is("rtx") && codec.associatedPayloadType() == PacketHarness.VP8) {
                        return new long[] {m.fidGroups().get(0)[1], codec.payloadType()};
                    }
                }
            }
        }
        throw new AssertionError("no RTX offered with " + mediaSsrc);
    }

    /** B joins after A (whose publish offer is in), then both answer their subscribe offers; returns B. */
    private Client joinedAndAnswered(Client a) throws Exception {
        Client b = h.client("B").join();
        a.answer();
        b.answer();
        return b;
    }

    @Test
    void shouldNackAPublishersGapTakeItsRtxAnswerAsTheMissingPacketAndForwardItInSequence() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client b = joinedAndAnswered(a);
        long atB = b.offeredSsrc("A", TrackKind.VIDEO);
        sendVideo(a, 100, true);
        sendVideo(a, 101, false);
        h.now += 30_000_000L; // past the NACK check interval: the gap is NACKed at the next packet
        sendVideo(a, 103, false);
        sendVideo(a, 104, false);
        assertThat(nacksReceived(a, PacketHarness.VIDEO_SSRC)).containsExactly(102);
        List<byte[]> before = b.receivedRtp(atB);
        assertThat(before).hasSize(4);
        int first = Rtp.sequence(before.get(0), 0);
        assertThat(Rtp.sequence(before.get(2), 0)).as("the gap is kept for the missing packet").isEqualTo((first + 3) & 0xFFFF);

        sendRtx(a, RTX_SSRC, 7000, 102, new byte[0], vp8(false, 102));

        List<byte[]> recovered = b.receivedRtp(atB);
        assertThat(recovered).hasSize(1);
        byte[] r = recovered.get(0);
        assertThat(Rtp.sequence(r, 0)).isEqualTo((first + 2) & 0xFFFF);
        assertThat(Rtp.payloadType(r, 0)).isEqualTo(PacketHarness.VP8);
        assertThat(Rtp.timestamp(r, 0) - Rtp.timestamp(before.get(0), 0)).isEqualTo(3000L * 2);
        assertThat(payloadOf(r)).isEqualTo(vp8(false, 102));
        assertThat(h.stage("rtx", "received")).isEqualTo(1);
        assertThat(h.stage("rtx", "recovered")).isEqualTo(1);
        assertThat(h.stage("track", "forwarded")).isEqualTo(5);

        // recovered: not NACKed again, and in the cache (a subscriber's NACK of it is answered)
        h.now += 300_000_000L;
        sendVideo(a, 105, false);
        long live = h.now;
        assertThat(nacksReceived(a, PacketHarness.VIDEO_SSRC)).isEmpty();
        b.receivedRtp();
        byte[] nack = new byte[64];
        int n = RtcpWriter.writeNack(nack, 0, 77, atB, new int[] {(first + 2) & 0xFFFF}, 1);
        b.sendSubscriberRtcp(nack, n);
        List<byte[]> fromCache = b.receivedRtp();
        assertThat(fromCache).hasSize(1);
        byte[] again = fromCache.get(0);
        assertThat(Rtx.originalSequence(again, 0, again.length)).isEqualTo((first + 2) & 0xFFFF);
        assertThat(Arrays.copyOfRange(payloadOf(again), 2, payloadOf(again).length)).isEqualTo(vp8(false, 102));

        // the same retransmission again (a probe with a redundant payload), and a padding-only probe: dropped
        b.receivedRtp();
        sendRtx(a, RTX_SSRC, 7001, 102, new byte[0], vp8(false, 102));
        a.sendRtp(a.publishAddress, RTX_PT, RTX_SSRC, 7002, 3000L * 105, new byte[0]);
        assertThat(b.receivedRtp()).isEmpty();
        assertThat(h.stage("rtx", "duplicate")).isEqualTo(1);
        assertThat(h.stage("rtx", "padding")).isEqualTo(1);
        assertThat(h.stage("rtx", "received")).isEqualTo(3);
        assertThat(h.stage("track", "unknown_ssrc")).isZero();
        assertThat(h.peer("A").producers[1].layers[0].lastPacketNanos).as("RTX does not show the layer alive")
                .isEqualTo(live);
    }

    @Test
    void shouldAnswerASubscribersNackWithRtxOnItsOwnRtxSsrcCarryingTheOriginalSequenceAndPayload() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client b = joinedAndAnswered(a);
        long atB = b.offeredSsrc("A", TrackKind.VIDEO);
        long[] rtx = offeredRtx(b, atB);
        assertThat(rtx[0]).isNotIn(atB, RTX_SSRC, PacketHarness.VIDEO_SSRC);
        for (int i = 0; i < 10; i++) {
            sendVideo(a, 1000 + i, i == 0);
        }
        List<byte[]> got = b.receivedRtp(atB);
        assertThat(got).hasSize(10);

        int[] asked = {Rtp.sequence(got.get(3), 0), Rtp.sequence(got.get(6), 0)};
        byte[] nack = new byte[64];
        int n = RtcpWriter.writeNack(nack, 0, 77, atB, asked, 2);
        b.sendSubscriberRtcp(nack, n);

        List<byte[]> resent = b.receivedRtp();
        assertThat(resent).hasSize(2).allSatisfy(p -> {
            assertThat(Rtp.ssrc(p, 0)).isEqualTo(rtx[0]);
            assertThat(Rtp.payloadType(p, 0)).isEqualTo((int) rtx[1]);
        });
        for (int i = 0; i < 2; i++) {
            byte[] p = resent.get(i);
            byte[] original = got.get(i == 0 ? 3 : 6);
            assertThat(Rtx.originalSequence(p, 0, p.length)).isEqualTo(asked[i]);
            assertThat(Rtp.timestamp(p, 0)).isEqualTo(Rtp.timestamp(original, 0));
            assertThat(Arrays.copyOfRange(payloadOf(p), 2, payloadOf(p).length)).isEqualTo(payloadOf(original));
        }
        assertThat(Rtp.sequence(resent.get(1), 0)).as("the RTX stream's own numbers")
                .isEqualTo((Rtp.sequence(resent.get(0), 0) + 1) & 0xFFFF);
        assertThat(h.stage("rtx", "sent")).isEqualTo(2);
        assertThat(h.stage("nack", "retransmitted")).isEqualTo(2);

        // the repeat rule still holds for RTX: the same number again within an RTT is not resent
        b.sendSubscriberRtcp(nack, n);
        assertThat(b.receivedRtp()).isEmpty();
        assertThat(h.stage("nack", "repeat_ignored")).isEqualTo(2);
    }

    @Test
    void shouldRetransmitOnTheMediaSsrcToASubscriberWhoseAnswerLeftRtxOut() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client b = h.client("B").join();
        a.answer();
        b.answerWithoutRtx();
        long atB = b.offeredSsrc("A", TrackKind.VIDEO);
        for (int i = 0; i < 5; i++) {
            sendVideo(a, 1000 + i, i == 0);
        }
        List<byte[]> got = b.receivedRtp(atB);
        int asked = Rtp.sequence(got.get(2), 0);
        byte[] nack = new byte[64];
        int n = RtcpWriter.writeNack(nack, 0, 77, atB, new int[] {asked}, 1);
        b.sendSubscriberRtcp(nack, n);

        List<byte[]> resent = b.receivedRtp();
        assertThat(resent).hasSize(1);
        assertThat(Rtp.ssrc(resent.get(0), 0)).isEqualTo(atB);
        assertThat(Rtp.sequence(resent.get(0), 0)).isEqualTo(asked);
        assertThat(payloadOf(resent.get(0))).isEqualTo(payloadOf(got.get(2)));
        assertThat(h.stage("rtx", "sent")).isZero();
        assertThat(h.stage("nack", "retransmitted")).isEqualTo(1);
    }

    private static String simulcastOffer() throws Exception {
        try (InputStream in = RtxPacketPathTest.class.getResourceAsStream("/sdp/chromium-simulcast-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldLearnASimulcastLayersRtxSsrcFromTheRepairedRidAndFillThatLayersGap() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join(simulcastOffer());
        Client c = h.client("C").join().answer();
        a.answer();
        long atC = c.offeredSsrc("A", TrackKind.VIDEO);
        assertThat(h.engine.preferLayer(PacketHarness.MEETING, "C", "A", TrackSource.CAMERA, 0)).isTrue();
        long q = 3001;
        byte[] named = {(byte) (4 << 4), '1', (byte) (10 << 4), 'q'}; // mid 1, rid q
        a.sendRtp(a.publishAddress, PacketHarness.VP8, q, 500, 3000L * 500, named, vp8(true, 500));
        a.sendRtp(a.publishAddress, PacketHarness.VP8, q, 501, 3000L * 501, vp8(false, 501));
        h.now += 30_000_000L;
        a.sendRtp(a.publishAddress, PacketHarness.VP8, q, 503, 3000L * 503, vp8(false, 503));
        assertThat(nacksReceived(a, q)).containsExactly(502);
        List<byte[]> before = c.receivedRtp(atC);
        assertThat(before).hasSize(3);

        // the layer's RTX SSRC is unknown until its first RTX packet names the layer it repairs (mid 1, rrid q)
        byte[] repaired = {(byte) (4 << 4), '1', (byte) (11 << 4), 'q'};
        sendRtx(a, 4001, 9000, 502, repaired, vp8(false, 502));

        List<byte[]> recovered = c.receivedRtp(atC);
        assertThat(recovered).hasSize(1);
        assertThat(Rtp.sequence(recovered.get(0), 0)).isEqualTo((Rtp.sequence(before.get(0), 0) + 2) & 0xFFFF);
        assertThat(payloadOf(recovered.get(0))).isEqualTo(vp8(false, 502));
        assertThat(h.peer("A").producers[1].layers[0].rtxSsrc).isEqualTo(4001);
        assertThat(h.stage("rtx", "recovered")).isEqualTo(1);
        assertThat(h.stage("track", "unknown_ssrc")).isZero();

        // an RTX packet of another layer's SSRC without the extension is not taken for q's
        sendRtx(a, 4003, 9001, 7, new byte[0], vp8(false, 7));
        assertThat(h.stage("track", "unknown_ssrc")).isEqualTo(1);
        assertThat(c.receivedRtp()).isEmpty();
    }
}
