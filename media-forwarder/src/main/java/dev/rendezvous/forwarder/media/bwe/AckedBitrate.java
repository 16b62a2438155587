package dev.rendezvous.forwarder.media.bwe;

/**
 * The rate at which the receiver got our packets, as the feedback shows it: bytes of the packets that arrived
 * within the last {@value #WINDOW_US} µs of arrival time (the newest arrival seen), over that window. Unknown (-1)
 * until the packets span at least {@value #MIN_SPAN_US} µs. A fixed ring of {@value #CAPACITY} packets; at more
 * packets per window than that the oldest are forgotten early (the rate then reads low, never high).
 */
final class AckedBitrate {

    static final long WINDOW_US = 500_000;
    static final long MIN_SPAN_US = 150_000;
    static final int CAPACITY = 4096;

    private final long[] arrivals = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private int head;
    private int count;
    private long bytes;
    private long newest = Long.MIN_VALUE;
    private long oldest = Long.MAX_VALUE;

    void add(long arrivalUs, int size) {
        if (count == CAPACITY) {
            drop();
        }
        int at = (head + count) % CAPACITY;
        arrivals[at] = arrivalUs;
        sizes[at] = size;
        count++;
        bytes += size;
        newest = Math.max(newest, arrivalUs);
        oldest = Math.min(oldest, arrivalUs);
    }

    private void drop() {
        bytes -= sizes[head];
        head = (head + 1) % CAPACITY;
        count--;
        oldest = count == 0 ? Long.MAX_VALUE : arrivals[head];
    }

    /** Bits per second over the window, or -1 while unknown. */
    long bps() {
        while (count > 0 && arrivals[head] < newest - WINDOW_US) {
            drop();
        }
        if (count == 0 || newest - oldest < MIN_SPAN_US) {
            return -1;
        }
        return bytes * 8 * 1_000_000 / (newest - oldest);
    }

    void reset() {
        head = 0;
        count = 0;
        bytes = 0;
        newest = Long.MIN_VALUE;
        oldest = Long.MAX_VALUE;
    }
}
