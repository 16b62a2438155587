package dev.rendezvous.stack;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one child process of a server the stack runs (Kafka, s3proxy, ClickHouse, Aerospike, nginx, VictoriaMetrics):
 * started only while its owner is open, and stopped when it closes. A close during the start either finds the process
 * and stops it, or makes the start fail: a closing stack leaves nothing behind.
 */
final class ServerProcess implements AutoCloseable {

    private final String what;
    private final Duration stopGrace;
    private ChildProcess process;
    private boolean closed;

    /** @param what the server as the stack's messages name it ("ClickHouse") */
    ServerProcess(String what, Duration stopGrace) {
        this.what = what;
        this.stopGrace = stopGrace;
    }

    /** Starts the process unless closed ({@link StackException} "… was closed while starting"). */
    synchronized ChildProcess start(Supplier<ChildProcess> starter) {
        if (closed) {
            throw new StackException(what + " was closed while starting");
        }
        process = starter.get();
        return process;
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process's pid while it runs, else -1. */
    synchronized long pid() {
        return isRunning() ? process.pid() : -1;
    }

    /** SIGTERM, SIGKILL after the grace period. Idempotent. */
    @Override
    public void close() {
        ChildProcess p;
        synchronized (this) {
            closed = true;
            p = process;
        }
        if (p != null) {
            p.stop(stopGrace, false);
        }
    }
}
