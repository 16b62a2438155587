package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.TransportCc;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarder's packet path at the level of datagrams: routing through producers and consumers, NACK
 * answering and its limits, keyframe replay, mute, address changes and the quality figures placement reads.
 */
class ForwarderPacketPathTest {

    private PacketHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    /** A and B in a room, each receiving the other. */
    private Client[] pair() throws Exception {
        h = new PacketHarness();
        return h.pair();
    }

    private static long ssrc(byte[] rtp) {
        return Rtp.ssrc(rtp, 0);
    }

    @Test
    void shouldForwardEachPublishersMediaToTheOthersRewrittenToEachConsumersOwnSsrcAndSequence() throws Exception {
        Client[] ab = pair();
        Client a = ab[0], b = ab[1];
        Client c = h.client("C").join().answer();
        a.answer();
        b.answer();
        for (int i = 0; i < 5; i++) {
            a.sendVideo(100 + i, 9000L * i, i == 0);
            a.sendAudio(500 + i, 960L * i);
        }
        List<byte[]> atB = b.receivedRtp();
        List<byte[]> atC = c.receivedRtp();
        long bVideo = b.offeredSsrc("A", TrackKind.VIDEO);
        long cVideo = c.offeredSsrc("A", TrackKind.VIDEO);
        assertThat(bVideo).isNotEqualTo(cVideo).isNotEqualTo(PacketHarness.VIDEO_SSRC);
        List<byte[]> videoAtB = atB.stream().filter(p -> ssrc(p) == bVideo).toList();
        List<byte[]> videoAtC = atC.stream().filter(p -> ssrc(p) == cVideo).toList();
        assertThat(videoAtB).hasSize(5);
        assertThat(videoAtC).hasSize(5);
        assertThat(atB.stream().filter(p -> ssrc(p) == b.offeredSsrc("A", TrackKind.AUDIO))).hasSize(5);
        for (int i = 1; i < 5; i++) {
            assertThat(Rtp.sequence(videoAtB.get(i), 0)).isEqualTo((Rtp.sequence(videoAtB.get(0), 0) + i) & 0xFFFF);
            assertThat(Rtp.timestamp(videoAtB.get(i), 0) - Rtp.timestamp(videoAtB.get(0), 0)).isEqualTo(9000L * i);
        }
        assertThat(a.receivedRtp()).as("nobody receives their own tracks").isEmpty();
        assertThat(h.stage("track", "forwarded")).isEqualTo(10);
        assertThat(h.engine.snapshot().streamsOut()).as("three peers, each receiving two tracks of two others").isEqualTo(12);
    }

    /** A sends {@code count} video packets; the outbound sequence number of the first of them at B. */
    private static int sendVideoAndFirstSequenceAt(Client a, Client b, int count) {
        for (int i = 0; i < count; i++) {
            a.sendVideo(1000 + i, 3000L * i, i == 0);
        }
        List<byte[]> got = b.receivedRtp();
        return Rtp.sequence(got.get(got.size() - count), 0);
    }

    private byte[] nack(long mediaSsrc, int[] seqs) {
        byte[] b = new byte[4096];
        int n = RtcpWriter.writeNack(b, 0, 77, mediaSsrc, seqs, seqs.length);
        return java.util.Arrays.copyOf(b, n);
    }

