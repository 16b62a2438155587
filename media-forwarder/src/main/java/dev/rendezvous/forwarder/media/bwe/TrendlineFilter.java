package dev.rendezvous.forwarder.media.bwe;

/**
 * The delay gradient: accumulates the inter-group delay variation, smooths it exponentially and fits a line
 * through the last {@value #WINDOW} points (arrival time, smoothed accumulated delay) by least squares. The
 * slope (ms of extra delay per ms) times the number of deltas seen (at most {@value #MAX_GAIN_DELTAS}) and a gain
 * of {@value #GAIN} is the modified trend the {@link OveruseDetector} compares with its threshold. A trendline
 * instead of the draft's Kalman filter: it is what current GCC implementations use, and it needs no tuning of
 * noise variances.
 */
final class TrendlineFilter {

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double GAIN = 4.0;
    static final int MAX_GAIN_DELTAS = 60;

    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int head;
    private int size;
    private long firstArrivalUs = -1;
    private double accumulatedMs;
    private double smoothedMs;
    private int deltas;
    private double modifiedTrend;

    /** Adds one inter-group delta; returns the modified trend (0 until the window is full). */
    double update(long sendDeltaUs, long arrivalDeltaUs, long arrivalUs) {
        double deltaMs = (arrivalDeltaUs - sendDeltaUs) / 1000.0;
        deltas = Math.min(deltas + 1, 1000);
        if (firstArrivalUs < 0) {
            firstArrivalUs = arrivalUs;
        }
        accumulatedMs += deltaMs;
        smoothedMs = SMOOTHING * smoothedMs + (1 - SMOOTHING) * accumulatedMs;
        xs[head] = (arrivalUs - firstArrivalUs) / 1000.0;
        ys[head] = smoothedMs;
        head = (head + 1) % WINDOW;
        size = Math.min(size + 1, WINDOW);
        if (size == WINDOW) {
            modifiedTrend = Math.min(deltas, MAX_GAIN_DELTAS) * slope() * GAIN;
        }
        return modifiedTrend;
    }

    private double slope() {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < size; i++) {
            mx += xs[i];
            my += ys[i];
        }
        mx /= size;
        my /= size;
        double num = 0;
        double den = 0;
        for (int i = 0; i < size; i++) {
            double dx = xs[i] - mx;
            num += dx * (ys[i] - my);
            den += dx * dx;
        }
        return den == 0 ? 0 : num / den;
    }

    int deltas() {
        return deltas;
    }

    double modifiedTrend() {
        return modifiedTrend;
    }

    void reset() {
        head = 0;
        size = 0;
        firstArrivalUs = -1;
        accumulatedMs = 0;
        smoothedMs = 0;
        deltas = 0;
        modifiedTrend = 0;
    }
}
