package dev.rendezvous.webrtc.stats;

/**
 * The sequence numbers of one received stream that are missing: opened when a later packet shows a gap,
 * closed when the packet arrives after all (then it was a retransmission, or reordered) or when it is given
 * up. It decides when to NACK: at once, then again after {@code retryNanos}, at most {@value #MAX_ATTEMPTS}
 * times. Bounded ({@value #CAPACITY} entries; a gap wider than that is counted lost and not NACKed). Not
 * thread-safe: used by its stream's receive path under the stream's lock.
 */
final class GapTracker {

    static final int CAPACITY = 128;
    static final int MAX_ATTEMPTS = 3;

    private final long[] seqs = new long[CAPACITY]; // extended sequence numbers, -1 = free
    private final long[] nextNackNanos = new long[CAPACITY];
    private final int[] attempts = new int[CAPACITY];
    private final long retryNanos;

    GapTracker(long retryNanos) {
        this.retryNanos = retryNanos;
        java.util.Arrays.fill(seqs, -1);
    }

    /** Packets {@code (from, to)} exclusive are missing (extended sequence numbers). */
    void missing(long from, long to, long now) {
        if (to - from - 1 > CAPACITY) {
            return;
        }
        for (long s = from + 1; s < to; s++) {
            int free = -1;
            for (int i = 0; i < CAPACITY; i++) {
                if (seqs[i] < 0) {
                    free = i;
                    break;
                }
            }
            if (free < 0) {
                free = oldest();
            }
            seqs[free] = s;
            nextNackNanos[free] = now;
            attempts[free] = 0;
        }
    }

    /** True when {@code ext} was missing (so this is a retransmission or a late packet); it is no longer missing. */
    boolean arrived(long ext) {
        for (int i = 0; i < CAPACITY; i++) {
            if (seqs[i] == ext) {
                seqs[i] = -1;
                return true;
            }
        }
        return false;
    }

    /**
     * Collects the sequence numbers (16 bits) due for a NACK now into {@code out}; returns how many. Entries
     * NACKed {@value #MAX_ATTEMPTS} times are given up.
     */
    int due(long now, int[] out) {
        int n = 0;
        for (int i = 0; i < CAPACITY && n < out.length; i++) {
            if (seqs[i] < 0 || now < nextNackNanos[i]) {
                continue;
            }
            if (attempts[i] >= MAX_ATTEMPTS) {
                seqs[i] = -1;
                continue;
            }
            attempts[i]++;
            nextNackNanos[i] = now + retryNanos;
            out[n++] = (int) (seqs[i] & 0xFFFF);
        }
        return n;
    }

    private int oldest() {
        int at = 0;
        for (int i = 1; i < CAPACITY; i++) {
            if (seqs[i] < seqs[at]) {
                at = i;
            }
        }
        return at;
    }
}
