package dev.rendezvous.forwarder.media.bwe;

/**
 * A GCC-style estimate of one transport's downlink from transport-wide congestion control feedback.
 *
 * <p>For each feedback message, call {@link #onPacket} once per reported packet in transport sequence order
 * (send time from the sender's own records, arrival time on the receiver's clock as the feedback gives it, or
 * {@link #LOST}), then {@link #onFeedback} with the local time, which returns the new target. {@link #onTick}
 * between feedback messages lowers the target when feedback stops (half per {@value #FEEDBACK_TIMEOUT_US} µs
 * without any): a path that stopped reporting is assumed congested, not idle.
 *
 * <p>The target is the delay-based rate ({@link AimdRateController} on the {@link OveruseDetector}'s signal) capped
 * by the {@link LossBasedBound}, within [min, max]. Allocation-free; not thread-safe.
 */
public final class DownlinkEstimator {

    /** Arrival time of a packet the feedback reported as not received. */
    public static final long LOST = -1;
    static final long FEEDBACK_TIMEOUT_US = 1_000_000;

    private final ArrivalGroups groups = new ArrivalGroups();
    private final TrendlineFilter trendline = new TrendlineFilter();
    private final OveruseDetector detector = new OveruseDetector();
    private final AckedBitrate acked = new AckedBitrate();
    private final AimdRateController rate;
    private final LossBasedBound lossBound;
    private final long minBps;
    /** Written by the estimator's thread, read by metrics. */
    private volatile long targetBps;
    private boolean overusedInFeedback;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;
    private long lastFeedbackUs = -1;
    private long lastTimeoutCutUs = -1;
    private long packetsReported;
    private long packetsLost;

    public DownlinkEstimator(long initialBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("need 0 < minBps <= maxBps, got " + minBps + ", " + maxBps);
        }
        this.minBps = minBps;
        this.rate = new AimdRateController(initialBps, minBps, maxBps);
        this.lossBound = new LossBasedBound(minBps, maxBps);
        this.targetBps = rate.rateBps();
    }

    /** One packet of a feedback message: when we sent it, when it arrived ({@link #LOST} if not), its size. */
    public void onPacket(long sendUs, long arrivalUs, int sizeBytes) {
        packetsReported++;
        boolean arrived = arrivalUs != LOST;
        lossBound.onPacket(arrived);
        if (!arrived) {
            packetsLost++;
            return;
        }
        acked.add(arrivalUs, sizeBytes);
        if (groups.add(sendUs, arrivalUs)) {
            double trend = trendline.update(groups.sendDeltaUs(), groups.arrivalDeltaUs(), groups.groupArrivalUs());
            BandwidthUsage u = detector.detect(trend, groups.sendDeltaUs(), trendline.deltas(), groups.groupArrivalUs());
            if (u == BandwidthUsage.OVERUSING) {
                overusedInFeedback = true;
            }
        }
    }

    /** The end of one feedback message, received at {@code nowUs}: updates and returns the target (bps). */
    public long onFeedback(long nowUs) {
        usage = overusedInFeedback ? BandwidthUsage.OVERUSING : detector.state();
        overusedInFeedback = false;
        lastFeedbackUs = nowUs;
        lastTimeoutCutUs = -1;
        long delayBased = rate.update(usage, acked.bps(), nowUs);
        long bound = lossBound.update(targetBps, nowUs);
        targetBps = Math.min(delayBased, bound);
        return targetBps;
    }

    /** Called periodically: cuts the target in half for every second without feedback. Returns the target. */
    public long onTick(long nowUs) {
        if (lastFeedbackUs < 0) {
            return targetBps;
        }
        long since = lastTimeoutCutUs < 0 ? lastFeedbackUs : lastTimeoutCutUs;
        if (nowUs - since >= FEEDBACK_TIMEOUT_US) {
            targetBps = Math.max(minBps, targetBps / 2);
            rate.cutTo(targetBps);
            lastTimeoutCutUs = nowUs;
        }
        return targetBps;
    }

    /** The round-trip time (from RTCP), which paces decreases and additive increases. */
    public void setRtt(long rttUs) {
        rate.setRtt(rttUs);
    }

    public long targetBps() {
        return targetBps;
    }

    /** The detector's conclusion at the last feedback. */
    public BandwidthUsage usage() {
        return usage;
    }

    /** The receive rate the feedback showed, or -1 while unknown. */
    public long ackedBps() {
        return acked.bps();
    }

    /** The loss fraction of the loss bound's last window (0..1). */
    public double lossFraction() {
        return lossBound.lossFraction();
    }

    public long packetsReported() {
        return packetsReported;
    }

    public long packetsLost() {
        return packetsLost;
    }
}
