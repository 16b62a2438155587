package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.rtp.Rtp;
import org.junit.jupiter.api.Test;

/** A consumer's own SSRC, sequence and timestamp space: offsets, pause and resume, NACK mapping, reports. */
class ConsumerTest {

    private final Router router = new Router("m");
    private final Peer publisher = new Peer(router, "A", "pa");
    private final Peer subscriber = new Peer(router, "B", "pb");
    private final Producer producer = new Producer(publisher, TrackSource.CAMERA, TrackKind.VIDEO, 42);
    private final byte[] in = new byte[64];
    private final byte[] out = new byte[64];

    ConsumerTest() {
        producer.bind("1", java.util.List.of(), 0, 2001);
    }

    private Consumer consumer(int seqOffset, long tsOffset) {
        return new Consumer(subscriber, producer, 7777, seqOffset, tsOffset, new RetransmitBudget(100, 10, 10));
    }

    private int[] send(Consumer c, int seq, long ts, long now) {
        in[0] = (byte) 0x80;
        in[1] = 96;
        Rtp.setSequence(in, 0, seq);
        Rtp.setTimestamp(in, 0, ts);
        Rtp.setSsrc(in, 0, 42);
        c.rewrite(in, 0, 20, out, now);
        return new int[] {Rtp.sequence(out, 0), (int) Rtp.timestamp(out, 0), (int) Rtp.ssrc(out, 0)};
    }

    @Test
    void shouldRewriteToItsOwnSsrcWithConstantOffsetsAndWrapAround() {
        Consumer c = consumer(65_530, 100);
        int[] first = send(c, 3, 1000, 0);
        assertThat(first).containsExactly(65_533, 1100, 7777);
        assertThat(send(c, 10, 4000, 1)[0]).as("wraps at 2^16").isEqualTo(4);
        assertThat(c.mapping.producerSequence(4)).isEqualTo(10);
        assertThat(Rtp.sequence(in, 0)).as("the producer-space packet is untouched").isEqualTo(10);
    }

    @Test
    void shouldContinueWithoutAGapAfterAPauseAndMapNacksOnBothSidesOfIt() {
        Consumer c = consumer(1000, 0);
        send(c, 1, 0, 0);
        send(c, 2, 3000, 33_000_000L);
        c.pause();
        assertThat(c.active()).isFalse();
        c.resume();
        // producer packets 3..99 were not sent; 100 comes half a second later
        int[] next = send(c, 100, 300_000, 533_000_000L);
        assertThat(next[0]).isEqualTo(1003);
        assertThat(next[1]).as("timestamp advances by the wall time paused (90 kHz)").isEqualTo(3000 + 45_000);
        assertThat(c.mapping.producerSequence(1003)).isEqualTo(100);
        assertThat(c.mapping.producerSequence(1002)).as("before the resume, the old offset").isEqualTo(2);
    }

    @Test
    void shouldSmoothReportedLossAndTakeRttFromItsOwnForwardedSenderReport() {
        Consumer c = consumer(0, 0);
        c.onReceiverReport(256, 0, 0, 0);
        assertThat(c.lossFraction).isEqualTo(1.0);
        c.onReceiverReport(0, 0, 0, 0);
        assertThat(c.lossFraction).isEqualTo(0.8);
        c.forwardedLsr = 0x1234;
        c.forwardedLsrNanos = 1_000_000_000L;
        c.onReceiverReport(0, 0x1234, 65_536 / 10, 1_150_000_000L); // DLSR 100 ms, 150 ms after sending
        assertThat(c.rttMs).isBetween(49.0, 51.0);
        c.onReceiverReport(0, 0x9999, 0, 9_000_000_000L);
        assertThat(c.rttMs).as("a report about another SR leaves RTT alone").isBetween(49.0, 51.0);
    }

