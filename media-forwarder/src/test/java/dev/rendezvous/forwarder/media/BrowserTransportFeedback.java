package dev.rendezvous.forwarder.media;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscriber's side of transport-wide congestion control, written for tests from
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 alone (not from the forwarder's {@code TransportCc.Writer},
 * so that a misreading shared by both could not hide): it notes when each transport-wide number arrived and
 * writes the feedback a browser sends every few tens of milliseconds — RTCP RTPFB FMT 15, base sequence number,
 * status count, a 24-bit reference time in 64 ms units, a feedback counter, two-bit status-vector chunks (seven
 * statuses each: 0 not received, 1 small delta, 2 large delta) and the receive deltas in 250 µs ticks (one
 * unsigned byte, or two signed ones). Reports run from the first number not yet reported to the highest that
 * arrived; what arrives after its number was reported (as lost) is not reported again.
 */
final class BrowserTransportFeedback {

    /** Statuses in one feedback packet at most (a browser splits longer runs the same way). */
    static final int MAX_STATUSES = 700;
    private static final long TICK_US = 250;
    private static final long REFERENCE_US = 64_000;

    private final long senderSsrc;
    private final Map<Long, Long> arrivals = new HashMap<>();
    private long highest = -1;
    private long nextToReport = -1;
    private int feedbackCount;

    BrowserTransportFeedback(long senderSsrc) {
        this.senderSsrc = senderSsrc;
    }

    /** A packet numbered {@code seq} (16 bits) arrived at {@code arrivalUs} on the receiver's clock (≥ 0). */
    void onArrival(int seq, long arrivalUs) {
        long ext = unwrap(seq & 0xFFFF);
        if (nextToReport < 0) {
            nextToReport = ext;
        }
        if (ext < nextToReport) {
            return;
        }
        arrivals.put(ext, arrivalUs);
        highest = Math.max(highest, ext);
    }

    private long unwrap(int seq) {
        if (highest < 0) {
            return seq;
        }
        long ext = highest + (short) (seq - (int) (highest & 0xFFFF));
        return ext < 0 ? ext + 0x10000 : ext;
    }

    /** The feedback packets (plain RTCP) for everything not reported yet; none when nothing new arrived. */
    List<byte[]> takeFeedback(long mediaSsrc) {
        List<byte[]> out = new ArrayList<>();
        while (highest >= nextToReport && nextToReport >= 0) {
            int count = (int) Math.min(MAX_STATUSES, highest - nextToReport + 1);
            out.add(write(nextToReport, count, mediaSsrc));
            for (long s = nextToReport; s < nextToReport + count; s++) {
                arrivals.remove(s);
            }
            nextToReport += count;
            feedbackCount = (feedbackCount + 1) & 0xFF;
        }
        return out;
    }

    private byte[] write(long base, int count, long mediaSsrc) {
        int[] symbols = new int[count];
        long firstArrival = -1;
        for (int k = 0; k < count && firstArrival < 0; k++) {
            Long a = arrivals.get(base + k);
            if (a != null) {
                firstArrival = a;
            }
        }
        long reference = Math.max(0, firstArrival) / REFERENCE_US;
        long lastTicks = reference * (REFERENCE_US / TICK_US);
        byte[] deltas = new byte[2 * count];
        int deltaBytes = 0;
        for (int k = 0; k < count; k++) {
            Long a = arrivals.get(base + k);
            if (a == null) {
                continue; // symbol 0: not received
            }
            long ticks = a / TICK_US;
            long delta = ticks - lastTicks;
            lastTicks = ticks;
            if (delta >= 0 && delta <= 255) {
                symbols[k] = 1;
                deltas[deltaBytes++] = (byte) delta;
            } else {
                short d = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, delta));
                symbols[k] = 2;
                deltas[deltaBytes++] = (byte) (d >> 8);
                deltas[deltaBytes++] = (byte) d;
            }
        }
        int chunks = (count + 6) / 7;
        int length = 20 + 2 * chunks + deltaBytes;
        int padded = (length + 3) & ~3;
        byte[] b = new byte[padded];
        b[0] = (byte) 0x8F;           // V=2, P=0, FMT=15
        b[1] = (byte) 205;            // RTPFB
        put(b, 2, 2, padded / 4 - 1);
        put(b, 4, 4, senderSsrc);
        put(b, 8, 4, mediaSsrc);
        put(b, 12, 2, base & 0xFFFF);
        put(b, 14, 2, count);
        put(b, 16, 3, reference & 0xFFFFFF);
        b[19] = (byte) feedbackCount;
        for (int c = 0; c < chunks; c++) {
            int chunk = 0xC000; // status vector, two-bit symbols
            for (int j = 0; j < 7; j++) {
                int k = c * 7 + j;
                int symbol = k < count ? symbols[k] : 0;
                chunk |= symbol << (12 - 2 * j);
            }
            put(b, 20 + 2 * c, 2, chunk);
        }
        System.arraycopy(deltas, 0, b, 20 + 2 * chunks, deltaBytes);
        return b;
    }

    private static void put(byte[] b, int off, int bytes, long v) {
        for (int i = bytes - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
