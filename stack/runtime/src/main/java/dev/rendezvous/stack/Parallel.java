package dev.rendezvous.stack;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The stack starts its servers and apps in parallel: waiting for all of them, and the threads they run on. */
final class Parallel {

    private Parallel() {}

    /** Waits for every future (each has its own deadline) and returns the first failure, if any. */
    static RuntimeException awaitAll(List<Future<?>> futures) {
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                RuntimeException r = c instanceof RuntimeException ? (RuntimeException) c
                        : new StackException(String.valueOf(c.getMessage()), c);
                if (first == null) {
                    first = r;
                } else {
                    first.addSuppressed(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) {
                    first = new StackException("interrupted while starting", e);
                }
            }
        }
        return first;
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
