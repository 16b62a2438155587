package dev.rendezvous.forwarder.media.srtp;

/**
 * The per-SSRC state of one direction of an SRTP session (RFC 3711 section 3.2.3): for RTP and for RTCP the highest
 * packet index so far and the 64-packet replay window, and the next SRTCP index to send. Kept in an open-addressing
 * table with linear probing, looked up by the int SSRC without boxing; at most {@link #MAX} contexts, so the table is
 * never more than half full. Not thread-safe: {@link SrtpSession} holds its lock around every use.
 */
final class SsrcContexts {

    /** The most contexts one table holds. */
    static final int MAX = 512;
    /** Packets a replay window remembers below the highest index. */
    static final int WINDOW = 64;

    private static final int SLOT_BITS = 10;
    private static final int SLOTS = 1 << SLOT_BITS; // twice MAX

    private final Context[] slots = new Context[SLOTS];
    private int count;

    /** The context of {@code ssrc}, or null. */
    Context find(int ssrc) {
        for (int i = slotOf(ssrc);; i = (i + 1) & (SLOTS - 1)) {
            Context c = slots[i];
            if (c == null || c.ssrc == ssrc) {
                return c;
            }
        }
    }

    /** A new context for an SSRC known to be absent, or null when {@link #MAX} are held already. */
    Context insert(int ssrc) {
        if (full()) {
            return null;
        }
        int i = slotOf(ssrc);
        while (slots[i] != null) {
            i = (i + 1) & (SLOTS - 1);
        }
        Context c = new Context(ssrc);
        slots[i] = c;
        count++;
        return c;
    }

    /** The context of {@code ssrc}, created if absent; null when it is absent and the table is full. */
    Context findOrInsert(int ssrc) {
        Context c = find(ssrc);
        return c != null ? c : insert(ssrc);
    }

    boolean full() {
        return count >= MAX;
    }

    int size() {
        return count;
    }

    /** The first slot to probe: the top bits of a multiplicative (Fibonacci) hash, over the whole table. */
    static int slotOf(int ssrc) {
        return (ssrc * 0x9E37_79B9) >>> (32 - SLOT_BITS);
    }

    /**
     * The 48-bit packet index of sequence number {@code seq} given the highest index so far (RFC 3711 appendix A),
     * or -1 if it would fall before rollover counter 0 or beyond 2^32 - 1.
     */
    static long estimateIndex(long highest, int seq) {
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xFFFF);
        long v;
        if (sl < 0x8000) {
            v = seq - sl > 0x8000 ? roc - 1 : roc;
        } else {
            v = sl - 0x8000 > seq ? roc + 1 : roc;
        }
        if (v < 0 || v > 0xFFFF_FFFFL) {
            return -1;
        }
        return v << 16 | seq;
    }

    /** Whether {@code index} was accepted already or is too old for the window (bit k: highest - k accepted). */
    static boolean isReplay(long highest, long window, long index) {
        long delta = index - highest;
        if (delta > 0) {
            return false;
        }
        if (delta <= -WINDOW) {
            return true;
        }
        return (window >>> (int) -delta & 1L) != 0;
    }

    /** The window after accepting {@code index}. */
    private static long advance(long highest, long window, long index) {
        long delta = index - highest;
        if (delta > 0) {
            return delta >= WINDOW ? 1L : window << delta | 1L;
        }
        return delta <= -WINDOW ? window : window | 1L << -delta;
    }

    /** Crypto state of one SSRC in this direction. */
    static final class Context {
        final int ssrc;
        final Window rtp = new Window();  // indices: ROC * 2^16 + s_l
        final Window rtcp = new Window(); // indices: the 31-bit SRTCP index
        int srtcpNextIndex;

        private Context(int ssrc) {
            this.ssrc = ssrc;
        }
    }

    /** The highest index accepted so far and the replay window below it (bit k: highest - k accepted). */
    static final class Window {
        boolean seen;
        long highest;
        private long bits;

        /** Whether {@code index} is a replay (false before the first accepted index). */
        boolean replay(long index) {
            return seen && isReplay(highest, bits, index);
        }

        void accept(long index) {
            if (!seen) {
                seen = true;
                highest = index;
                bits = 1L;
            } else {
                bits = advance(highest, bits, index);
                highest = Math.max(highest, index);
            }
        }
    }
}
