package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

import dev.rendezvous.forwarder.media.rtp.Rtp;

/**
 * A {@link Consumer}'s own sequence and timestamp space: how a producer-space packet is numbered for the
 * subscriber, and back, for the subscriber's NACKs and the forwarded sender reports.
 *
 * <p><b>Mapping.</b> Outbound = producer space + an offset (random at first, as a fresh sender's would be). A new
 * mapping ({@link #rebase}: after a pause, or at a layer switch) moves the offset at the next packet so the
 * outbound sequence continues without a gap and the timestamp advances by the wall time since the last packet
 * sent; the previous offset, and the layer it forwarded, are kept for NACKs of packets sent before the change.
 *
 * <p><b>Late packets</b> (recovered by RTX from the publisher, or reordered) go out with the mapping they belong to
 * only when the current mapping covers them ({@link #admitsLate}); one from before a resume or switch would take
 * an outbound number that means another packet now, and the subscriber's NACK fetches it from the cache anyway.
 *
 * <p>The packet thread's, like the consumer's layer state it reads ({@link Consumer#currentLayer}); only
 * {@link #rebase} is also called by the control side (a resume).
 */
final class OutboundMapping {

    /** Packets after a switch beyond which no late packet from before it is expected. */
    static final int STARTED_WELL_PAST = 1000;

    private final Consumer consumer;
    /** The next packet forwarded starts a new mapping that continues the outbound numbers (resume, layer switch). */
    private volatile boolean rebasePending;
    private int seqOffset;
    private long tsOffset;
    private boolean sent;
    private int lastOutSeq;
    private long lastOutTs;
    private long lastSentNanos;
    /** Producer-space sequence the current mapping started at (-1: long ago, or nothing sent yet). */
    private int mappingFrom = -1;
    /** The mapping before the last resume or switch, for NACKs of outbound numbers below {@link #boundarySeq}. */
    private int boundarySeq = -1;
    private int previousSeqOffset;
    private long previousTsOffset;
    private Layer previousLayer;
    /** The layer the current mapping forwards (set at the first packet sent with it). */
    private Layer mappedLayer;

    OutboundMapping(Consumer consumer, int initialSeqOffset, long initialTsOffset) {
        this.consumer = consumer;
        this.seqOffset = initialSeqOffset & 0xFFFF;
        this.tsOffset = initialTsOffset & MASK32;
    }

    /** The next packet forwarded starts a new mapping that continues the outbound numbers. Any thread. */
    void rebase() {
        rebasePending = true;
    }

    /**
     * Renumbers the packet in {@code dst} (already the consumer's copy) from producer space into this mapping:
     * sequence and timestamp; starts a new mapping first when one is pending. Packet thread; no allocation.
     */
    void rewrite(byte[] dst, long nowNanos) {
        int seq = Rtp.sequence(dst, 0);
        long ts = Rtp.timestamp(dst, 0);
        if (rebasePending) {
            rebasePending = false;
            if (sent) {
                continueAt(seq, ts, nowNanos);
            }
        }
        if (!sent) {
            mappedLayer = consumer.currentLayer();
            mappingFrom = seq;
        } else if (mappingFrom >= 0 && seqDiff(seq, mappingFrom) > STARTED_WELL_PAST) {
            mappingFrom = -1; // no late packet from before it is possible now (and 16 bits would wrap)
        }
        int outSeq = (seq + seqOffset) & 0xFFFF;
        long outTs = (ts + tsOffset) & MASK32;
        Rtp.setSequence(dst, 0, outSeq);
        Rtp.setTimestamp(dst, 0, outTs);
        if (!sent || seqDiff(outSeq, lastOutSeq) > 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastSentNanos = nowNanos;
        }
        sent = true;
    }

    /**
     * Numbers the cached packet in {@code dst} (already the consumer's copy) as outbound {@code outSeq}, with the
     * timestamp offset of the mapping it was first sent with (before or after the last resume or switch). Packet
     * thread; no allocation.
     */
    void rewriteResent(byte[] dst, int outSeq) {
        long offset = beforeBoundary(outSeq & 0xFFFF) ? previousTsOffset : tsOffset;
        Rtp.setSequence(dst, 0, outSeq & 0xFFFF);
        Rtp.setTimestamp(dst, 0, (Rtp.timestamp(dst, 0) + offset) & MASK32);
    }

    /**
     * Packet thread: whether a late packet of layer {@code l} (producer-space {@code seq}, older than the newest
     * of its layer) goes to the consumer: only with a mapping of that layer that started at or before it and no
     * new one pending. No side effects.
     */
    boolean admitsLate(Layer l, int seq) {
        return sent && !rebasePending && l == mappedLayer && l == consumer.currentLayer()
                && (mappingFrom < 0 || seqDiff(seq, mappingFrom) >= 0);
    }

    /** A new mapping: the outbound sequence continues at last + 1, the timestamp by the wall time since the last packet. */
    private void continueAt(int seq, long ts, long now) {
        int next = (lastOutSeq + 1) & 0xFFFF;
        previousSeqOffset = seqOffset;
        previousTsOffset = tsOffset;
        previousLayer = mappedLayer;
        mappedLayer = consumer.currentLayer();
        mappingFrom = seq;
        boundarySeq = next;
        seqOffset = (next - seq) & 0xFFFF;
        long elapsed = Math.max(0, now - lastSentNanos);
        long delta = Math.max(1, Math.round(elapsed / 1e9 * Math.max(1, consumer.producer.clockRate)));
        tsOffset = (lastOutTs + delta - ts) & MASK32;
    }

    /** The producer-space sequence of an outbound one the consumer sent (for NACKs). */
    int producerSequence(int outSeq) {
        outSeq &= 0xFFFF;
        if (beforeBoundary(outSeq)) {
            return (outSeq - previousSeqOffset) & 0xFFFF;
        }
        return (outSeq - seqOffset) & 0xFFFF;
    }

    /** The layer an outbound sequence number was sent from (for NACKs), or null if none. Packet thread. */
    Layer layerOf(int outSeq) {
        return beforeBoundary(outSeq & 0xFFFF) ? previousLayer : mappedLayer;
    }

    private boolean beforeBoundary(int outSeq) {
        return boundarySeq >= 0 && seqDiff(outSeq, boundarySeq) < 0;
    }

    /** Outbound timestamp of a producer-space one (forwarded sender reports). */
    long outboundTimestamp(long producerTs) {
        return (producerTs + tsOffset) & MASK32;
    }
}
