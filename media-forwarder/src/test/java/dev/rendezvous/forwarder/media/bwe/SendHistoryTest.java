package dev.rendezvous.forwarder.media.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendHistoryTest {

    @Test
    void shouldFindPacketsAcrossTheSixteenBitWrap() {
        SendHistory h = new SendHistory();
        for (int i = 0; i < 100; i++) {
            h.onSent((65_500 + i) & 0xFFFF, 1_000L * i, 1000 + i);
        }
        assertThat(h.sendTimeUs(65_500)).isEqualTo(0);
        assertThat(h.sendTimeUs(65_535)).isEqualTo(35_000);
        assertThat(h.sendTimeUs(0)).isEqualTo(36_000);
        assertThat(h.size(63)).isEqualTo(1099);
        assertThat(h.unwrap(0)).isEqualTo(65_536);
        assertThat(h.unwrap(65_535)).isEqualTo(65_535);
    }

    @Test
    void shouldForgetWhatTheRingOverwroteAndWhatWasNeverSent() {
        SendHistory h = new SendHistory();
        assertThat(h.sendTimeUs(5)).isEqualTo(-1);
        for (int i = 0; i < SendHistory.CAPACITY + 10; i++) {
            h.onSent(i & 0xFFFF, i, 100);
        }
        assertThat(h.sendTimeUs(5)).isEqualTo(-1);
        assertThat(h.sendTimeUs(SendHistory.CAPACITY + 5)).isEqualTo(SendHistory.CAPACITY + 5);
        assertThat(h.sendTimeUs(SendHistory.CAPACITY + 11)).isEqualTo(-1); // not sent yet
    }

    @Test
    void shouldKeepAReorderedSendBehindTheNewest() {
        SendHistory h = new SendHistory();
        h.onSent(10, 100, 1);
        h.onSent(12, 300, 1);
        h.onSent(11, 200, 1);
        assertThat(h.sendTimeUs(11)).isEqualTo(200);
        assertThat(h.unwrap(12)).isEqualTo(12);
    }
}
