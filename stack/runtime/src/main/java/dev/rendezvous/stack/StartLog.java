package dev.rendezvous.stack;

import java.time.Clock;
import java.time.Instant;

/** The stack's progress lines for a start: "starting X on …", then "X ready in 1.2 s". */
record StartLog(Clock clock, StackListener listener) {

    /** Says that {@code what} starts {@code where}, runs {@code action}, then how long it took. */
    void timed(String what, String where, Runnable action) {
        timedLine("starting " + what + " " + where, what, action);
    }

    /** As {@link #timed}, with the whole first line given. */
    void timedLine(String startLine, String what, Runnable action) {
        Instant t = clock.instant();
        listener.onProgress(startLine);
        action.run();
        listener.onProgress(what + " ready in " + Poll.since(clock, t));
    }
}
