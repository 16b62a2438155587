package dev.rendezvous.forwarder.media;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * A downlink bottleneck on a simulated clock, as a shaping router has it: a token bucket (rate, burst) in front of
 * a FIFO queue bounded in bytes. A datagram offered while the queue is full is dropped (tail drop); the others leave
 * in order, each as soon as the bucket holds its size. The rate may change at any time ({@link #setRate}); what is
 * queued then leaves at the new rate. Times in nanoseconds; one thread.
 *
 * @param <T> what the caller attaches to a datagram (handed back when it leaves)
 */
final class TokenBucketShaper<T> {

    private record Queued<T>(T item, int bytes) {}

    private final ArrayDeque<Queued<T>> queue = new ArrayDeque<>();
    private final long burstBytes;
    private final long queueLimitBytes;
    private long rateBps;
    private double tokens;
    private long clockNanos;
    private long queuedBytes;
    private long dropped;
    private long droppedBytes;
    private long passed;

    /**
     * @param rateBps         the bucket's fill rate: the link's capacity
     * @param burstBytes      the bucket's depth (at least one datagram: 1500)
     * @param queueLimitBytes what the queue holds at most
     * @param startNanos      the clock's start (the bucket starts full)
     */
    TokenBucketShaper(long rateBps, long burstBytes, long queueLimitBytes, long startNanos) {
        if (rateBps <= 0 || burstBytes < 1500 || queueLimitBytes < burstBytes) {
            throw new IllegalArgumentException("need rate > 0, burst >= 1500, queue limit >= burst");
        }
        this.rateBps = rateBps;
        this.burstBytes = burstBytes;
        this.queueLimitBytes = queueLimitBytes;
        this.tokens = burstBytes;
        this.clockNanos = startNanos;
    }

    /** Offers a datagram of {@code bytes} at {@code nowNanos}; false when the full queue dropped it. */
    boolean offer(T item, int bytes, long nowNanos, BiConsumer<T, Long> departed) {
        advance(nowNanos, departed);
        if (queuedBytes + bytes > queueLimitBytes) {
            dropped++;
            droppedBytes += bytes;
            return false;
        }
        queue.addLast(new Queued<>(item, bytes));
        queuedBytes += bytes;
        advance(nowNanos, departed); // an empty queue with tokens to spare sends it at once
        return true;
    }

    /**
     * Moves the clock to {@code nowNanos}: every datagram whose turn came by then leaves, in order, handed to
     * {@code departed} with the exact time it left.
     */
    void advance(long nowNanos, BiConsumer<T, Long> departed) {
        while (!queue.isEmpty()) {
            Queued<T> head = queue.peekFirst();
            long ready = tokens >= head.bytes() ? clockNanos
                    : clockNanos + (long) Math.ceil((head.bytes() - tokens) * 8e9 / rateBps);
            if (ready > nowNanos) {
                break;
            }
            fill(ready);
            tokens -= head.bytes();
            queue.pollFirst();
            queuedBytes -= head.bytes();
            passed++;
            departed.accept(head.item(), ready);
        }
        fill(nowNanos);
    }

    private void fill(long toNanos) {
        if (toNanos > clockNanos) {
            tokens = Math.min(burstBytes, tokens + (toNanos - clockNanos) * rateBps / 8e9);
            clockNanos = toNanos;
        }
    }

    /** A new capacity from {@code nowNanos} on (what leaves before then leaves at the old one). */
    void setRate(long bps, long nowNanos, BiConsumer<T, Long> departed) {
        if (bps <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + bps);
        }
        advance(nowNanos, departed);
        rateBps = bps;
    }

    long rateBps() {
        return rateBps;
    }

    /** How long a datagram offered now would wait before leaving (queued bytes beyond the bucket, at the rate). */
    long queueDelayNanos() {
        return (long) (Math.max(0, queuedBytes - tokens) * 8e9 / rateBps);
    }

    long dropped() {
        return dropped;
    }

    long droppedBytes() {
        return droppedBytes;
    }

    long passed() {
        return passed;
    }
}
