package dev.rendezvous.loadtest.chat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Every message slower than a threshold, one line each, so that a run's tail can be laid beside the processes' GC
 * logs and other timed events: when it was due (UTC), its latency, and how much of it passed before the gateway
 * published it ({@code toGateway_ms}: the message's server time, which stream-apps takes from the Kafka record the
 * gateway produced, minus when it was due; empty for bare Kafka, which has no such time). Tab-separated, with a
 * header; appended to, so several runs can share a file.
 */
public final class SlowLog implements AutoCloseable {

    private final BufferedWriter out;
    private final long thresholdNanos;
    /** Wall-clock nanoseconds minus {@link System#nanoTime()}, taken once: turns due times into instants. */
    private final long wallOffsetNanos;

    private SlowLog(BufferedWriter out, long thresholdNanos) {
        this.out = out;
        this.thresholdNanos = thresholdNanos;
        Instant now = Instant.now();
        this.wallOffsetNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    }

    public static SlowLog open(Path file, double thresholdMs) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            if (fresh) {
                w.write("due_utc\tpath\trate\tlatency_ms\ttoGateway_ms\n");
            }
            return new SlowLog(w, (long) (thresholdMs * 1e6));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the slow log " + file, e);
        }
    }

    /** Which run the following lines belong to. */
    public Run run(String path, int rate) {
        return (dueNanos, latencyNanos, serverTime) -> {
            if (latencyNanos < thresholdNanos) {
                return;
            }
            long dueWall = dueNanos + wallOffsetNanos;
            long serverMillis = millis(serverTime);
            String toGateway = serverMillis < 0 ? "" : String.format(Locale.ROOT, "%.1f",
                    (serverMillis * 1_000_000L - dueWall) / 1e6);
            String line = String.format(Locale.ROOT, "%s\t%s\t%d\t%.2f\t%s%n",
                    Instant.ofEpochSecond(0, dueWall), path, rate, latencyNanos / 1e6, toGateway);
            synchronized (out) {
                try {
                    out.write(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** The server's time of a message (ISO-8601), or -1 when it has none or it cannot be read. */
    private static long millis(String serverTime) {
        if (serverTime == null) {
            return -1;
        }
        try {
            return Instant.parse(serverTime).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (out) {
            out.close();
        }
    }

    /** The slow messages of one run at one rate. */
    @FunctionalInterface
    public interface Run {
        /** @param serverTime the message's server time (ISO-8601), or null when the path has none */
        void message(long dueNanos, long latencyNanos, String serverTime);

        Run NONE = (d, l, s) -> { };
    }
}
