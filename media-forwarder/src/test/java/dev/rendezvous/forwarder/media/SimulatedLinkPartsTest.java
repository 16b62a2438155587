package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.rtp.TransportCc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test-side parts of {@link DownlinkShapingPacketTest}: the shaper's timing and drops, and the page's
 * transport-wide feedback — its bytes checked by hand against the draft, then read back by the forwarder's reader.
 */
class SimulatedLinkPartsTest {

    private static final long MS = 1_000_000;

    @Test
    void shouldPaceAtTheRateAfterTheBurstAndDropWhatTheQueueCannotHold() {
        List<long[]> left = new ArrayList<>();
        // 1 Mbit/s, a 1,500-byte bucket (full at the start), a 3,000-byte queue; 1,000-byte datagrams at t = 0
        TokenBucketShaper<Integer> s = new TokenBucketShaper<>(1_000_000, 1_500, 3_000, 0);
        for (int i = 0; i < 5; i++) {
            s.offer(i, 1_000, 0, (item, at) -> left.add(new long[] {item, at}));
        }
        assertThat(s.dropped()).as("the bucket's first, then 3,000 bytes queued; the rest dropped").isEqualTo(1);
        s.advance(100 * MS, (item, at) -> left.add(new long[] {item, at}));
        assertThat(left).extracting(l -> l[0]).containsExactly(0L, 1L, 2L, 3L);
        // the first leaves at once; the bucket keeps 500 bytes, so the next waits 4 ms, then one every 8 ms
        assertThat(left).extracting(l -> l[1]).containsExactly(0L, 4 * MS, 12 * MS, 20 * MS);

        s.setRate(2_000_000, 100 * MS, (item, at) -> { });
        s.offer(9, 1_000, 100 * MS, (item, at) -> left.add(new long[] {item, at}));
        s.offer(10, 1_000, 100 * MS, (item, at) -> left.add(new long[] {item, at}));
        s.advance(200 * MS, (item, at) -> left.add(new long[] {item, at}));
        assertThat(left.subList(4, 6)).extracting(l -> l[1]).as("the full bucket, then 2 ms for the 500 bytes it lacks at 2 Mbit/s")
                .containsExactly(100 * MS, 102 * MS);
    }

    @Test
    void shouldWriteTheDraftsFeedbackThatTheForwardersReaderReadsBack() {
        BrowserTransportFeedback f = new BrowserTransportFeedback(0x11223344L);
        long t0 = 10 * 64_000 + 1_000; // 1 ms after the reference time 10
        f.onArrival(65534, t0);
        f.onArrival(65535, t0 + 2_000);
        f.onArrival(0, t0 + 2_250);
        // 1 is lost; 2 arrives 100 ms later: a large delta (400 ticks)
        f.onArrival(2, t0 + 102_250);
        List<byte[]> out = f.takeFeedback(0x55667788L);
        assertThat(out).hasSize(1);
        byte[] b = out.get(0);
        assertThat(b[0] & 0xFF).isEqualTo(0x8F);
        assertThat(b[1] & 0xFF).isEqualTo(205);
        assertThat(((b[2] & 0xFF) << 8 | (b[3] & 0xFF)) + 1).isEqualTo(b.length / 4);
        assertThat((b[12] & 0xFF) << 8 | (b[13] & 0xFF)).as("base").isEqualTo(65534);
        assertThat((b[14] & 0xFF) << 8 | (b[15] & 0xFF)).as("status count").isEqualTo(5);
        assertThat((b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 8 | (b[18] & 0xFF)).as("reference, 64 ms").isEqualTo(10);
        // one two-bit chunk: small, small, small, not received, large, then two padding symbols
        assertThat((b[20] & 0xFF) << 8 | (b[21] & 0xFF)).isEqualTo(0xC000 | 1 << 12 | 1 << 10 | 1 << 8 | 2 << 4);
        assertThat(new int[] {b[22] & 0xFF, b[23] & 0xFF, b[24] & 0xFF, b[25], b[26] & 0xFF})
                .as("deltas in 250 µs ticks: 4, 8, 1, then 400 in two bytes").containsExactly(4, 8, 1, 1, 0x90);

        TransportCc.Reader r = new TransportCc.Reader();
        assertThat(r.reset(b, 0, b.length)).isTrue();
        List<String> read = new ArrayList<>();
        while (r.next()) {
            read.add(r.sequence() + ":" + (r.received() ? r.arrivalUs() - 640_000 : -1));
        }
        assertThat(read).containsExactly("65534:1000", "65535:3000", "0:3250", "1:-1", "2:103250");
        assertThat(f.takeFeedback(0)).as("nothing new").isEmpty();
        f.onArrival(1, t0 + 200_000);
        assertThat(f.takeFeedback(0)).as("a packet reported lost is not reported again").isEmpty();
    }
}
