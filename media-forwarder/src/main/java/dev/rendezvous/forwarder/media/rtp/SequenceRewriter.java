package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

import java.util.Arrays;

/**
 * One subscriber's view of a forwarded stream: a fixed outbound SSRC, with sequence numbers and timestamps that
 * stay continuous when the source behind it changes (the publisher restarts its sender, switches SSRC, or the
 * forwarder switches simulcast layers), and that skip packets the forwarder chose not to send without leaving
 * gaps.
 *
 * <p>Exists because a receiver's jitter buffer, NACK and loss logic treat a jump in sequence number as loss and a
 * new SSRC as a new stream; the forwarder must hide its own switching and dropping from them, while still letting
 * real loss show as gaps so the subscriber NACKs it.
 *
 * <p>How it maps: within one source, outbound = inbound + an offset; a gap in the inbound numbers reserves the
 * same number of outbound numbers, so a packet arriving late (within {@value #RING} sequence numbers) gets the
 * number reserved for it. {@link #skip} consumes an inbound number without consuming an outbound one. When the
 * SSRC changes, or the sequence jumps by more than {@value #MAX_JUMP}, the outbound sequence continues at last+1
 * and the outbound timestamp at last + elapsed wall time × clock rate. Late packets of the previous source and
 * packets older than the window are refused. Two rings of {@value #RING} entries remember outbound→inbound for
 * {@link #inboundSequenceFor} and inbound→outbound for late packets.
 *
 * <p>Not thread-safe: rewrite, skip and the look-ups run on the packet thread that forwards to this subscriber.
 */
public final class SequenceRewriter {

    static final int RING = 1024;
    private static final int MASK = RING - 1;
    static final int MAX_JUMP = 3000;
    private static final int SKIPPED = -2;

    private final long outboundSsrc;

    /** Inbound seq → outbound seq (or SKIPPED), valid when inTag == generation << 16 | inbound seq. */
    private final int[] inToOut = new int[RING];
    private final int[] inTag = new int[RING];
    /** Outbound seq → inbound seq and SSRC, valid when outTag == outbound seq. */
    private final int[] outToIn = new int[RING];
    private final long[] outToInSsrc = new long[RING];
    private final int[] outTag = new int[RING];

    private boolean started;
    private int generation;
    private long inSsrc = -1;
    private int highestIn;
    private int highestOut;
    private long tsOffset;
    private long lastOutTs;
    private long lastNanos;
    private long prevSsrc = -1;
    private int prevHighestIn;
    private int restartCandidate = -1;

    public SequenceRewriter(long outboundSsrc) {
        this.outboundSsrc = outboundSsrc & MASK32;
        Arrays.fill(inTag, -1);
        Arrays.fill(outTag, -1);
    }

    public long outboundSsrc() {
        return outboundSsrc;
    }

    /**
     * Rewrites SSRC, sequence number and timestamp of the RTP packet in place for the subscriber. Returns false
     * (leaving the packet untouched) for a packet that cannot be mapped: invalid, too old, a duplicate of a
     * skipped packet, or a late packet of a previous source. The caller drops those.
     */
    public boolean rewrite(byte[] b, int off, int len, long nowNanos, int clockRate) {
        if (!Rtp.isValid(b, off, len)) {
            return false;
        }
        int out = map(Rtp.ssrc(b, off), Rtp.sequence(b, off), Rtp.timestamp(b, off), nowNanos, clockRate, true);
        if (out < 0) {
            return false;
        }
        long ts = (Rtp.timestamp(b, off) + tsOffset) & MASK32;
        Rtp.setSsrc(b, off, outboundSsrc);
        Rtp.setSequence(b, off, out);
        Rtp.setTimestamp(b, off, ts);
        return true;
    }

    /**
     * Tells the rewriter that this packet will not be forwarded (e.g. a simulcast layer or padding the
     * subscriber does not get), so that it uses no outbound sequence number. The packet is not modified.
     */
    public void skip(byte[] b, int off, int len, long nowNanos, int clockRate) {
        if (Rtp.isValid(b, off, len)) {
            map(Rtp.ssrc(b, off), Rtp.sequence(b, off), Rtp.timestamp(b, off), nowNanos, clockRate, false);
        }
    }

