package dev.rendezvous.webrtc;

import dev.rendezvous.webrtc.stats.DelaySink;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads many clients in one JVM share: one scheduler for all pacing (audio every 20 ms, video frames,
 * RTCP, ICE checks) and a pool for the blocking BouncyCastle DTLS handshakes. Only each connection's socket
 * reader is a thread of its own. Close it after the clients that use it.
 */
public final class ClientRuntime implements AutoCloseable {

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService handshakes;
    private final DelaySink delaySink;

    /** A runtime with {@code max(2, processors / 2)} pacing threads. */
    public ClientRuntime() {
        this(Math.max(2, Runtime.getRuntime().availableProcessors() / 2));
    }

    public ClientRuntime(int schedulerThreads) {
        this(schedulerThreads, DelaySink.NONE);
    }

    /** As above; every forwarding-delay sample of every client on this runtime also goes to {@code delaySink}. */
    public ClientRuntime(int schedulerThreads, DelaySink delaySink) {
        this.delaySink = delaySink;
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

    @Override
    public void close() {
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
