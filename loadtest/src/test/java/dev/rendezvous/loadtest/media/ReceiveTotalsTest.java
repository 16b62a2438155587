package dev.rendezvous.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.stats.SendStats;
import dev.rendezvous.webrtc.stats.TrackStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveTotalsTest {

    @Test
    void sumsEveryReceiversTracksAndCountsWhoHearsWhom() {
        ClientStats a = client("a", true, track("b", "audio", 100, 2, 1.0, 40), track("b", "video", 50, 0, 3.0, 60));
        ClientStats b = client("b", false, track("a", "audio", 80, 0, 2.0, -1));
        ReceiveTotals t = ReceiveTotals.of(List.of(a, b), 1);
        assertThat(t.packets()).isEqualTo(230);
        assertThat(t.lost()).isEqualTo(2);
        assertThat(t.sentPackets()).isEqualTo(2 * 15);
        assertThat(t.pairs()).isEqualTo(2);
        assertThat(t.connected()).isEqualTo(1);
        assertThat(t.jitterMeanMs()).isEqualTo(2.0);
        assertThat(t.jitterMaxMs()).isEqualTo(3.0);
        assertThat(ReceiveTotals.firstMediaMillis(a)).isEqualTo(40);
        assertThat(ReceiveTotals.firstMediaMillis(b)).isEqualTo(-1);
    }

    @Test
    void aSenderThatJoinedAgainIsOnePairNotTwo() {
        ClientStats a = client("a", true, track("b", "audio", 10, 0, 1, 5), track("b-again", "audio", 10, 0, 1, 5));
        assertThat(ReceiveTotals.of(List.of(a), 1).pairs()).isEqualTo(1);
        assertThat(ReceiveTotals.of(List.of(a), 3).pairs()).isEqualTo(2);
    }

    @Test
    void lossIsMissingOverExpectedBetweenTwoMoments() {
        ReceiveTotals before = new ReceiveTotals(1000, 0, 10, 0, 0, 0, 0, 0);
        ReceiveTotals after = new ReceiveTotals(1900, 0, 110, 0, 0, 0, 0, 0);
        assertThat(after.lossPercentSince(before)).isEqualTo(10.0);
        assertThat(before.lossPercentSince(before)).isZero();
    }

    private static ClientStats client(String id, boolean connected, TrackStats... tracks) {
        return new ClientStats(id, connected, connected, new SendStats(10, 5, 0, 0, 0, 0, 0, 0), List.of(tracks));
    }

    private static TrackStats track(String from, String kind, long packets, long lost, double jitter, long firstMs) {
        return new TrackStats("0", 1, from, "p-" + from, kind, kind.equals("audio") ? "microphone" : "camera", true,
                packets, packets * 100, lost, jitter, packets, 1, 2, 3, firstMs, 0, 0, 0, 0, 0, 0);
    }
}
