package dev.rendezvous.loadtest.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The messages of one run that were sent and not yet received: each one's scheduled send time, so that latency is
 * measured from when it should have left (open loop, no coordinated omission). Shared by the sender and the
 * receiving threads of a {@link ChatPath}.
 */
public final class Inflight {

    private final Map<String, Long> scheduled = new ConcurrentHashMap<>();
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /** Message {@code id} is about to be sent; it was due at {@code scheduledNanos}. */
    public void sent(String id, long scheduledNanos) {
        scheduled.put(id, scheduledNanos);
    }

    /** Message {@code id} arrived at {@code receivedNanos}; ignored when it was not (or no longer) awaited. */
    public void received(String id, long receivedNanos) {
        Long at = scheduled.remove(id);
        if (at != null) {
            recorder.recordValue(Math.max(0, receivedNanos - at));
            delivered.incrementAndGet();
        }
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
        scheduled.clear();
        delivered.set(0);
        errors.set(0);
        firstError.set(null);
    }

    /** The latencies since the last reset, and the counters; lost = still waiting. */
    public Tally tally() {
        return new Tally(recorder.getIntervalHistogram(), delivered.get(), errors.get(), scheduled.size());
    }

    public record Tally(Histogram latency, long delivered, long errors, long lost) {}
}
