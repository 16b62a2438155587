package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureRingTest {

    @Test
    void recordsComeOutWholeAndInOrderAcrossTheWrap() {
        CaptureRing ring = new CaptureRing(1024);
        List<String> out = new ArrayList<>();
        for (int round = 0; round < 20; round++) { // 20 × 3 × ~118 bytes: wraps several times
            for (int i = 0; i < 3; i++) {
                byte[] p = new byte[100];
                p[0] = (byte) round;
                p[99] = (byte) i;
                assertThat(ring.offer(round * 10L + i, 1000L * round + i, p, 0, p.length)).isTrue();
            }
            ring.drain((track, arrival, b, off, len) ->
                    out.add(track + "@" + arrival + ":" + len + ":" + b[off] + "/" + b[off + len - 1]));
        }
        assertThat(out).hasSize(60).startsWith("0@0:100:0/0", "1@1:100:0/1").endsWith("192@19002:100:19/2");
        assertThat(ring.dropped()).isZero();
    }

    @Test
    void aFullRingDropsAndCountsInsteadOfWaiting() {
        CaptureRing ring = new CaptureRing(1024);
        byte[] p = new byte[200];
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            accepted += ring.offer(i, i, p, 0, p.length) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(1024 / 218);
        assertThat(ring.dropped()).isEqualTo(10 - accepted);
        assertThat(ring.drain((t, a, b, o, l) -> { })).isEqualTo(accepted);
        assertThat(ring.offer(99, 99, p, 0, p.length)).as("room again after draining").isTrue();
    }
}
