package dev.rendezvous.streams.placement;

/**
 * The natural logarithm of a positive normal double, within about 1e-12 (relative) of {@link StrictMath#log}, in a
 * few nanoseconds: the placement scores' hot spot. Pure arithmetic on a table built with {@code StrictMath} (Java
 * 17's floating point is strict everywhere), so every JVM computes the same value bit for bit, which placement needs
 * (every stream-apps instance and every replay must choose the same hosts); {@link Math#log} may be an intrinsic whose
 * last bit differs between machines.
 *
 * <p>With {@code x = 2^e · m}, m in [1, 2): m is split into a table point c = 1 + j/256 (j = the mantissa's top 8
 * bits) and r = (m − c)/c, |r| < 1/256; then ln x = e·ln 2 + ln c + ln(1 + r), the last by five terms of its series.
 * Within 1/256 of 1, where that sum would cancel, the series runs on x − 1 directly.
 */
final class FastLog {

    private static final int TABLE_BITS = 8;
    private static final int SIZE = 1 << TABLE_BITS;
    private static final double LN2 = StrictMath.log(2.0);
    private static final double[] LN_C = new double[SIZE];
    private static final double[] INV_C = new double[SIZE];

    static {
        for (int j = 0; j < SIZE; j++) {
            double c = 1.0 + j / (double) SIZE;
            LN_C[j] = StrictMath.log(c);
            INV_C[j] = 1.0 / c;
        }
    }

    private static final double NEAR_ONE_LOW = 1.0 - 1.0 / SIZE;
    private static final double NEAR_ONE_HIGH = 1.0 + 1.0 / SIZE;

    private FastLog() {}

    /** ln(x) for a positive, finite, normal x (callers pass values in (0, 1)); NaN otherwise. */
    static double ln(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int e = (int) ((bits >>> 52) & 0x7ff);
        if (bits <= 0 || e == 0 || e == 0x7ff) {
            return Double.NaN;
        }
        if (x > NEAR_ONE_LOW && x < NEAR_ONE_HIGH) {
            // near 1 the table form would cancel (−ln 2 + ln c ≈ 0); x − 1 is exact here, and six terms suffice
            double t = x - 1.0;
            return t * (1.0 + t * (-0.5 + t * (1.0 / 3 + t * (-0.25 + t * (0.2 - t / 6)))));
        }
        int j = (int) ((bits >>> (52 - TABLE_BITS)) & (SIZE - 1));
        double m = Double.longBitsToDouble((bits & 0x000f_ffff_ffff_ffffL) | 0x3ff0_0000_0000_0000L);
        double c = 1.0 + j * (1.0 / SIZE);
        double r = (m - c) * INV_C[j];
        // ln(1 + r) = r − r²/2 + r³/3 − r⁴/4 + r⁵/5 − …, |r| < 2^-8: the sixth term is below 2^-51
        double series = r * (1.0 + r * (-0.5 + r * (1.0 / 3 + r * (-0.25 + r * 0.2))));
        return (e - 1023) * LN2 + LN_C[j] + series;
    }
}