    /** The inbound sequence number that produced this outbound one (a lost one included), or -1 if unknown. */
    public int inboundSequenceFor(int outboundSeq) {
        outboundSeq &= 0xFFFF;
        int slot = outboundSeq & MASK;
        return outTag[slot] == outboundSeq ? outToIn[slot] : -1;
    }

    /** The inbound SSRC of the packet that produced this outbound sequence number, or -1 if unknown. */
    public long inboundSsrcFor(int outboundSeq) {
        outboundSeq &= 0xFFFF;
        int slot = outboundSeq & MASK;
        return outTag[slot] == outboundSeq ? outToInSsrc[slot] : -1;
    }

    /** The outbound timestamp of an inbound one of the current source (for sender reports). */
    public long outboundTimestamp(long inboundTimestamp) {
        return (inboundTimestamp + tsOffset) & MASK32;
    }

    /** The outbound sequence number of the last packet forwarded or reserved, -1 before the first packet. */
    public int highestOutboundSequence() {
        return started ? highestOut : -1;
    }

    private int map(long ssrc, int seq, long ts, long now, int clockRate, boolean forward) {
        if (!started) {
            return startSource(ssrc, seq, ts, now, clockRate, forward);
        }
        if (ssrc != inSsrc) {
            if (ssrc == prevSsrc) {
                int dPrev = seqDiff(seq, prevHighestIn);
                if (dPrev <= 0 && dPrev > -MAX_JUMP) {
                    return -1; // late packet of the source we switched away from
                }
            }
            return startSource(ssrc, seq, ts, now, clockRate, forward);
        }
        int d = seqDiff(seq, highestIn);
        if (d > MAX_JUMP) {
            return startSource(ssrc, seq, ts, now, clockRate, forward);
        }
        if (d > 0) {
            restartCandidate = -1;
            int gap = d - 1;
            for (int k = Math.max(1, gap - RING + 1); k <= gap; k++) {
                record((highestIn + k) & 0xFFFF, (highestOut + k) & 0xFFFF);
            }
            highestOut = (highestOut + gap) & 0xFFFF;
            highestIn = seq;
            lastOutTs = (ts + tsOffset) & MASK32;
            lastNanos = now;
            if (!forward) {
                markSkipped(seq);
                return -1;
            }
            highestOut = (highestOut + 1) & 0xFFFF;
            record(seq, highestOut);
            return highestOut;
        }
        int slot = seq & MASK;
        if (inTag[slot] == ((generation << 16) | seq)) {
            int out = inToOut[slot];
            return forward ? out : -1; // SKIPPED is negative too
        }
        if (d < -RING) {
            if (seq == restartCandidate) {
                return startSource(ssrc, seq, ts, now, clockRate, forward);
            }
            restartCandidate = (seq + 1) & 0xFFFF;
        }
        return -1;
    }

    private int startSource(long ssrc, int seq, long ts, long now, int clockRate, boolean forward) {
        int firstOut;
        long firstOutTs;
        if (!started) {
            started = true;
            firstOut = seq;
            firstOutTs = ts;
        } else {
            firstOut = (highestOut + 1) & 0xFFFF;
            long elapsed = Math.max(0, now - lastNanos);
            long delta = Math.max(1, Math.round(elapsed / 1e9 * Math.max(1, clockRate)));
            firstOutTs = (lastOutTs + delta) & MASK32;
        }
        if (ssrc != inSsrc) {
            prevSsrc = inSsrc;
            prevHighestIn = highestIn;
        }
        inSsrc = ssrc;
        generation = (generation + 1) & 0x7FFF;
        restartCandidate = -1;
        tsOffset = (firstOutTs - ts) & MASK32;
        highestIn = seq;
        lastOutTs = firstOutTs;
        lastNanos = now;
        if (!forward) {
            highestOut = (firstOut - 1) & 0xFFFF;
            markSkipped(seq);
            return -1;
        }
        highestOut = firstOut;
        record(seq, firstOut);
        return firstOut;
    }

    private void record(int in, int out) {
        int i = in & MASK;
        inToOut[i] = out;
        inTag[i] = (generation << 16) | in;
        int o = out & MASK;
        outToIn[o] = in;
        outToInSsrc[o] = inSsrc;
        outTag[o] = out;
    }

    private void markSkipped(int in) {
        int i = in & MASK;
        inToOut[i] = SKIPPED;
        inTag[i] = (generation << 16) | in;
    }
}
