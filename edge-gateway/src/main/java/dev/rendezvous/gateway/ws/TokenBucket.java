package dev.rendezvous.gateway.ws;

import java.time.Clock;
import java.time.Instant;

/**
 * Per-socket rate limit: {@code capacity} tokens, refilled continuously at {@code ratePerSecond}; each frame takes
 * one, a frame that finds none is dropped (the client gets {@code rate_limited}). The clock is injected so that
 * tests drive time.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double capacity;
    private final double ratePerNano;
    private final Clock clock;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, int capacity, Clock clock) {
        if (ratePerSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("rate and capacity must be positive");
        }
        this.capacity = capacity;
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.clock = clock;
        this.tokens = capacity;
        this.lastNanos = nanos(clock.instant());
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake() {
        long now = nanos(clock.instant());
        if (now > lastNanos) {
            tokens = Math.min(capacity, tokens + (now - lastNanos) * ratePerNano);
            lastNanos = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whole tokens available now (for tests and diagnostics). */
    public synchronized int available() {
        long now = nanos(clock.instant());
        return (int) Math.min(capacity, tokens + Math.max(0, now - lastNanos) * ratePerNano);
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
