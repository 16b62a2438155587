package dev.rendezvous.streams.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastLogTest {

    @Test
    void shouldAgreeWithStrictMathOverTheUnitIntervalAndBeyond() {
        SplittableRandom random = new SplittableRandom(7);
        double worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double u = WeightedRendezvous.unit(random.nextLong());
            worst = Math.max(worst, Math.abs(FastLog.ln(u) - StrictMath.log(u)) / Math.abs(StrictMath.log(u)));
        }
        assertThat(worst).as("worst relative error over (0, 1)").isLessThan(1e-12);
        for (double x : new double[] {Double.MIN_NORMAL, 1e-300, 0x1.0p-52, 0.5, 0.999999, 1.0, 2.0, 1e300}) {
            assertThat(FastLog.ln(x)).isCloseTo(StrictMath.log(x), org.assertj.core.data.Offset.offset(
                    1e-12 * Math.max(1, Math.abs(StrictMath.log(x)))));
        }
    }

    @Test
    void shouldRefuseWhatHasNoLogarithm() {
        assertThat(FastLog.ln(0)).isNaN();
        assertThat(FastLog.ln(-1)).isNaN();
        assertThat(FastLog.ln(Double.MIN_VALUE)).isNaN();   // subnormal: never a placement input
        assertThat(FastLog.ln(Double.POSITIVE_INFINITY)).isNaN();
        assertThat(FastLog.ln(Double.NaN)).isNaN();
    }
}
