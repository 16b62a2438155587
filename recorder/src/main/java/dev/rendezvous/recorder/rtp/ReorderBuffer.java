package dev.rendezvous.recorder.rtp;

/**
 * Puts one track's RTP packets back in sequence order (16-bit sequence numbers, wrap-around included) and
 * says where packets are missing. A recording is not live, so every packet is held for {@code maxWaitMs} of
 * arrival time (or until the buffer is full) before it goes on: a packet that arrives late, a retransmission
 * among them, still finds its place, even before the first packet that arrived. A hole that the packet after
 * it has waited {@code maxWaitMs} for is given up, and that packet goes out flagged {@code lostBefore}.
 * Duplicates and packets older than what was already released are dropped and counted.
 */
public final class ReorderBuffer {

    /** Receives packets in order; {@code rtp[0, len)} is only valid during the call. */
    @FunctionalInterface
    public interface Sink {
        void packet(byte[] rtp, int len, long arrivalMs, boolean lostBefore);
    }

    private final int mask;
    private final long maxWaitMs;
    private final Sink sink;
    private final byte[][] slots;
    private final int[] lengths;
    private final long[] arrivals;
    private final boolean[] present;
    private long next = -1;
    private long highest = -1;
    private boolean released;
    private boolean lostPending;
    private long lost;
    private long dropped;

    /** {@code capacity}: a power of two, the most packets held back. */
    public ReorderBuffer(int capacity, long maxWaitMs, Sink sink) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2");
        }
        this.mask = capacity - 1;
        this.maxWaitMs = maxWaitMs;
        this.sink = sink;
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
        this.arrivals = new long[capacity];
        this.present = new boolean[capacity];
    }

    /** An RTP packet {@code b[off, off + len)} (header included) that arrived at {@code arrivalMs}. */
    public void push(byte[] b, int off, int len, long arrivalMs) {
        if (len < 12) {
            dropped++;
            return;
        }
        int seq = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        long ext = extend(seq);
        if (next < 0) {
            next = ext;
        }
        if (!released && ext < next && highest - ext <= mask) {
            next = ext; // nothing went out yet: an earlier packet that arrived later still comes first
        }
        if (ext < next || present[(int) (ext & mask)] && ext <= highest) {
            dropped++; // late (already given up or released) or a duplicate
            return;
        }
        while (ext - next > mask) { // no room: give up the oldest positions
            skipOne();
        }
        int i = (int) (ext & mask);
        if (slots[i] == null || slots[i].length < len) {
            slots[i] = new byte[Math.max(len, 1500)];
        }
        System.arraycopy(b, off, slots[i], 0, len);
        lengths[i] = len;
        arrivals[i] = arrivalMs;
        present[i] = true;
        highest = Math.max(highest, ext);
        release(arrivalMs);
    }

    /** Releases everything held, in order, giving up every remaining hole (end of the recording). */
    public void flush() {
        while (next >= 0 && next <= highest) {
            if (present[(int) (next & mask)]) {
                emit();
            } else {
                skipOne();
            }
        }
    }

    /** Packets given up as lost. */
    public long lost() {
        return lost;
    }

    /** Duplicates, late packets and runts. */
    public long dropped() {
        return dropped;
    }

    private void release(long nowMs) {
        while (next <= highest) {
            int i = (int) (next & mask);
            boolean full = highest - next >= mask;
            if (present[i]) {
                if (nowMs - arrivals[i] < maxWaitMs && !full) {
                    return;
                }
                emit();
            } else if (full || nowMs - arrivalAfterHole() >= maxWaitMs) {
                skipOne();
            } else {
                return;
            }
        }
    }

    /** Arrival of the first held packet after the hole at {@code next}. */
    private long arrivalAfterHole() {
        for (long e = next + 1; e <= highest; e++) {
            int i = (int) (e & mask);
            if (present[i]) {
                return arrivals[i];
            }
        }
        return Long.MAX_VALUE;
    }

    private void emit() {
        int i = (int) (next & mask);
        present[i] = false;
        released = true;
        next++;
        boolean lostBefore = lostPending;
        lostPending = false;
        sink.packet(slots[i], lengths[i], arrivals[i], lostBefore);
    }

    private void skipOne() {
        int i = (int) (next & mask);
        if (present[i]) {
            emit();
            return;
        }
        next++;
        lost++;
        lostPending = true;
    }

    /** The 16-bit sequence number as a 64-bit one, taking the value closest to the highest seen. */
    private long extend(int seq) {
        if (highest < 0) {
            return seq + (1L << 16); // room below the first for reordered predecessors
        }
        long base = highest & ~0xFFFFL;
        long candidate = base | seq;
        if (candidate - highest > 0x8000) {
            candidate -= 1L << 16;
        } else if (highest - candidate > 0x8000) {
            candidate += 1L << 16;
        }
        return candidate;
    }
}
