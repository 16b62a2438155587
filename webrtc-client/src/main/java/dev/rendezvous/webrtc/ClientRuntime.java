package dev.rendezvous.webrtc;

import dev.rendezvous.webrtc.stats.DelaySink;
import dev.rendezvous.webrtc.transport.DatagramPoller;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads many clients in one JVM share: one scheduler for all pacing (audio every 20 ms, video frames,
 * RTCP, ICE checks) and a pool for the blocking BouncyCastle DTLS handshakes. Each connection's socket is read
 * by a thread of its own (as a browser's network thread waits on its socket), or, with a poll interval, by a
 * few shared {@link DatagramPoller}s (see there why the load tool wants that). Close it after the clients that
 * use it.
 */
public final class ClientRuntime implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService handshakes;
    private final DelaySink delaySink;
    private final DatagramPoller[] pollers;
    private final AtomicInteger nextPoller = new AtomicInteger();

    /** A runtime with {@code max(2, processors / 2)} pacing threads. */
    public ClientRuntime() {
        this(Math.max(2, Runtime.getRuntime().availableProcessors() / 2));
    }

    public ClientRuntime(int schedulerThreads) {
        this(schedulerThreads, DelaySink.NONE);
    }

    /** As above; every forwarding-delay sample of every client on this runtime also goes to {@code delaySink}. */
    public ClientRuntime(int schedulerThreads, DelaySink delaySink) {
        this(schedulerThreads, delaySink, 0, 0);
    }

    /**
     * As above; with {@code pollMicros > 0}, {@code pollers} shared threads read every connection's socket each
     * {@code pollMicros} instead of a reader thread per connection.
     */
    public ClientRuntime(int schedulerThreads, DelaySink delaySink, int pollers, long pollMicros) {
        if (pollMicros > 0 && pollers < 1) {
            throw new IllegalArgumentException("polling needs at least one poller");
        }
        this.delaySink = delaySink;
        this.pollers = new DatagramPoller[pollMicros > 0 ? pollers : 0];
        for (int i = 0; i < this.pollers.length; i++) {
            this.pollers[i] = new DatagramPoller(pollMicros, TimeUnit.MICROSECONDS, "webrtc-poll-" + (i + 1));
        }
        scheduler = new ScheduledThreadPoolExecutor(schedulerThreads, daemon("webrtc-pacing"));
        scheduler.setRemoveOnCancelPolicy(true);
        handshakes = Executors.newCachedThreadPool(daemon("webrtc-dtls"));
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public DelaySink delaySink() {
        return delaySink;
    }

    public ExecutorService handshakes() {
        return handshakes;
    }

    /** The poller the next connection's socket goes to, round robin; null when each connection reads itself. */
    public DatagramPoller nextPoller() {
        return pollers.length == 0 ? null : pollers[Math.floorMod(nextPoller.getAndIncrement(), pollers.length)];
    }

    @Override
    public void close() {
        for (DatagramPoller p : pollers) {
            p.close();
        }
        scheduler.shutdownNow();
        handshakes.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            handshakes.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
