package dev.rendezvous.forwarder.media.dtls;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The browser's expected certificate fingerprint (SHA-256, "AB:CD:…"), which may become known only after the
 * DTLS handshake has started (the subscribe PeerConnection's SDP answer arrives after the ClientHello).
 * Set at most once — the first value wins, later values are ignored — and waited for by the handshake
 * thread when it needs it to check the client certificate. Thread-safe.
 */
final class RemoteFingerprint {

    private final Object lock = new Object();
    /** Normalised (trimmed, upper-case ASCII); null while unknown. Guarded by {@link #lock}. */
    private byte[] value;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** Threads currently in {@link #await}. Guarded by {@link #lock}. */
    private int waiters;

    /** @param initial the fingerprint if already known, else null */
    RemoteFingerprint(String initial) {
        this.value = initial == null ? null : normalise(initial);
    }

    static byte[] normalise(String fingerprint) {
        return fingerprint.trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Supplies the fingerprint and wakes a waiting handshake.
     *
     * @return true if this call set it; false if a value was already known (this one is then ignored)
     */
    boolean supply(String fingerprint) {
        byte[] normalised = normalise(fingerprint);
        synchronized (lock) {
            if (value != null) {
                return false;
            }
            value = normalised;
            lock.notifyAll();
            return true;
        }
    }

    /** Wakes a waiter for good: {@link #await} returns null from now on unless a value is already known. */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    boolean hasWaiter() {
        synchronized (lock) {
            return waiters > 0;
        }
    }

    /**
     * Returns the fingerprint as soon as it is known, or null if {@link #close} was called or
     * {@code deadlineNanos} ({@link System#nanoTime} scale) passed first. The returned array must not be modified.
     */
    byte[] await(long deadlineNanos) throws InterruptedException {
        synchronized (lock) {
            waiters++;
            try {
                while (value == null && !closed) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return null;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                }
                return value;
            } finally {
                waiters--;
            }
        }
    }
}
