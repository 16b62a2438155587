package dev.rendezvous.forwarder.media.bwe;

/**
 * Compares the modified trend with an adaptive threshold (draft-ietf-rmcat-gcc-02 sections 5.4 and 5.5).
 * Over-use is signalled once the trend has stayed above the threshold for more than {@value #OVERUSE_TIME_MS} ms
 * (and more than one delta) without falling; under-use as soon as it is below minus the threshold. The threshold
 * follows |trend| up quickly ({@value #K_UP}) and down slowly ({@value #K_DOWN}), so that a competing TCP flow
 * that keeps a queue standing does not starve us, and it ignores outliers more than {@value #MAX_ADAPT_OFFSET_MS}
 * above it; it stays within [{@value #MIN_THRESHOLD}, {@value #MAX_THRESHOLD}].
 */
final class OveruseDetector {

    static final double K_UP = 0.01;
    static final double K_DOWN = 0.00018;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double MAX_ADAPT_OFFSET_MS = 15;
    static final double OVERUSE_TIME_MS = 10;
    static final long MAX_TIME_DELTA_MS = 100;

    private double threshold = INITIAL_THRESHOLD;
    private long lastUpdateMs = -1;
    private double timeOverUsingMs = -1;
    private int overuseCount;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    BandwidthUsage detect(double trend, long sendDeltaUs, int deltas, long nowUs) {
        if (deltas < 2) {
            return BandwidthUsage.NORMAL;
        }
        if (trend > threshold) {
            double sendDeltaMs = sendDeltaUs / 1000.0;
            timeOverUsingMs = timeOverUsingMs < 0 ? sendDeltaMs / 2 : timeOverUsingMs + sendDeltaMs;
            overuseCount++;
            if (timeOverUsingMs > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                timeOverUsingMs = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (trend < -threshold) {
            timeOverUsingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsingMs = -1;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adapt(trend, nowUs / 1000);
        return state;
    }

    private void adapt(double trend, long nowMs) {
        if (lastUpdateMs < 0) {
            lastUpdateMs = nowMs;
        }
        double magnitude = Math.abs(trend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        long dt = Math.max(0, Math.min(nowMs - lastUpdateMs, MAX_TIME_DELTA_MS));
        threshold += k * (magnitude - threshold) * dt;
        threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, threshold));
        lastUpdateMs = nowMs;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }
}
