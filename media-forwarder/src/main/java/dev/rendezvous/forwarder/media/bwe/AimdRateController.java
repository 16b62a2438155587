package dev.rendezvous.forwarder.media.bwe;

/**
 * The delay-based rate of draft-ietf-rmcat-gcc-02 section 5.5. The detector's signal drives a state machine
 * (over-use: decrease; under-use: hold; normal: hold becomes increase, decrease becomes hold). Increase is
 * multiplicative ({@value #INCREASE_PER_SECOND} per second) while the rate is far from the link capacity seen at
 * earlier decreases, additive (about one packet per response time, RTT + 100 ms) near it. Decrease sets the rate
 * to {@value #BETA} of the acknowledged rate, at most once per round trip unless the rate is more than twice
 * the acknowledged one. The rate never rises above 1.5 × the acknowledged rate + 10 kbps, so an idle sender
 * does not build an estimate it never tested.
 */
final class AimdRateController {

    static final double BETA = 0.85;
    static final double INCREASE_PER_SECOND = 1.20;
    static final long MIN_INCREASE_BPS = 1_000;
    static final long MIN_ADDITIVE_BPS_PER_S = 4_000;
    static final int PACKET_BITS = 1200 * 8;
    static final long RESPONSE_EXTRA_US = 100_000;

    private final long minBps;
    private final long maxBps;
    private final LinkCapacity link = new LinkCapacity();
    private long rateBps;
    private RateControlState state = RateControlState.HOLD;
    private long lastChangeUs = -1;
    private long lastDecreaseUs = -1;
    private long rttUs = 100_000;

    AimdRateController(long initialBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.rateBps = clamp(initialBps);
    }

    void setRtt(long rttUs) {
        this.rttUs = Math.max(0, rttUs);
    }

    /** Applies one signal with the acknowledged rate (-1 if unknown); returns the new rate. */
    long update(BandwidthUsage usage, long ackedBps, long nowUs) {
        transition(usage);
        switch (state) {
            case INCREASE -> increase(ackedBps, nowUs);
            case DECREASE -> decrease(ackedBps, nowUs);
            default -> {
                // HOLD: nothing changes
            }
        }
        if (state != RateControlState.INCREASE) {
            lastChangeUs = nowUs; // the increase clock starts when increasing starts
        }
        return rateBps;
    }

    private void transition(BandwidthUsage usage) {
        state = switch (usage) {
            case OVERUSING -> RateControlState.DECREASE;
            case UNDERUSING -> RateControlState.HOLD;
            case NORMAL -> state == RateControlState.DECREASE ? RateControlState.HOLD : RateControlState.INCREASE;
        };
    }

    private void increase(long ackedBps, long nowUs) {
        if (ackedBps > 0 && link.known() && ackedBps > link.upperBps()) {
            link.reset(); // the path got faster than anything seen at a decrease: search again
        }
        long dt = lastChangeUs < 0 ? 0 : Math.max(0, nowUs - lastChangeUs);
        long next;
        if (link.known()) {
            double responseS = (rttUs + RESPONSE_EXTRA_US) / 1e6;
            double bitsPerFrame = rateBps / 30.0;
            double packetsPerFrame = Math.ceil(bitsPerFrame / PACKET_BITS);
            double perSecond = Math.max(MIN_ADDITIVE_BPS_PER_S, (bitsPerFrame / packetsPerFrame) / responseS);
            next = rateBps + (long) (perSecond * Math.min(dt, 1_000_000) / 1e6);
        } else {
            double alpha = Math.pow(INCREASE_PER_SECOND, Math.min(dt, 1_000_000) / 1e6);
            next = rateBps + Math.max(MIN_INCREASE_BPS, (long) (rateBps * (alpha - 1)));
        }
        if (ackedBps > 0) {
            long limit = (long) (1.5 * ackedBps) + 10_000;
            if (next > limit) {
                next = Math.max(rateBps, limit); // never lower the rate on an increase
            }
        }
        rateBps = clamp(next);
        lastChangeUs = nowUs;
    }

    private void decrease(long ackedBps, long nowUs) {
        if (ackedBps <= 0) {
            state = RateControlState.HOLD;
            return;
        }
        boolean timeToReduce = lastDecreaseUs < 0 || nowUs - lastDecreaseUs >= Math.max(10_000, Math.min(rttUs, 200_000))
                || rateBps > 2 * ackedBps;
        if (timeToReduce) {
            long target = (long) (BETA * ackedBps);
            if (target > rateBps && link.known()) {
                target = (long) (BETA * link.estimateBps());
            }
            if (target < rateBps) {
                rateBps = clamp(target);
            }
            if (link.known() && ackedBps < link.lowerBps()) {
                link.reset(); // the path got slower than anything seen before
            }
            link.onOveruse(ackedBps);
            lastDecreaseUs = nowUs;
        }
        state = RateControlState.HOLD;
    }

    /**
     * Lowers the rate from outside (missing feedback); never raises it. What was learnt of the link capacity is
     * forgotten, so that the rate searches upward multiplicatively again once feedback returns.
     */
    void cutTo(long bps) {
        rateBps = Math.min(rateBps, clamp(bps));
        link.reset();
    }

    long rateBps() {
        return rateBps;
    }

    RateControlState state() {
        return state;
    }

    boolean nearConvergence() {
        return link.known();
    }

    private long clamp(long bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }

    /**
     * The link capacity seen at decreases: an average of the acknowledged rate at each over-use, with its
     * normalized variance; "unknown" again when the acknowledged rate leaves three deviations around it.
     */
    static final class LinkCapacity {
        private static final double ALPHA = 0.05;
        private double estimateKbps = -1;
        private double variance = 0.4;

        boolean known() {
            return estimateKbps > 0;
        }

        void onOveruse(long ackedBps) {
            double sample = ackedBps / 1000.0;
            if (estimateKbps < 0) {
                estimateKbps = sample;
            } else {
                estimateKbps = (1 - ALPHA) * estimateKbps + ALPHA * sample;
            }
            double error = estimateKbps - sample;
            variance = (1 - ALPHA) * variance + ALPHA * error * error / Math.max(estimateKbps, 1);
            variance = Math.max(0.4, Math.min(2.5, variance));
        }

        private double deviationKbps() {
            return Math.sqrt(variance * estimateKbps);
        }

        long upperBps() {
            return (long) ((estimateKbps + 3 * deviationKbps()) * 1000);
        }

        long lowerBps() {
            return (long) ((estimateKbps - 3 * deviationKbps()) * 1000);
        }

        long estimateBps() {
            return (long) (estimateKbps * 1000);
        }

        void reset() {
            estimateKbps = -1;
        }
    }
}
