package dev.rendezvous.forwarder.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends what the forwarder writes, counting packets and bytes out. Each calling thread owns its buffer and the
 * {@link ByteBuffer} wrapping it (made once), so a send allocates nothing.
 */
final class PacketSender {

    private final PathCounters counters;
    private volatile PacketIo io;

    PacketSender(PathCounters counters) {
        this.counters = counters;
    }

    void attach(PacketIo io) {
        this.io = io;
    }

    /** Sends {@code [0, n)} of {@code buffer}'s backing array; false when there is nowhere to send or it failed. */
    boolean send(ByteBuffer buffer, int n, InetSocketAddress to) {
        PacketIo target = io;
        if (to == null || target == null || n <= 0) {
            return false;
        }
        buffer.clear().limit(n);
        try {
            target.send(buffer, to);
            counters.sent(n);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** For rare sends from threads without a buffer of their own (DTLS flights): wraps, so allocates. */
    boolean sendCopy(byte[] b, int off, int len, InetSocketAddress to) {
        PacketIo target = io;
        if (to == null || target == null) {
            return false;
        }
        try {
            target.send(ByteBuffer.wrap(b, off, len), to);
            counters.sent(len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
