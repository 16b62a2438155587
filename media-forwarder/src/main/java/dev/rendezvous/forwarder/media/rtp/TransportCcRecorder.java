package dev.rendezvous.forwarder.media.rtp;

import java.util.Arrays;

/**
 * The receiving side of transport-wide congestion control for one transport: records the arrival time of every
 * packet by its transport-wide sequence number and writes the feedback that reports them (see
 * {@link TransportCc}). A fixed ring of {@value #CAPACITY} packets; packets not yet reported that fall out of it
 * are skipped. A packet that arrives after its number was already reported (as lost) is not reported again.
 * Arrival times are µs since the first packet (the feedback's clock needs no epoch, only a start ≥ 0).
 * One thread; allocation-free after construction.
 */
public final class TransportCcRecorder {

    static final int CAPACITY = 1 << 12;
    private static final int MASK = CAPACITY - 1;
    /** Statuses in one feedback packet at most (at 1200 bytes every status fits with its delta). */
    static final int MAX_STATUSES = 1024;

    private long epochNanos;
    private final long[] arrivals = new long[CAPACITY];
    private final long[] slotSeq = new long[CAPACITY];
    private final long[] scratch = new long[MAX_STATUSES];
    private final TransportCc.Writer writer = new TransportCc.Writer(MAX_STATUSES);
    private long highest = -1;
    private long nextToReport = -1;
    private int feedbackCount;
    private long lastFeedbackNanos;
    private long lastMediaSsrc;

    public TransportCcRecorder() {
        Arrays.fill(slotSeq, -1);
    }

    /** A packet with transport-wide number {@code seq} (16 bits) and media SSRC arrived at {@code nowNanos}. */
    public void onPacket(int seq, long mediaSsrc, long nowNanos) {
        long ext = unwrap(seq & 0xFFFF);
        lastMediaSsrc = mediaSsrc;
        if (highest < 0) {
            epochNanos = nowNanos;
            lastFeedbackNanos = nowNanos;
        }
        if (highest < 0 || ext - highest > CAPACITY / 2 || highest - ext > CAPACITY / 2) {
            // first packet, or a jump no reordering explains (a new sender): start over from here
            highest = ext;
            nextToReport = ext;
        } else if (ext < nextToReport) {
            return; // already reported as lost
        }
        int i = (int) (ext & MASK);
        slotSeq[i] = ext;
        arrivals[i] = Math.max(0, (nowNanos - epochNanos) / 1000);
        if (ext > highest) {
            highest = ext;
        }
        if (highest - nextToReport >= CAPACITY) {
            nextToReport = highest - CAPACITY + 1;
        }
    }

    private long unwrap(int seq) {
        if (highest < 0) {
            return seq;
        }
        long ext = highest + (short) (seq - (int) (highest & 0xFFFF));
        return ext < 0 ? ext + 0x10000 : ext;
    }

    /** Whether packets wait to be reported and {@code intervalNanos} passed since the last feedback. */
    public boolean due(long nowNanos, long intervalNanos) {
        return pending() > 0 && nowNanos - lastFeedbackNanos >= intervalNanos;
    }

    /** Packets received or missing since the last feedback, up to the highest number seen. */
    public int pending() {
        return highest < 0 ? 0 : (int) (highest - nextToReport + 1);
    }

    /**
     * Writes one feedback packet reporting the pending packets (as many as fit in {@code maxBytes}) and marks
     * them reported. Returns the bytes written, 0 if nothing was pending.
     */
    public int writeFeedback(byte[] b, int off, int maxBytes, long senderSsrc, long nowNanos) {
        int n = Math.min(pending(), MAX_STATUSES);
        if (n <= 0) {
            return 0;
        }
        for (int k = 0; k < n; k++) {
            long ext = nextToReport + k;
            int i = (int) (ext & MASK);
            scratch[k] = slotSeq[i] == ext ? arrivals[i] : -1;
        }
        int len = writer.write(b, off, maxBytes, senderSsrc, lastMediaSsrc, feedbackCount, (int) (nextToReport & 0xFFFF),
                scratch, 0, n);
        if (len <= 0) {
            nextToReport += n; // nothing of it arrived (only possible past MAX_STATUSES losses): skip it
            return 0;
        }
        nextToReport += writer.covered();
        feedbackCount = (feedbackCount + 1) & 0xFF;
        lastFeedbackNanos = nowNanos;
        return len;
    }
}
