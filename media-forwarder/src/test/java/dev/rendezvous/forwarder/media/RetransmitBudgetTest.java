package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.RetransmitBudget.Decision;
import org.junit.jupiter.api.Test;

class RetransmitBudgetTest {

    @Test
    void shouldLimitEachNackPacket() {
        RetransmitBudget b = new RetransmitBudget(1000, 1000, 3);
        b.startNackPacket();
        assertThat(b.request(1, 0, 0)).isEqualTo(Decision.SEND);
        assertThat(b.request(2, 0, 0)).isEqualTo(Decision.SEND);
        assertThat(b.request(3, 0, 0)).isEqualTo(Decision.SEND);
        assertThat(b.request(4, 0, 0)).isEqualTo(Decision.PACKET_LIMIT);
        b.startNackPacket();
        assertThat(b.request(4, 0, 0)).isEqualTo(Decision.SEND);
    }

    @Test
    void shouldIgnoreARepeatWithinTheRttOrTheMinimumWindow() {
        RetransmitBudget b = new RetransmitBudget(1000, 1000, 100);
        b.startNackPacket();
        assertThat(b.request(5, 0, 50_000_000L)).isEqualTo(Decision.SEND);
        assertThat(b.request(5, 40_000_000L, 50_000_000L)).isEqualTo(Decision.REPEAT);
        assertThat(b.request(5, 60_000_000L, 50_000_000L)).isEqualTo(Decision.SEND);
        assertThat(b.request(5, 70_000_000L, 0)).as("20 ms at least, RTT unknown").isEqualTo(Decision.REPEAT);
        assertThat(b.request(5 + 1024, 70_000_000L, 0)).as("another number in the same slot").isEqualTo(Decision.SEND);
    }

    @Test
    void shouldRefillAtTheConfiguredRateUpToTheBurst() {
        RetransmitBudget b = new RetransmitBudget(10, 5, 1000);
        b.startNackPacket();
        int sent = 0;
        for (int i = 0; i < 20; i++) {
            if (b.request(i, 1, 0) == Decision.SEND) {
                sent++;
            }
        }
        assertThat(sent).isEqualTo(5);
        assertThat(b.request(100, 1, 0)).isEqualTo(Decision.RATE_LIMIT);
        assertThat(b.request(101, 1 + 100_000_000L, 0)).as("one token after 100 ms at 10/s").isEqualTo(Decision.SEND);
        assertThat(b.request(102, 1 + 100_000_000L, 0)).isEqualTo(Decision.RATE_LIMIT);
        int later = 0;
        for (int i = 200; i < 220; i++) {
            if (b.request(i, 1 + 60_000_000_000L, 0) == Decision.SEND) {
                later++;
            }
        }
        assertThat(later).as("a minute idle refills only the burst").isEqualTo(5);
    }
}
