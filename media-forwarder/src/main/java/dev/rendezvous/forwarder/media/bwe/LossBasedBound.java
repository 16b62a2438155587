package dev.rendezvous.forwarder.media.bwe;

/**
 * The loss-based bound of draft-ietf-rmcat-gcc-02 section 6: over windows of at least {@value #WINDOW_US} µs and
 * {@value #MIN_PACKETS} packets, a loss fraction above {@value #HIGH_LOSS} brings the bound to the sending rate
 * × (1 − loss / 2); below {@value #LOW_LOSS} the bound grows by {@value #GROWTH} per window (from at least the
 * sending rate); in between it holds. Starts unbounded (the maximum).
 */
final class LossBasedBound {

    static final long WINDOW_US = 500_000;
    static final int MIN_PACKETS = 20;
    static final double HIGH_LOSS = 0.10;
    static final double LOW_LOSS = 0.02;
    static final double GROWTH = 1.05;

    private final long minBps;
    private final long maxBps;
    private long boundBps;
    private int received;
    private int lost;
    private long windowStartUs = -1;
    private double lastLossFraction;

    LossBasedBound(long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.boundBps = maxBps;
    }

    void onPacket(boolean arrived) {
        if (arrived) {
            received++;
        } else {
            lost++;
        }
    }

    /** Closes the window if it is long enough; {@code sendingBps} is what was sent (the current target). */
    long update(long sendingBps, long nowUs) {
        if (windowStartUs < 0) {
            windowStartUs = nowUs;
        }
        int total = received + lost;
        if (nowUs - windowStartUs < WINDOW_US || total < MIN_PACKETS) {
            return boundBps;
        }
        double loss = (double) lost / total;
        lastLossFraction = loss;
        if (loss > HIGH_LOSS) {
            boundBps = (long) (Math.min(sendingBps, boundBps) * (1 - loss / 2));
        } else if (loss < LOW_LOSS) {
            boundBps = (long) (Math.max(boundBps, sendingBps) * GROWTH);
        }
        boundBps = Math.max(minBps, Math.min(maxBps, boundBps));
        received = 0;
        lost = 0;
        windowStartUs = nowUs;
        return boundBps;
    }

    long boundBps() {
        return boundBps;
    }

    /** The loss fraction of the last closed window. */
    double lossFraction() {
        return lastLossFraction;
    }
}
