package dev.rendezvous.forwarder.media.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted ICE-TCP connection: its channel (non-blocking), the {@link FrameReader} the packet thread reads
 * into, the bounded {@link FrameWriter} every sending thread writes through, and the address the forwarder
 * knows it by.
 */
final class TcpConnection {

    final SocketChannel channel;
    final TcpPeerAddress address;
    final FrameReader reader;
    private final FrameWriter writer;
    private final java.util.function.Consumer<TcpConnection> wantWrite;
    SelectionKey key;
    /** Packet thread: queued in the ready list (buffered bytes to deframe). */
    boolean queued;
    /** Packet thread: when the last bytes arrived. */
    long lastReceiveNanos;
    volatile boolean closed;

    /** @param wantWrite asks the packet thread to watch for writability (any thread; cheap when repeated) */
    TcpConnection(SocketChannel channel, long serial, InetSocketAddress remote, int maxFrame, int outCapacity,
                  java.util.function.Consumer<TcpConnection> wantWrite, long nowNanos) {
        this.channel = channel;
        this.address = new TcpPeerAddress(serial, remote, this);
        this.reader = new FrameReader(maxFrame, 4 * (2 + maxFrame));
        this.writer = new FrameWriter(outCapacity);
        this.wantWrite = wantWrite;
        this.lastReceiveNanos = nowNanos;
    }

    /**
     * Frames and sends one packet (any thread). False when dropped: closed, or the outbound buffer is full.
     *
     * @throws IOException the connection broke (the packet thread closes it at its next read)
     */
    boolean send(ByteBuffer packet) throws IOException {
        if (closed) {
            return false;
        }
        FrameWriter.Sent sent = writer.send(packet, channel);
        if (sent == FrameWriter.Sent.PENDING) {
            wantWrite.accept(this);
        }
        return sent != FrameWriter.Sent.DROPPED;
    }

    /** The socket is writable again (packet thread): writes what waits; true when all of it went. */
    boolean flush() throws IOException {
        return writer.flush(channel);
    }

    void close() {
        closed = true;
        SelectionKey k = key;
        if (k != null) {
            k.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
