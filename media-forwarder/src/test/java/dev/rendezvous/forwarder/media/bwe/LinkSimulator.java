package dev.rendezvous.forwarder.media.bwe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;

/**
 * A sender paced at the estimator's target, a bottleneck (capacity as a function of time, FIFO queue with a tail
 * drop beyond {@code maxQueueUs} of queueing delay, random loss, optional jitter that reorders), a receiver
 * sending feedback every {@code feedbackIntervalUs} which reaches the sender one propagation delay later.
 * Deterministic for a seed. Times in µs.
 */
final class LinkSimulator {

    static final int PACKET_BYTES = 1200;

    private final DownlinkEstimator estimator;
    private final LongUnaryOperator capacityAt;
    private final Random random;
    long oneWayUs = 25_000;
    long maxQueueUs = 300_000;
    long feedbackIntervalUs = 50_000;
    double randomLoss;
    long jitterUs;
    /** Feedback messages the receiver sends in [from, to) are lost (a feedback gap). */
    long feedbackLostFrom = -1;
    long feedbackLostTo = -1;
    /** The sender's clock offset from the receiver's, to show only differences of arrival times matter. */
    long receiverClockOffsetUs = 123_456_789;

    private final List<long[]> sent = new ArrayList<>(); // {send, arrival or -1}
    private final ArrayDeque<long[]> pendingFeedback = new ArrayDeque<>(); // {deliverAt, fromIndex, toIndex}
    private int nextToReport;
    private long queueFreeAtUs;
    private long nextSendUs;
    private long nextFeedbackUs;
    private long now;
    final List<long[]> targets = new ArrayList<>(); // {time, target}

    LinkSimulator(DownlinkEstimator estimator, LongUnaryOperator capacityAt, long seed) {
        this.estimator = estimator;
        this.capacityAt = capacityAt;
        this.random = new Random(seed);
    }

    /** Runs until {@code untilUs}, sampling the target every 100 ms. */
    void runUntil(long untilUs) {
        long nextSample = now;
        for (; now < untilUs; now += 1_000) {
            while (nextSendUs <= now) {
                send(nextSendUs);
                nextSendUs += PACKET_BYTES * 8L * 1_000_000 / Math.max(1, estimator.targetBps());
            }
            if (now >= nextFeedbackUs) {
                makeFeedback(now);
                nextFeedbackUs = now + feedbackIntervalUs;
            }
            while (!pendingFeedback.isEmpty() && pendingFeedback.peekFirst()[0] <= now) {
                long[] f = pendingFeedback.pollFirst();
                for (int i = (int) f[1]; i < f[2]; i++) {
                    long[] p = sent.get(i);
                    long arrival = p[1] < 0 || p[1] > f[3] ? DownlinkEstimator.LOST : p[1] + receiverClockOffsetUs;
                    estimator.onPacket(p[0], arrival, PACKET_BYTES);
                }
                estimator.onFeedback(now);
            }
            estimator.onTick(now);
            if (now >= nextSample) {
                targets.add(new long[] {now, estimator.targetBps()});
                nextSample += 100_000;
            }
        }
    }

    private void send(long at) {
        long arrival = -1;
        if (random.nextDouble() >= randomLoss) {
            long capacity = capacityAt.applyAsLong(at);
            long start = Math.max(at, queueFreeAtUs);
            if (start - at <= maxQueueUs) {
                queueFreeAtUs = start + PACKET_BYTES * 8L * 1_000_000 / capacity;
                arrival = queueFreeAtUs + oneWayUs + (jitterUs > 0 ? (long) (random.nextDouble() * jitterUs) : 0);
            }
        }
        sent.add(new long[] {at, arrival});
    }

    /** Reports everything up to the highest sequence number that arrived by {@code at}. */
    private void makeFeedback(long at) {
        int highest = -1;
        for (int i = nextToReport; i < sent.size(); i++) {
            long arrival = sent.get(i)[1];
            if (arrival >= 0 && arrival <= at) {
                highest = i;
            }
        }
        if (highest < 0) {
            return;
        }
        boolean lost = at >= feedbackLostFrom && at < feedbackLostTo;
        if (!lost) {
            pendingFeedback.addLast(new long[] {at + oneWayUs, nextToReport, highest + 1, at});
        }
        nextToReport = highest + 1;
    }

    /** Targets sampled in [fromUs, toUs). */
    List<Long> targetsBetween(long fromUs, long toUs) {
        return targets.stream().filter(t -> t[0] >= fromUs && t[0] < toUs).map(t -> t[1]).toList();
    }

    /** First sample time at or after {@code fromUs} whose target satisfies the test, or -1. */
    long firstTimeAfter(long fromUs, java.util.function.LongPredicate test) {
        for (long[] t : targets) {
            if (t[0] >= fromUs && test.test(t[1])) {
                return t[0];
            }
        }
        return -1;
    }

    long now() {
        return now;
    }
}