    @Test
    void shouldTakeALatePacketOnlyWhereItsCurrentMappingCoversIt() {
        Consumer c = consumer(1000, 0);
        Layer l = producer.layer(0);
        assertThat(c.mapping.admitsLate(l, 5)).as("nothing sent yet").isFalse();
        c.admit(l, 10, true, 0);
        send(c, 10, 0, 0);
        c.admit(l, 12, false, 1);
        send(c, 12, 6000, 1);
        assertThat(c.mapping.admitsLate(l, 11)).as("a gap of this mapping").isTrue();
        assertThat(send(c, 11, 3000, 2)[0]).as("the number reserved for it").isEqualTo(1011);
        assertThat(c.mapping.admitsLate(l, 9)).as("before the mapping started").isFalse();
        c.pause();
        c.resume();
        assertThat(c.mapping.admitsLate(l, 11)).as("a new mapping is pending").isFalse();
        c.admit(l, 50, false, 3);
        assertThat(send(c, 50, 120_000, 40_000_000L)[0]).isEqualTo(1013);
        assertThat(c.mapping.admitsLate(l, 11)).as("from before the resume: its number means another packet now").isFalse();
        assertThat(c.mapping.admitsLate(l, 49)).isFalse();
        c.admit(l, 52, false, 4);
        send(c, 52, 126_000, 41_000_000L);
        assertThat(c.mapping.admitsLate(l, 51)).isTrue();
        assertThat(send(c, 51, 123_000, 42_000_000L)[0]).isEqualTo(1014);
    }

    @Test
    void shouldWrapARetransmissionInRtxOnItsOwnSsrcOnlyForWhatTheAnswerKeptRtxFor() {
        java.util.List<dev.rendezvous.forwarder.sdp.SessionDescription.Codec> codecs = java.util.List.of(
                new dev.rendezvous.forwarder.sdp.SessionDescription.Codec(96, "VP8", 90_000, 1, null, java.util.List.of()),
                new dev.rendezvous.forwarder.sdp.SessionDescription.Codec(97, "rtx", 90_000, 1, "apt=96", java.util.List.of()));
        Consumer c = new Consumer(subscriber, producer, 7777, 8888, 0, 0, new RetransmitBudget(100, 10, 10));
        c.offered(codecs.subList(0, 1));
        c.answered(codecs);
        assertThat(c.rtxNegotiated()).isTrue();
        byte[] b = new byte[64];
        int[] rtxSeqs = new int[2];
        for (int i = 0; i < 2; i++) {
            b[0] = (byte) 0x80;
            b[1] = 96;
            Rtp.setSequence(b, 0, 300 + i);
            b[12] = (byte) (0x40 + i);
            int n = c.wrapRetransmission(b, 0, 20);
            assertThat(n).isEqualTo(22);
            assertThat(Rtp.ssrc(b, 0)).isEqualTo(8888);
            assertThat(Rtp.payloadType(b, 0)).isEqualTo(97);
            assertThat(dev.rendezvous.forwarder.media.rtp.Rtx.originalSequence(b, 0, n)).isEqualTo(300 + i);
            assertThat(b[14]).isEqualTo((byte) (0x40 + i));
            rtxSeqs[i] = Rtp.sequence(b, 0);
        }
        assertThat(rtxSeqs[1]).as("its own sequence").isEqualTo((rtxSeqs[0] + 1) & 0xFFFF);
        b[1] = 100;
        assertThat(c.wrapRetransmission(b, 0, 20)).as("no RTX for that payload type").isEqualTo(-1);

        c.answered(codecs.subList(0, 1)); // a new answer without RTX
        assertThat(c.rtxNegotiated()).isFalse();
        b[1] = 96;
        assertThat(c.wrapRetransmission(b, 0, 20)).isEqualTo(-1);
        Consumer noRtxSsrc = consumer(0, 0);
        noRtxSsrc.answered(codecs);
        assertThat(noRtxSsrc.rtxNegotiated()).as("audio, or made without an RTX SSRC").isFalse();
    }
}