    @Test
    void shouldAnswerNacksFromTheCacheButBoundRetransmissionsPerNackPacketAndIgnoreRepeats() throws Exception {
        Client[] ab = pair();
        Client b = ab[1];
        int first = sendVideoAndFirstSequenceAt(ab[0], b, 300);
        long ssrc = b.offeredSsrc("A", TrackKind.VIDEO);
        int[] all = new int[200];
        for (int i = 0; i < all.length; i++) {
            all[i] = (first + 50 + i) & 0xFFFF;
        }
        byte[] big = nack(ssrc, all);
        b.sendSubscriberRtcp(big, big.length);
        List<byte[]> resent = b.receivedRtp();
        assertThat(resent).as("one NACK packet asking for 200").hasSize(SubscribeNegotiator.RETRANSMITS_PER_NACK);
        // RTX-wrapped (the answer kept the offered rtx): the original number is the OSN
        assertThat(dev.rendezvous.forwarder.media.rtp.Rtx.originalSequence(resent.get(0), 0, resent.get(0).length))
                .isEqualTo(all[0]);
        assertThat(h.stage("rtx", "sent")).isEqualTo(SubscribeNegotiator.RETRANSMITS_PER_NACK);
        assertThat(h.stage("nack", "packet_limit")).isEqualTo(1);

        int[] again = java.util.Arrays.copyOf(all, 10);
        byte[] repeat = nack(ssrc, again);
        b.sendSubscriberRtcp(repeat, repeat.length);
        assertThat(b.receivedRtp()).as("the same numbers again within an RTT").isEmpty();
        assertThat(h.stage("nack", "repeat_ignored")).isEqualTo(10);

        h.now += 200_000_000L; // later than any RTT window
        b.sendSubscriberRtcp(repeat, repeat.length);
        assertThat(b.receivedRtp()).hasSize(10);
        assertThat(h.stage("nack", "retransmitted")).isEqualTo(SubscribeNegotiator.RETRANSMITS_PER_NACK + 10);
    }

