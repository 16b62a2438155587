package dev.rendezvous.forwarder.media.rtp;

/**
 * Ring buffer of the last {@code slots} packets of one stream, indexed by RTP sequence number, for answering
 * NACKs with retransmissions. All slots ({@code maxPacket} bytes each) are preallocated, so caching a packet is a
 * copy and never an allocation.
 *
 * <p>Exists because the forwarder answers subscribers' NACKs itself instead of forwarding them to the
 * publisher: that is faster and keeps one subscriber's loss off the publisher's uplink. A slot holds the packet
 * whose sequence number maps to it most recently; asking for a sequence number whose slot was since
 * overwritten (more than {@code slots} packets ago) or never filled returns -1. As sequence numbers repeat
 * every 65536 packets, a slot left untouched for a whole cycle (heavy loss) could answer for an older packet
 * with the same number; at {@code slots} well below 65536 and normal loss that does not happen in practice.
 *
 * <p>Not thread-safe: put and get from the packet thread that owns the stream.
 */
public final class PacketCache {

    private final int mask;
    private final int maxPacket;
    private final byte[] data;
    private final int[] seqs;
    private final int[] lengths;

    public PacketCache(int slots, int maxPacket) {
        if (slots < 1 || slots > 65536 || Integer.bitCount(slots) != 1 || maxPacket < 1) {
            throw new IllegalArgumentException("slots must be a power of two up to 65536 and maxPacket positive");
        }
        if ((long) slots * maxPacket > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cache too large");
        }
        this.mask = slots - 1;
        this.maxPacket = maxPacket;
        this.data = new byte[slots * maxPacket];
        this.seqs = new int[slots];
        this.lengths = new int[slots];
        java.util.Arrays.fill(seqs, -1);
    }

    /** Copies the packet into the slot of its sequence number; ignored if longer than maxPacket. */
    public void put(int seq, byte[] b, int off, int len) {
        if (len < 0 || len > maxPacket) {
            return;
        }
        seq &= 0xFFFF;
        int slot = seq & mask;
        System.arraycopy(b, off, data, slot * maxPacket, len);
        seqs[slot] = seq;
        lengths[slot] = len;
    }

    /**
     * Copies the packet with this sequence number to {@code dst[dstOff..]} and returns its length, or -1 if it is
     * not cached or does not fit in {@code dst}.
     */
    public int get(int seq, byte[] dst, int dstOff) {
        seq &= 0xFFFF;
        int slot = seq & mask;
        if (seqs[slot] != seq) {
            return -1;
        }
        int len = lengths[slot];
        if (dstOff < 0 || dstOff > dst.length - len) {
            return -1;
        }
        System.arraycopy(data, slot * maxPacket, dst, dstOff, len);
        return len;
    }

    /** Whether the packet with this sequence number is cached. */
    public boolean contains(int seq) {
        seq &= 0xFFFF;
        return seqs[seq & mask] == seq;
    }

    /** Forgets every packet (e.g. when the stream restarts). */
    public void clear() {
        java.util.Arrays.fill(seqs, -1);
    }

    public int slots() {
        return mask + 1;
    }
}
