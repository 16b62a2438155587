package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.List;
import java.util.Set;

/**
 * One subscriber's receipt of one producer: its own SSRC (the one in the subscriber's m-section), its own
 * sequence and timestamp space, pause and resume, its NACK allowance, and the loss and RTT its receiver
 * reports tell.
 *
 * <p><b>Mapping.</b> Outbound = producer space + an offset (random at first, as a fresh sender's would be).
 * Resuming after a pause moves the offset so the outbound sequence continues without a gap and the timestamp
 * advances by the wall time paused; the previous offset is kept for NACKs of packets sent before the change.
 *
 * <p><b>Payload types</b> are mapped too ({@link PayloadTypes}): the subscriber's section may have been offered
 * before the publisher chose its codecs.
 *
 * <p>{@link #forwarding}, {@link #paused} and {@link #closed} are set by the control side; the mapping state is
 * the packet thread's.
 */
final class Consumer {

    final Peer subscriber;
    final Producer producer;
    final long ssrc;
    final RetransmitBudget retransmits;
    /** The subscriber's browser accepted the track (its answer, or its subscribe connection came up with it offered). */
    volatile boolean accepted;
    /** Started by the packet thread (after the keyframe replay): packets flow. */
    volatile boolean forwarding;
    volatile boolean paused;
    volatile boolean closed;
    private volatile boolean resumePending;
    /** The codecs this consumer's m-section offered, and the payload types the answer kept (null: not answered). */
    private List<Codec> offeredCodecs;
    private Set<Integer> answeredPts;
    /** Publisher payload type → subscriber payload type (-1: not deliverable). Replaced whole. */
    private volatile byte[] payloadTypes;

    // mapping, packet thread
    private int seqOffset;
    private long tsOffset;
    private boolean sent;
    private int lastOutSeq;
    private long lastOutTs;
    private long lastSentNanos;
    private int boundarySeq = -1;
    private int previousSeqOffset;

    // quality, written by the packet thread from this subscriber's receiver reports
    /** LSR of the last sender report forwarded on this consumer (-1: none) and when. */
    volatile long forwardedLsr = -1;
    volatile long forwardedLsrNanos;
    /** Smoothed fraction lost the subscriber reports (-1: no report yet). */
    volatile double lossFraction = -1;
    /** Smoothed RTT to the subscriber (-1: unknown). */
    volatile double rttMs = -1;

    Consumer(Peer subscriber, Producer producer, long ssrc, int initialSeqOffset, long initialTsOffset,
             RetransmitBudget retransmits) {
        // before any offer: payload types pass unchanged
        this.subscriber = subscriber;
        this.producer = producer;
        this.ssrc = ssrc;
        this.seqOffset = initialSeqOffset & 0xFFFF;
        this.tsOffset = initialTsOffset & MASK32;
        this.retransmits = retransmits;
    }

    /** The section was (re)offered with these codecs: what the subscriber will accept is known at the answer. */
    void offered(List<Codec> codecs) {
        offeredCodecs = List.copyOf(codecs);
        answeredPts = null;
        remap();
    }

    /** The subscriber's answer kept these payload types of the section. */
    void answered(Set<Integer> payloadTypes) {
        answeredPts = Set.copyOf(payloadTypes);
        remap();
    }

    /** Recomputes the payload-type map (after an offer, an answer, or when the producer's codecs became known). */
    void remap() {
        List<Codec> offered = offeredCodecs;
        payloadTypes = offered == null ? null : PayloadTypes.map(producer.codecs, offered, answeredPts);
    }

    /** Whether the subscriber's section can carry the publisher's preferred codec (else it must be offered again). */
    boolean codecsFit() {
        byte[] map = payloadTypes;
        return map == null || PayloadTypes.carriesPrimary(map, producer.codecs);
    }

