package dev.rendezvous.forwarder.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SsrcContextsTest {

    @Test
    void shouldEstimateThePacketIndexAsRfc3711AppendixA() {
        assertThat(SsrcContexts.estimateIndex(65535, 0)).isEqualTo(65536);
        assertThat(SsrcContexts.estimateIndex(65536, 65535)).isEqualTo(65535);
        assertThat(SsrcContexts.estimateIndex(65536 + 100, 50)).isEqualTo(65536 + 50);
        assertThat(SsrcContexts.estimateIndex(10, 65530)).as("before ROC 0").isEqualTo(-1);
        assertThat(SsrcContexts.estimateIndex(3L << 16 | 40000, 2000)).isEqualTo(4L << 16 | 2000);
    }

    @Test
    void shouldStartProbingAnywhereInTheTable() {
        // the first slot used to come from the hash's top 7 bits: 128 starting points in a table of 1,024, so
        // hundreds of SSRCs piled into long probe runs
        Set<Integer> starts = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            starts.add(SsrcContexts.slotOf(random.nextInt()));
        }
        assertThat(starts).hasSize(2 * SsrcContexts.MAX);
        assertThat(starts).allSatisfy(slot -> assertThat(slot).isBetween(0, 2 * SsrcContexts.MAX - 1));
    }

    @Test
    void shouldHoldUpToMaxContextsAndFindEachAgain() {
        SsrcContexts table = new SsrcContexts();
        for (int ssrc = 1; ssrc <= SsrcContexts.MAX; ssrc++) {
            assertThat(table.findOrInsert(ssrc * 7919)).isNotNull();
        }
        assertThat(table.full()).isTrue();
        assertThat(table.insert(-1)).as("a further SSRC").isNull();
        assertThat(table.findOrInsert(-1)).isNull();
        for (int ssrc = 1; ssrc <= SsrcContexts.MAX; ssrc++) {
            assertThat(table.find(ssrc * 7919)).extracting(c -> c.ssrc).isEqualTo(ssrc * 7919);
        }
        assertThat(table.size()).isEqualTo(SsrcContexts.MAX);
    }

    @Test
    void shouldRefuseWhatTheWindowHasSeenOrForgotten() {
        SsrcContexts.Context c = new SsrcContexts().findOrInsert(42);
        assertThat(c.rtp.replay(100)).as("nothing seen yet").isFalse();
        c.rtp.accept(100);
        c.rtp.accept(98);
        assertThat(c.rtp.replay(100)).isTrue();
        assertThat(c.rtp.replay(98)).isTrue();
        assertThat(c.rtp.replay(99)).as("a gap is not a replay").isFalse();
        assertThat(c.rtp.replay(101)).isFalse();
        assertThat(c.rtp.replay(100 - SsrcContexts.WINDOW)).as("older than the window").isTrue();

        c.rtp.accept(100 + SsrcContexts.WINDOW + 5); // a jump past the whole window
        assertThat(c.rtp.replay(99)).isTrue();
        assertThat(c.rtp.replay(100 + SsrcContexts.WINDOW + 4)).isFalse();
        assertThat(c.rtcp.replay(100)).as("RTCP keeps its own window").isFalse();
    }
}
