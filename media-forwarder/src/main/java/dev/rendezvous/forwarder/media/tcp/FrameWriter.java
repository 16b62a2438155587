package dev.rendezvous.forwarder.media.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The sending half of RFC 4571 framing on one connection: a bounded buffer that frames each packet (2-byte
 * big-endian length, then the packet) and writes to a non-blocking channel as far as the socket takes it.
 * What the socket does not take stays buffered for {@link #flush}; a packet that does not fit into the space
 * left is dropped whole (media must not wait for a slow TCP peer, and a partial frame would break the
 * stream). Nothing is allocated after construction. Thread-safe: every sending thread goes through it.
 */
public final class FrameWriter {

    private final ByteBuffer out;
    /** Bytes wait for the socket and the owner was told (by {@link Sent#PENDING}) to flush when writable. */
    private boolean waiting;

    /** @param capacity bytes buffered at most (frames and their length fields) */
    public FrameWriter(int capacity) {
        if (capacity < 2 + 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.out = ByteBuffer.allocate(capacity);
    }

    /** Result of {@link #send}. */
    public enum Sent {
        /** Framed and written to the socket entirely. */
        WRITTEN,
        /** Framed; part of the buffer now waits for the socket: call {@link #flush} when it is writable. */
        PENDING,
        /** Framed behind bytes that already wait (a {@link #PENDING} was returned before and not flushed yet). */
        QUEUED,
        /** Not framed: no room left, or longer than a frame can be. */
        DROPPED
    }

    /** Frames {@code packet}'s remaining bytes and writes what the channel takes. */
    public synchronized Sent send(ByteBuffer packet, WritableByteChannel channel) throws IOException {
        int n = packet.remaining();
        if (n > 0xFFFF || out.remaining() < 2 + n) {
            return Sent.DROPPED;
        }
        out.put((byte) (n >>> 8)).put((byte) n).put(packet);
        if (write(channel)) {
            return Sent.WRITTEN; // a flush still due (waiting) clears the flag
        }
        if (waiting) {
            return Sent.QUEUED;
        }
        waiting = true;
        return Sent.PENDING;
    }

    /** Writes what is buffered; true when nothing is left (a later {@link #send} may say PENDING again). */
    public synchronized boolean flush(WritableByteChannel channel) throws IOException {
        boolean done = write(channel);
        if (done) {
            waiting = false;
        }
        return done;
    }

    /** Bytes waiting for the socket. */
    public synchronized int buffered() {
        return out.position();
    }

    private boolean write(WritableByteChannel channel) throws IOException {
        out.flip();
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    break;
                }
            }
            return !out.hasRemaining();
        } finally {
            out.compact();
        }
    }
}
