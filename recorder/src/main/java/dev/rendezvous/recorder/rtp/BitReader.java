package dev.rendezvous.recorder.rtp;

/**
 * Reads bits most significant first from {@code b[off, off + len)}, with the Exp-Golomb codes of H.264
 * (ITU-T H.264 section 9.1). Reading past the end gives zeros and sets {@link #overrun()}, so a parser of a
 * truncated header never throws and checks once at the end.
 */
final class BitReader {

    private final byte[] b;
    private final int end;
    private long pos;
    private boolean overrun;

    BitReader(byte[] b, int off, int len) {
        this.b = b;
        this.pos = 8L * off;
        this.end = off + len;
    }

    int bit() {
        int byteIndex = (int) (pos >>> 3);
        if (byteIndex >= end) {
            overrun = true;
            return 0;
        }
        int v = (b[byteIndex] >>> (7 - (int) (pos & 7))) & 1;
        pos++;
        return v;
    }

    /** {@code n} ≤ 32 bits as an unsigned value. */
    int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    /** ue(v); values beyond 31 leading zeros are refused as an overrun. */
    int ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (overrun || ++zeros > 31) {
                overrun = true;
                return 0;
            }
        }
        long v = (1L << zeros) - 1 + (zeros == 0 ? 0 : (bits(zeros) & 0xFFFFFFFFL));
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    /** se(v). */
    int se() {
        int k = ue();
        return (k & 1) != 0 ? (k + 1) / 2 : -(k / 2);
    }

    boolean overrun() {
        return overrun;
    }
}
