package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QualityFiguresTest {

    @Test
    void shouldTakeTheMedianOfTheFirstValues() {
        assertThat(QualityFigures.median(new double[] {}, 0)).isZero();
        assertThat(QualityFigures.median(new double[] {5, 1, 9, 100}, 3)).isEqualTo(5);
        assertThat(QualityFigures.median(new double[] {1, 1, 1, 1000}, 4)).isEqualTo(1);
    }
}
