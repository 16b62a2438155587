package dev.rendezvous.recorder.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    private final List<String> out = new ArrayList<>();
    private final ReorderBuffer buffer = new ReorderBuffer(8, 100,
            (rtp, len, arrival, lost) -> out.add((lost ? "!" : "") + seq(rtp)));

    @Test
    void holdsEachPacketForTheWaitThenReleasesInOrder() {
        push(11, 0);
        push(10, 5); // arrived after the first, still goes first
        push(12, 10);
        assertThat(out).isEmpty();
        push(13, 105);
        assertThat(out).containsExactly("10", "11");
        buffer.flush();
        assertThat(out).containsExactly("10", "11", "12", "13");
        assertThat(buffer.lost()).isZero();
    }

    @Test
    void givesUpAHoleOnceThePacketAfterItWaitedAndFlagsThatPacket() {
        push(1, 0);
        push(3, 10);
        push(4, 50);
        push(5, 111); // 1 and 3 are old enough; 2 is missing
        assertThat(out).containsExactly("1", "!3");
        push(2, 112); // too late now
        assertThat(buffer.dropped()).isEqualTo(1);
        assertThat(buffer.lost()).isEqualTo(1);
    }

    @Test
    void followsTheSequenceAcrossTheWrapAndDropsDuplicates() {
        push(65534, 0);
        push(65535, 1);
        push(0, 2);
        push(65535, 3);
        push(1, 4);
        buffer.flush();
        assertThat(out).containsExactly("65534", "65535", "0", "1");
        assertThat(buffer.dropped()).isEqualTo(1);
    }

    @Test
    void aFullBufferReleasesWithoutWaitingAndRuntsAreDropped() {
        for (int s = 0; s < 12; s++) {
            push(s, 0);
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(4).startsWith("0", "1", "2", "3");
        buffer.push(new byte[5], 0, 5, 0);
        assertThat(buffer.dropped()).isEqualTo(1);
    }

    private void push(int seq, long arrival) {
        byte[] p = new byte[12];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        buffer.push(p, 0, p.length, arrival);
    }

    private static int seq(byte[] p) {
        return ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
    }
}