    @Test
    void shouldLimitRetransmissionsPerSecondWhateverTheNumberOfNackPackets() throws Exception {
        Client[] ab = pair();
        Client b = ab[1];
        int first = sendVideoAndFirstSequenceAt(ab[0], b, 500);
        long ssrc = b.offeredSsrc("A", TrackKind.VIDEO);
        long start = h.now;
        for (int k = 0; k < 20; k++) { // 20 NACK packets of 25 distinct numbers each, within ~20 ms
            int[] seqs = new int[25];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = (first + k * 25 + i) & 0xFFFF;
            }
            byte[] n = nack(ssrc, seqs);
            b.sendSubscriberRtcp(n, n.length);
        }
        double seconds = (h.now - start) / 1e9;
        long allowed = SubscribeNegotiator.RETRANSMIT_BURST + Math.round(SubscribeNegotiator.RETRANSMITS_PER_SECOND * seconds) + 1;
        assertThat(b.receivedRtp().size()).isLessThanOrEqualTo((int) allowed).isGreaterThanOrEqualTo(SubscribeNegotiator.RETRANSMIT_BURST);
        assertThat(h.stage("nack", "rate_limited")).isPositive();
    }

    @Test
    void shouldReplayTheLatestKeyframeToALateJoinerBeforeLivePackets() throws Exception {
        Client[] ab = pair();
        Client a = ab[0];
        a.sendVideo(10, 0, true);
        for (int i = 1; i <= 10; i++) {
            a.sendVideo(10 + i, 3000L * i, false);
        }
        Client c = h.client("C").join().answer();
        a.sendVideo(21, 3000L * 11, false); // the next datagram starts C's consumers
        List<byte[]> atC = c.receivedRtp();
        long cVideo = c.offeredSsrc("A", TrackKind.VIDEO);
        List<byte[]> video = atC.stream().filter(p -> Rtp.ssrc(p, 0) == cVideo).toList();
        assertThat(video).hasSize(12);
        assertThat(video.get(0)[13]).as("the first packet C gets starts A's keyframe").isEqualTo((byte) 0x50);
        for (int i = 1; i < video.size(); i++) {
            assertThat(Rtp.sequence(video.get(i), 0)).isEqualTo((Rtp.sequence(video.get(0), 0) + i) & 0xFFFF);
        }
        assertThat(h.stage("keyframe", "replayed_packets")).isEqualTo(11);
    }

    @Test
    void shouldSendAKeyframeRequestTheRateLimitDroppedOnceTheLimitAllows() throws Exception {
        Client[] ab = pair();
        Client a = ab[0];
        a.sendVideo(10, 0, false);   // video flows, but no keyframe is cached: starting consumers must ask for one
        h.client("C").join().answer();
        a.sendVideo(11, 3000, false);   // starts C's consumer of A's camera: a PLI
        h.client("D").join().answer();
        a.sendVideo(12, 6000, false);   // D's, a few ms later: dropped by the per-track limit (300 ms)
        Producer camera = java.util.Arrays.stream(h.peer("A").producers).filter(p -> !p.audio()).findFirst().orElseThrow();
        assertThat(h.stage("keyframe", "rate_limited")).isPositive();
        assertThat(camera.layers[0].keyframeOwed).as("D still waits for a keyframe").isTrue();

        // B's camera (its SSRC known from its offer) was asked for the same way: count every track owed one
        List<Producer> owed = h.engine.router(PacketHarness.MEETING).bySocket.values().stream()
                .flatMap(p -> java.util.Arrays.stream(p.producers)).filter(p -> p.layers[0].keyframeOwed).toList();
        assertThat(owed).contains(camera);
        long sent = h.stage("keyframe", "requested");
        h.engine.runTimersNow();   // still within the limit: nothing yet
        assertThat(h.stage("keyframe", "requested")).isEqualTo(sent);
        h.now += 400_000_000L;
        h.engine.runTimersNow();   // the limit allows it now: each owed request goes out, once
        h.engine.runTimersNow();
        assertThat(h.stage("keyframe", "requested")).isEqualTo(sent + owed.size());
        assertThat(owed).noneMatch(p -> p.layers[0].keyframeOwed);
    }

    @Test
    void shouldNotForwardAMutedTrackAndResumeWithoutASequenceGapWithAKeyframeRequest() throws Exception {
        Client[] ab = pair();
        Client a = ab[0], b = ab[1];
        a.sendVideo(1, 0, true);
        a.sendVideo(2, 3000, false);
        h.engine.updateTracks(PacketHarness.MEETING, "A", List.of(new TrackSpec("1", TrackKind.VIDEO, TrackSource.CAMERA, true)));
        a.sendVideo(3, 6000, false);
        a.sendVideo(4, 9000, false);
        assertThat(h.stage("track", "muted")).isEqualTo(2);
        a.receivedOnPublish();
        h.now += 1_000_000_000L; // past the PLI rate limit of the keyframe request the start made
        h.engine.updateTracks(PacketHarness.MEETING, "A", List.of(new TrackSpec("1", TrackKind.VIDEO, TrackSource.CAMERA, false)));
        assertThat(a.receivedOnPublish()).as("unmuting asks the publisher for a keyframe")
                .anySatisfy(p -> assertThat(p[1] & 0xFF).isEqualTo(Rtcp.PSFB));
        a.sendVideo(5, 12000, true);
        long ssrc = b.offeredSsrc("A", TrackKind.VIDEO);
        List<byte[]> video = b.receivedRtp().stream().filter(p -> Rtp.ssrc(p, 0) == ssrc).toList();
        assertThat(video).hasSize(3);
        assertThat(Rtp.sequence(video.get(2), 0)).isEqualTo((Rtp.sequence(video.get(1), 0) + 1) & 0xFFFF);
    }

    @Test
    void shouldMoveToANewAddressOnlyAfterAnAuthenticatedCheckAndValidSrtpFromIt() throws Exception {
        Client[] ab = pair();
        Client a = ab[0], b = ab[1];
        Transport sub = h.peer("B").subscribe;
        InetSocketAddress old = b.subscribeAddress;
        InetSocketAddress moved = new InetSocketAddress("127.0.0.3", 50000);
        b.check(moved, sub.localUfrag, sub.localPwd, true); // e.g. a replayed or spoofed check
        assertThat(sub.remote).isEqualTo(old);
        a.sendVideo(1, 0, true);
        assertThat(b.rtpSentTo(old)).hasSize(1);
        assertThat(b.rtpSentTo(moved)).isEmpty();

        byte[] forged = new byte[60];
        forged[0] = (byte) 0x80;
        forged[1] = (byte) Rtcp.RR;
        h.deliver(moved, forged); // not authenticated with B's keys
        assertThat(sub.remote).isEqualTo(old);

        byte[] rr = new byte[64];
        int n = RtcpWriter.writeReceiverReport(rr, 0, 77, 0);
        b.sendSubscriberRtcpFrom(moved, rr, n);
        assertThat(sub.remote).isEqualTo(moved);
        a.sendVideo(2, 3000, false);
        assertThat(b.rtpSentTo(moved)).hasSize(1);
        assertThat(b.rtpSentTo(old)).isEmpty();
        assertThat(h.stage("ice", "address_confirmed")).isEqualTo(1);
    }

    @Test
    void shouldReportSubscriberLossAsAMedianThatOneCraftedReportCannotSkew() throws Exception {
        h = new PacketHarness();
        Client a = h.client("A").join();
        Client[] subs = new Client[5];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = h.client("S" + i).join();
        }
        a.answer();
        for (Client s : subs) {
            s.answer();
        }
        a.sendVideo(1, 0, true);
        for (int i = 0; i < subs.length; i++) {
            byte[] rr = new byte[128];
            int n = RtcpWriter.writeReceiverReport(rr, 0, 77, 1);
            n += RtcpWriter.writeReportBlock(rr, n, subs[i].offeredSsrc("A", TrackKind.VIDEO), i == 0 ? 255 : 0, 0, 0, 0, 0, 0);
            subs[i].sendSubscriberRtcp(rr, n);
        }
        assertThat(h.engine.snapshot().lossRatio()).as("one of five reports 100 %% loss").isLessThan(0.01);
    }

    @Test
    void shouldPassSubscribersKeyframeRequestsToThePublisherAtMostEvery300Ms() throws Exception {
        Client[] ab = pair();
        Client a = ab[0], b = ab[1];
        a.sendVideo(1, 0, true);
        h.now += 1_000_000_000L;
        a.receivedOnPublish();
        long ssrc = b.offeredSsrc("A", TrackKind.VIDEO);
        byte[] pli = new byte[16];
        int n = RtcpWriter.writePli(pli, 0, 77, ssrc);
        long limitedBefore = h.stage("keyframe", "rate_limited");
        b.sendSubscriberRtcp(pli, n);
        b.sendSubscriberRtcp(pli, n); // 1 ms later
        List<byte[]> atA = a.receivedOnPublish();
        assertThat(atA.stream().filter(p -> (p[1] & 0xFF) == Rtcp.PSFB)).hasSize(1);
        assertThat(h.stage("keyframe", "rate_limited")).isEqualTo(limitedBefore + 1);
        h.now += 300_000_000L;
        b.sendSubscriberRtcp(pli, n);
        assertThat(a.receivedOnPublish().stream().filter(p -> (p[1] & 0xFF) == Rtcp.PSFB)).hasSize(1);
        byte[] unknown = new byte[16];
        int u = RtcpWriter.writePli(unknown, 0, 77, 123456);
        b.sendSubscriberRtcp(unknown, u);
        assertThat(h.stage("rtcp", "unknown_ssrc")).isEqualTo(1);
    }

    @Test
    void shouldDropAConnectionWithoutIceConsentAndTellTheOthers() throws Exception {
        Client[] ab = pair();
        Client a = ab[0];
        h.now += 31_000_000_000L; // B's checks stop; A keeps checking
        a.keepAlive();
        h.engine.runTimersNow();
        assertThat(h.events).contains("disconnected:B:true", "disconnected:B:false");
        assertThat(h.events).doesNotContain("disconnected:A:true", "disconnected:A:false");
        assertThat(h.peer("B").publish.closed).isTrue();
        assertThat(h.peer("B").subscribe).isNull();
        assertThat(a.latestOffer().tracks()).as("A is offered B's tracks no more").isEmpty();
    }

    /** A VP8 packet of A's camera carrying the transport-wide sequence number (extension id 3, as offered). */
    private void sendVideoWithTransportSeq(Client a, int seq, int transportSeq) {
        byte[] b = new byte[12 + 8 + 100 + 16];
        b[0] = (byte) 0x90; // V=2, X=1
        b[1] = (byte) PacketHarness.VP8;
        Rtp.setSequence(b, 0, seq);
        Rtp.setTimestamp(b, 0, 3000L * seq);
        Rtp.setSsrc(b, 0, PacketHarness.VIDEO_SSRC);
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[15] = 1; // one word of elements
        b[16] = 0x31; // id 3, two bytes
        b[17] = (byte) (transportSeq >>> 8);
        b[18] = (byte) transportSeq;
        b[20] = 0x10;
        b[21] = 0x51;
        int n = a.publishOut.protectRtp(b, 0, 12 + 8 + 100);
        h.deliver(a.publishAddress, java.util.Arrays.copyOf(b, n));
    }

    @Test
    void shouldSendPublishersTransportWideFeedbackOfWhatArrivedAcrossTheSequenceWrap() throws Exception {
        Client[] ab = pair();
        Client a = ab[0];
        a.receivedOnPublish();
        int transportSeq = 65_520;
        for (int i = 0; i < 30; i++, transportSeq++) {
            if (i != 20) { // 65540 & 0xFFFF = 4 is lost on the way
                sendVideoWithTransportSeq(a, 100 + i, transportSeq & 0xFFFF);
            }
        }
        assertThat(h.stage("transport-cc", "feedback_sent")).as("not before 50 ms").isZero();
        h.now += 60_000_000L;
        sendVideoWithTransportSeq(a, 130, transportSeq & 0xFFFF);

        List<long[]> statuses = new java.util.ArrayList<>();
        TransportCc.Reader reader = new TransportCc.Reader();
        Rtcp.Cursor cursor = new Rtcp.Cursor();
        for (byte[] rtcp : a.receivedOnPublish()) {
            if (cursor.reset(rtcp, 0, rtcp.length)) {
                do {
                    if (TransportCc.isTransportCc(cursor.type(), cursor.fmt())
                            && reader.reset(rtcp, cursor.offset(), cursor.bodyLength())) {
                        while (reader.next()) {
                            statuses.add(new long[] {reader.sequence(), reader.arrivalUs()});
                        }
                    }
                } while (cursor.next());
            }
        }
        assertThat(h.stage("transport-cc", "feedback_sent")).isEqualTo(1);
        assertThat(statuses).hasSize(31);
        assertThat(statuses.get(0)[0]).isEqualTo(65_520);
        assertThat(statuses.get(16)[0]).isEqualTo(0);
        assertThat(statuses.get(20)).containsExactly(4, -1);
        // one packet per harness millisecond, then the 60 ms pause
        assertThat(statuses.get(19)[1] - statuses.get(0)[1]).isEqualTo(19_000);
        assertThat(statuses.get(30)[1] - statuses.get(29)[1]).isEqualTo(61_000);
        assertThat(h.stage("track", "forwarded")).as("the media itself still goes through").isEqualTo(30);
    }

    @Test
    void shouldNumberWhatASubscriberReceivesAndFeedItsTransportFeedbackIntoItsDownlinkEstimate() throws Exception {
        Client[] ab = pair();
        Client a = ab[0], b = ab[1];
        assertThat(b.latestOffer().sdp()).contains("a=extmap:3 " + dev.rendezvous.forwarder.sdp.SdpNegotiator.TRANSPORT_CC_URI,
                "a=rtcp-fb:96 transport-cc");
        b.receivedRtp();
        for (int i = 0; i < 10; i++) {
            sendVideoWithTransportSeq(a, 200 + i, 40_000 + i); // the publisher's own numbering
        }
        List<byte[]> got = b.receivedRtp();
        assertThat(got).hasSize(10);
        int first = Rtp.transportSequence(got.get(0), 0, got.get(0).length, 3);
        for (int i = 0; i < got.size(); i++) {
            assertThat(Rtp.transportSequence(got.get(i), 0, got.get(i).length, 3))
                    .as("numbered per subscriber connection, not the publisher's").isEqualTo((first + i) & 0xFFFF);
        }

        long[] arrivals = new long[10];
        for (int i = 0; i < 10; i++) {
            arrivals[i] = i == 4 ? -1 : 5_000_000 + i * 2_000L;
        }
        byte[] fb = new byte[1500];
        int n = new TransportCc.Writer(64).write(fb, 0, 1200, 77, 0, 0, first, arrivals, 0, 10);
        b.sendSubscriberRtcp(fb, n);

        Transport st = h.peer("B").subscribe;
        assertThat(st.downlink.feedbackPackets()).isEqualTo(1);
        assertThat(st.downlink.unknownStatuses()).isZero();
        assertThat(st.downlink.estimator().packetsReported()).isEqualTo(10);
        assertThat(st.downlink.estimator().packetsLost()).isEqualTo(1);
        assertThat(h.peer("A").subscribe.downlink.feedbackPackets()).as("A's own downlink saw nothing").isZero();
        assertThat(h.engine.downlinkEstimates()).as("what the metrics gauges read: B's estimate only")
                .containsExactly(st.downlink.estimator().targetBps());
    }
}
