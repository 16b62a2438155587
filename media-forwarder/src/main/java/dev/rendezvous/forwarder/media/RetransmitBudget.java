package dev.rendezvous.forwarder.media;

import java.util.Arrays;

/**
 * How many retransmissions one subscriber's NACKs may cause: the guard against NACK amplification, where one
 * small RTCP packet (hundreds of FCI entries, each naming 17 packets) would have the forwarder send thousands
 * of cached packets on its packet thread.
 *
 * <p>Three limits: at most {@code perNackPacket} retransmissions for one NACK packet; a token bucket of
 * {@code perSecond} with a burst of {@code burst}; and a packet already retransmitted less than one RTT ago
 * (at least {@link #MIN_REPEAT_WINDOW_NANOS}) is not sent again, since its earlier copy cannot have been missed
 * yet. A decision, no I/O: the caller counts the outcome and sends.
 *
 * <p>Packet thread only.
 */
final class RetransmitBudget {

    /** Why a requested retransmission is or is not sent. */
    enum Decision { SEND, REPEAT, PACKET_LIMIT, RATE_LIMIT }

    static final long MIN_REPEAT_WINDOW_NANOS = 20_000_000L;
    private static final int RING = 1024;

    private final int perNackPacket;
    private final double perSecond;
    private final double burst;
    private final long[] lastSentNanos = new long[RING];
    private final int[] lastSentSeq = new int[RING];
    private double tokens;
    private long refilledNanos;
    private int inThisPacket;

    RetransmitBudget(int perSecond, int burst, int perNackPacket) {
        if (perSecond <= 0 || burst <= 0 || perNackPacket <= 0) {
            throw new IllegalArgumentException("retransmission limits must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.perNackPacket = perNackPacket;
        this.tokens = burst;
        Arrays.fill(lastSentSeq, -1);
    }

    /** A new NACK packet from the subscriber: its own per-packet allowance starts. */
    void startNackPacket() {
        inThisPacket = 0;
    }

    /** Whether to retransmit producer-space sequence {@code seq} now; SEND consumes the allowance. */
    Decision request(int seq, long nowNanos, long rttNanos) {
        int slot = seq & (RING - 1);
        if (lastSentSeq[slot] == seq
                && nowNanos - lastSentNanos[slot] < Math.max(MIN_REPEAT_WINDOW_NANOS, rttNanos)) {
            return Decision.REPEAT;
        }
        if (inThisPacket >= perNackPacket) {
            return Decision.PACKET_LIMIT;
        }
        refill(nowNanos);
        if (tokens < 1) {
            return Decision.RATE_LIMIT;
        }
        tokens -= 1;
        inThisPacket++;
        lastSentSeq[slot] = seq;
        lastSentNanos[slot] = nowNanos;
        return Decision.SEND;
    }

    private void refill(long now) {
        if (refilledNanos == 0) {
            refilledNanos = now;
            return;
        }
        long elapsed = now - refilledNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perSecond / 1e9);
            refilledNanos = now;
        }
    }
}
