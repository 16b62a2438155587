package dev.rendezvous.loadtest.media;

import java.util.Arrays;

/**
 * Nearest-rank percentiles (the smallest value with at least p % of the values at or below it), as the
 * other benchmarks in docs/benchmarks.md use: no interpolation, so every figure is a value that occurred.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) of {@code values}; NaN when there are none. */
    public static double nearestRank(double[] values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }
}
