package dev.rendezvous.webrtc.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PeerConnection's ICE-TCP path (RFC 6544, active side) to the forwarder's passive candidate: one TCP
 * connection carrying the same packets as datagrams would, each framed by a 2-byte big-endian length
 * (RFC 4571). Sends are framed and written whole (blocking, under a lock); a reader thread of its own hands
 * each received frame to the sink. For a browser's network that blocks UDP.
 */
final class TcpLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpLink.class);

    /** Receives one frame; the bytes are only valid during the call. */
    interface Sink {
        void onPacket(byte[] b, int len, long nowNanos);
    }

    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(2);
    private final Thread reader;
    private volatile boolean closed;

    private TcpLink(SocketChannel channel, String name, Sink sink) {
        this.channel = channel;
        this.reader = new Thread(() -> readLoop(sink, name), "webrtc-tcp-" + name);
        reader.setDaemon(true);
    }

    /** Connects to {@code to} and starts reading. */
    static TcpLink open(InetSocketAddress to, String name, Sink sink) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(to);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        TcpLink link = new TcpLink(channel, name, sink);
        link.reader.start();
        return link;
    }

    void send(byte[] b, int off, int len) throws IOException {
        if (len > 0xFFFF) {
            throw new IOException("a packet of " + len + " bytes does not fit a frame");
        }
        synchronized (header) {
            header.clear();
            header.put((byte) (len >>> 8)).put((byte) len).flip();
            ByteBuffer body = ByteBuffer.wrap(b, off, len);
            while (header.hasRemaining() || body.hasRemaining()) {
                channel.write(new ByteBuffer[] {header, body});
            }
        }
    }

    private void readLoop(Sink sink, String name) {
        byte[] frame = new byte[0xFFFF];
        ByteBuffer length = ByteBuffer.allocate(2);
        try {
            while (!closed) {
                length.clear();
                readFully(length);
                int n = ((length.get(0) & 0xFF) << 8) | (length.get(1) & 0xFF);
                ByteBuffer body = ByteBuffer.wrap(frame, 0, n);
                readFully(body);
                try {
                    sink.onPacket(frame, n, System.nanoTime());
                } catch (RuntimeException e) {
                    log.warn("{}: packet dropped after an error", name, e);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.debug("{}: ICE-TCP connection ended: {}", name, e.toString());
            }
        }
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("closed by the forwarder");
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
