package dev.rendezvous.loadtest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankPicksAValueThatOccurred() {
        double[] v = {15, 20, 35, 40, 50};
        assertThat(Percentiles.nearestRank(v, 30)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(v, 40)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(v, 50)).isEqualTo(35);
        assertThat(Percentiles.nearestRank(v, 100)).isEqualTo(50);
    }

    @Test
    void p99OfAHundredIsTheSecondLargestAndInputOrderDoesNotMatter() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 100 - i;
        }
        assertThat(Percentiles.nearestRank(v, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(v, 1)).isEqualTo(1);
        assertThat(v[0]).as("input untouched").isEqualTo(100);
    }

    @Test
    void noValuesGiveNaNAndABadPercentileIsRefused() {
        assertThat(Percentiles.nearestRank(new double[0], 50)).isNaN();
        assertThatThrownBy(() -> Percentiles.nearestRank(new double[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new double[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
