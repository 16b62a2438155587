package dev.rendezvous.forwarder.media.bwe;

/**
 * Send time and size of the packets sent on one transport, by transport-wide sequence number, so that a
 * feedback message (which names packets by their 16-bit number) can be turned into per-packet results. A
 * preallocated ring of {@value #CAPACITY} entries: older packets are forgotten. Sequence numbers are unwrapped
 * against the newest one sent, so the 16-bit wrap is invisible to callers.
 */
public final class SendHistory {

    static final int CAPACITY = 1 << 13;
    private static final int MASK = CAPACITY - 1;

    private final long[] extended = new long[CAPACITY];
    private final long[] sendUs = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private long highest = -1;

    public SendHistory() {
        java.util.Arrays.fill(extended, -1);
    }

    /** Records a packet sent with transport-wide number {@code seq} (16 bits). */
    public void onSent(int seq, long atUs, int sizeBytes) {
        long ext = unwrap(seq);
        if (ext > highest) {
            highest = ext;
        }
        int i = (int) (ext & MASK);
        extended[i] = ext;
        sendUs[i] = atUs;
        sizes[i] = sizeBytes;
    }

    /** The extended (unwrapped) number of a 16-bit one, relative to the newest packet sent. */
    public long unwrap(int seq) {
        int s = seq & 0xFFFF;
        if (highest < 0) {
            return s;
        }
        long ext = highest + (short) (s - (int) (highest & 0xFFFF));
        return ext < 0 ? ext + 0x10000 : ext;
    }

    /** Send time of packet {@code seq}, or -1 if it was never recorded or is too old. */
    public long sendTimeUs(int seq) {
        long ext = unwrap(seq);
        int i = (int) (ext & MASK);
        return extended[i] == ext ? sendUs[i] : -1;
    }

    /** Size of packet {@code seq} in bytes, or -1 if unknown. */
    public int size(int seq) {
        long ext = unwrap(seq);
        int i = (int) (ext & MASK);
        return extended[i] == ext ? sizes[i] : -1;
    }
}
