package dev.rendezvous.loadtest.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The messages of one run that were sent and not yet received: each one's scheduled send time, so that latency is
 * measured from when it should have left (open loop, no coordinated omission). Shared by the sender and the
 * receiving threads of a {@link ChatPath}. Latencies are also kept per {@link #SLOT_NANOS} of scheduled send time since the
 * first message after a reset, to show whether the tail is steady over a run or comes from a few bad moments.
 */
public final class Inflight {

    /** Length of one slot of the per-slot latencies. */
    public static final long SLOT_NANOS = 10_000_000_000L;
    /** Slots kept: an hour; later messages count in the last one. */
    static final int MAX_SLOTS = 360;

    private final Map<String, Long> scheduled = new ConcurrentHashMap<>();
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong firstScheduled = new AtomicLong(Long.MIN_VALUE);
    private volatile AtomicReferenceArray<Recorder> slots = new AtomicReferenceArray<>(MAX_SLOTS);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile SlowLog.Run slow = SlowLog.Run.NONE;

    /** Message {@code id} is about to be sent; it was due at {@code scheduledNanos}. */
    public void sent(String id, long scheduledNanos) {
        firstScheduled.compareAndSet(Long.MIN_VALUE, scheduledNanos);
        scheduled.put(id, scheduledNanos);
    }

    /** Message {@code id} arrived at {@code receivedNanos}; ignored when it was not (or no longer) awaited. */
    public void received(String id, long receivedNanos) {
        received(id, receivedNanos, null);
    }

    /** As {@link #received(String, long)}, with the message's server time (ISO-8601, or null) for the {@link SlowLog}. */
    public void received(String id, long receivedNanos, String serverTime) {
        Long at = scheduled.remove(id);
        if (at != null) {
            long latency = Math.max(0, receivedNanos - at);
            recorder.recordValue(latency);
            slot(at).recordValue(latency);
            delivered.incrementAndGet();
            slow.message(at, latency, serverTime);
        }
    }

    /** Where the slow messages from now on go ({@link SlowLog.Run#NONE}: nowhere). */
    public void slowLog(SlowLog.Run run) {
        slow = run;
    }

    private Recorder slot(long scheduledNanos) {
        int i = (int) Math.min(MAX_SLOTS - 1, Math.max(0, (scheduledNanos - firstScheduled.get()) / SLOT_NANOS));
        AtomicReferenceArray<Recorder> all = slots;
        Recorder r = all.get(i);
        if (r == null) {
            all.compareAndSet(i, null, new Recorder(3));
            r = all.get(i);
        }
        return r;
    }

    /** An error with what it said; the first one is kept for the console. */
    public void error(String what) {
        firstError.compareAndSet(null, what);
        errors.incrementAndGet();
    }

    public String firstError() {
        return firstError.get();
    }

    public int waiting() {
        return scheduled.size();
    }

    /** Waits up to {@code maxNanos} for everything sent to arrive; true when it did. */
    public boolean awaitDrain(long maxNanos) throws InterruptedException {
        long deadline = System.nanoTime() + maxNanos;
        while (!scheduled.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return scheduled.isEmpty();
    }

    /** Starts a new interval: what was recorded so far is dropped (the warm-up), counters reset. */
    public void reset() {
        recorder.getIntervalHistogram();
        slots = new AtomicReferenceArray<>(MAX_SLOTS);
        firstScheduled.set(Long.MIN_VALUE);
        scheduled.clear();
        delivered.set(0);
        errors.set(0);
        firstError.set(null);
    }

    /** The latencies since the last reset (all, and per slot up to the last one used), and the counters; lost = still waiting. */
    public Tally tally() {
        AtomicReferenceArray<Recorder> all = slots;
        List<Histogram> perSlot = new ArrayList<>();
        int last = -1;
        for (int i = 0; i < MAX_SLOTS; i++) {
            if (all.get(i) != null) {
                last = i;
            }
        }
        for (int i = 0; i <= last; i++) {
            Recorder r = all.get(i);
            perSlot.add(r == null ? new Histogram(3) : r.getIntervalHistogram());
        }
        return new Tally(recorder.getIntervalHistogram(), List.copyOf(perSlot), delivered.get(), errors.get(), scheduled.size());
    }

    /** @param slots latencies per {@link #SLOT_NANOS} of scheduled send time, in order (an empty one for a slot with none) */
    public record Tally(Histogram latency, List<Histogram> slots, long delivered, long errors, long lost) {}
}
