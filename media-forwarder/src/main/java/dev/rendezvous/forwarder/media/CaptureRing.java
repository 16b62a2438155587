package dev.rendezvous.forwarder.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer single-consumer ring of variable-length records in one byte array: the packet thread
 * {@link #offer}s copies of recorded packets without allocating or waiting (a full ring drops the packet and
 * counts it), the recording thread {@link #drain}s them. Each record is the track id (8 bytes), the arrival
 * (8), the length (2) and the packet. The write position is published with release semantics after the bytes,
 * the read position likewise after they were consumed.
 */
final class CaptureRing {

    /** Receives one record; {@code b[off, off + len)} is a copy the callee may keep only during the call. */
    interface Reader {
        void record(long trackId, long arrivalNanos, byte[] b, int off, int len);
    }

    private static final int HEADER = 18;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(CaptureRing.class, "head", long.class);
            TAIL = l.findVarHandle(CaptureRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] ring;
    private final int mask;
    private final byte[] scratch = new byte[HEADER + 65_536];
    @SuppressWarnings("unused") // through HEAD
    private long head;
    @SuppressWarnings("unused") // through TAIL
    private long tail;
    private volatile long dropped; // written by the packet thread only

    /** {@code capacity}: bytes, a power of two. */
    CaptureRing(int capacity) {
        if (capacity < 1024 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 1024");
        }
        this.ring = new byte[capacity];
        this.mask = capacity - 1;
    }

    /** Packet thread: copies {@code b[off, off + len)}; false (and counted) when the ring has no room. */
    boolean offer(long trackId, long arrivalNanos, byte[] b, int off, int len) {
        long h = (long) HEAD.getOpaque(this);
        long t = (long) TAIL.getAcquire(this);
        int need = HEADER + len;
        if (len > 0xFFFF || ring.length - (h - t) < need) {
            dropped++;
            return false;
        }
        long p = h;
        p = putLong(p, trackId);
        p = putLong(p, arrivalNanos);
        ring[(int) (p++ & mask)] = (byte) (len >>> 8);
        ring[(int) (p++ & mask)] = (byte) len;
        int at = (int) (p & mask);
        int first = Math.min(len, ring.length - at);
        System.arraycopy(b, off, ring, at, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        HEAD.setRelease(this, h + need);
        return true;
    }

    /** Recording thread: hands every record written so far to {@code reader}; returns how many. */
    int drain(Reader reader) {
        long t = (long) TAIL.getOpaque(this);
        long h = (long) HEAD.getAcquire(this);
        int n = 0;
        while (t < h) {
            long trackId = getLong(t);
            long arrival = getLong(t + 8);
            int len = ((ring[(int) ((t + 16) & mask)] & 0xFF) << 8) | (ring[(int) ((t + 17) & mask)] & 0xFF);
            int at = (int) ((t + HEADER) & mask);
            int first = Math.min(len, ring.length - at);
            System.arraycopy(ring, at, scratch, 0, first);
            System.arraycopy(ring, 0, scratch, first, len - first);
            t += HEADER + len;
            TAIL.setRelease(this, t); // the bytes are in scratch: the writer may reuse them
            reader.record(trackId, arrival, scratch, 0, len);
            n++;
        }
        return n;
    }

    /** Packets the packet thread could not copy (a ring full because recording fell behind). */
    long dropped() {
        return dropped;
    }

    private long putLong(long p, long v) {
        for (int s = 56; s >= 0; s -= 8) {
            ring[(int) (p++ & mask)] = (byte) (v >>> s);
        }
        return p;
    }

    private long getLong(long p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (ring[(int) ((p + i) & mask)] & 0xFF);
        }
        return v;
    }
}
