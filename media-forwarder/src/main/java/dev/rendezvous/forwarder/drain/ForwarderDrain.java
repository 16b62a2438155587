package dev.rendezvous.forwarder.drain;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Draining: the forwarder says so in its metrics ({@code draining: true}), stream-apps then gives it no new rooms and
 * moves its rooms to their standbys (each ends here with CLOSE_ROOM); the drain is over when no room is left, after
 * {@code timeout}, or when no room has gone for {@code stall} (nobody is moving them: stream-apps is down, or there
 * is no other forwarder — a whole all-in-one stopping — so waiting longer would only delay the stop; stream-apps
 * moves all of a draining forwarder's rooms within about two seconds). Begun by SIGTERM (this is the first lifecycle Spring stops on shutdown, before the metrics and the
 * command consumer, which keep running meanwhile) or by the admin call ({@link DrainEndpoint}, which then exits the
 * process).
 */
public final class ForwarderDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ForwarderDrain.class);

    /** How a drain ended. */
    public enum Outcome { EMPTY, TIMED_OUT, STALLED }

    private final IntSupplier rooms;
    private final Duration timeout;
    private final Duration poll;
    private final Duration stall;
    private final Object lock = new Object();
    private volatile boolean draining;
    private volatile boolean running;
    private CompletableFuture<Outcome> done;
    private ScheduledExecutorService timer;

    /**
     * @param rooms   how many rooms this forwarder holds now
     * @param timeout the longest a drain waits for the rooms to go
     * @param poll    how often the room count is looked at
     * @param stall   the drain ends when no room has gone for this long
     */
    public ForwarderDrain(IntSupplier rooms, Duration timeout, Duration poll, Duration stall) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.stall = Objects.requireNonNull(stall, "stall");
        if (timeout.isNegative() || poll.isNegative() || poll.isZero() || stall.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative and the poll interval positive");
        }
    }

    /** Whether this forwarder is draining (what its metrics say). */
    public boolean draining() {
        return draining;
    }

    /** How the drain ended, once it has. */
    public java.util.Optional<Outcome> outcome() {
        synchronized (lock) {
            return done == null || !done.isDone() ? java.util.Optional.empty() : java.util.Optional.of(done.join());
        }
    }

    /** Begins draining (idempotent); completes when no room is left or the timeout passed. */
    public CompletableFuture<Outcome> begin() {
        synchronized (lock) {
            if (done != null) {
                return done;
            }
            draining = true;
            done = new CompletableFuture<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            log.info("draining: no new rooms; waiting up to {} for {} room(s) to move away", timeout, rooms.getAsInt());
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "forwarder-drain");
                t.setDaemon(true);
                return t;
            });
            CompletableFuture<Outcome> result = done;
            long[] fewest = {Long.MAX_VALUE, System.nanoTime()};   // fewest rooms seen, and since when
            timer.scheduleWithFixedDelay(() -> {
                int left = rooms.getAsInt();
                long now = System.nanoTime();
                if (left < fewest[0]) {
                    fewest[0] = left;
                    fewest[1] = now;
                }
                Outcome o = left <= 0 ? Outcome.EMPTY
                        : now - deadline >= 0 ? Outcome.TIMED_OUT
                        : now - fewest[1] >= stall.toNanos() ? Outcome.STALLED
                        : null;
                if (o != null) {
                    switch (o) {
                        case EMPTY -> log.info("drained: no room left");
                        case TIMED_OUT -> log.warn("drain timed out after {} with {} room(s) left", timeout, left);
                        case STALLED -> log.warn("drain ends with {} room(s) left: none moved away for {}", left, stall);
                    }
                    result.complete(o);
                    timer.shutdown();
                }
            }, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
            return done;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /** Shutdown (SIGTERM): drain first, then let Spring stop the rest. */
    @Override
    public void stop(Runnable callback) {
        begin().whenComplete((o, e) -> {
            running = false;
            callback.run();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped first on shutdown: the metrics and the command consumer run until the drain is over. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
