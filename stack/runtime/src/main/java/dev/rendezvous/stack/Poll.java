package dev.rendezvous.stack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Poll-with-deadline, the only way the stack waits for something. */
final class Poll {

    static final Duration INTERVAL = Duration.ofMillis(100);

    /** A readiness probe; may throw to fail early (e.g. the process died). */
    @FunctionalInterface
    interface Probe {
        boolean ready() throws Exception;
    }

    private Poll() {}

    /**
     * Calls {@code probe} every {@link #INTERVAL} until it returns true or the deadline passes. Exceptions
     * thrown by the probe other than {@link StackException} count as "not ready yet".
     */
    static void until(Clock clock, Duration timeout, String what, Probe probe) {
        Instant deadline = clock.instant().plus(timeout);
        Exception last = null;
        while (true) {
            try {
                if (probe.ready()) {
                    return;
                }
            } catch (StackException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new StackException(what + " not ready after " + seconds(timeout)
                        + (last == null ? "" : " (last error: " + last + ")"), last);
            }
            sleep(INTERVAL);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    /** "3.1 s". */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String since(Clock clock, Instant start) {
        return seconds(Duration.between(start, clock.instant()));
    }
}