    /**
     * The subscriber's transport if this consumer is sending now (started, not paused, not closed, transport
     * up), else null. Read once per packet: the control side may replace the transport meanwhile.
     */
    Transport sendingTransport() {
        if (!forwarding || paused || closed) {
            return null;
        }
        Transport t = subscriber.subscribe;
        return t != null && t.ready() ? t : null;
    }

    boolean active() {
        return sendingTransport() != null;
    }

    void pause() {
        paused = true;
    }

    /** Sending goes on without a sequence gap; the caller asks the publisher for a keyframe (video). */
    void resume() {
        if (paused) {
            resumePending = true;
            paused = false;
        }
    }

    /**
     * Copies a producer-space RTP packet to {@code dst} rewritten for this subscriber (SSRC, sequence,
     * timestamp, payload type). Returns the length, or -1 when the subscriber cannot take the packet's codec.
     * Packet thread; no allocation.
     */
    int rewrite(byte[] src, int srcOff, int len, byte[] dst, long nowNanos) {
        byte[] map = payloadTypes;
        int pt = src[srcOff + 1] & 0x7F;
        int mapped = map == null ? pt : map[pt];
        if (mapped < 0) {
            return -1;
        }
        System.arraycopy(src, srcOff, dst, 0, len);
        dst[1] = (byte) ((dst[1] & 0x80) | mapped);
        int seq = Rtp.sequence(dst, 0);
        long ts = Rtp.timestamp(dst, 0);
        if (resumePending) {
            resumePending = false;
            if (sent) {
                continueAfterPause(seq, ts, nowNanos);
            }
        }
        int outSeq = (seq + seqOffset) & 0xFFFF;
        long outTs = (ts + tsOffset) & MASK32;
        Rtp.setSsrc(dst, 0, ssrc);
        Rtp.setSequence(dst, 0, outSeq);
        Rtp.setTimestamp(dst, 0, outTs);
        if (!sent || seqDiff(outSeq, lastOutSeq) > 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastSentNanos = nowNanos;
        }
        sent = true;
        return len;
    }

    private void continueAfterPause(int seq, long ts, long now) {
        int next = (lastOutSeq + 1) & 0xFFFF;
        previousSeqOffset = seqOffset;
        boundarySeq = next;
        seqOffset = (next - seq) & 0xFFFF;
        long elapsed = Math.max(0, now - lastSentNanos);
        long delta = Math.max(1, Math.round(elapsed / 1e9 * Math.max(1, producer.clockRate)));
        tsOffset = (lastOutTs + delta - ts) & MASK32;
    }

    /** The producer-space sequence of an outbound one this consumer sent (for NACKs). */
    int producerSequence(int outSeq) {
        outSeq &= 0xFFFF;
        if (boundarySeq >= 0 && seqDiff(outSeq, boundarySeq) < 0) {
            return (outSeq - previousSeqOffset) & 0xFFFF;
        }
        return (outSeq - seqOffset) & 0xFFFF;
    }

    /** Outbound timestamp of a producer-space one (forwarded sender reports). */
    long outboundTimestamp(long producerTs) {
        return (producerTs + tsOffset) & MASK32;
    }

    /** A report block about this consumer's stream from its subscriber. Packet thread. */
    void onReceiverReport(int fractionLost256, long lsr, long dlsr, long nowNanos) {
        double loss = Math.min(1, Math.max(0, fractionLost256 / 256.0));
        double previous = lossFraction;
        lossFraction = previous < 0 ? loss : previous * 0.8 + loss * 0.2;
        if (lsr != 0 && lsr == forwardedLsr) {
            long dlsrNanos = dlsr * 1_000_000_000L / 65_536;
            double rtt = (nowNanos - forwardedLsrNanos - dlsrNanos) / 1e6;
            if (rtt >= 0 && rtt < 10_000) {
                double r = rttMs;
                rttMs = r < 0 ? rtt : r * 0.8 + rtt * 0.2;
            }
        }
    }
}
