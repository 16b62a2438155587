package dev.rendezvous.forwarder.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The forwarder's datagram I/O: the seam between the packet path and the network. Production uses one UDP
 * socket ({@link UdpPacketIo}); a test may feed datagrams straight into {@link PacketPath#onDatagram}
 * instead and catch what the forwarder sends.
 *
 * <p>{@link #send} is called from several threads (packet thread, timer, DTLS handshakes, keyframe requests),
 * each with its own buffer; implementations must be thread-safe and must not keep the buffer.
 */
public interface PacketIo extends AutoCloseable {

    /**
     * Blocks for the next datagram, puts it at {@code into}'s position and returns its source; null when
     * something other than an IP datagram arrived (ignored).
     *
     * @throws java.nio.channels.ClosedChannelException when closed: the packet thread ends
     */
    InetSocketAddress receive(ByteBuffer into) throws IOException;

    /** Sends the buffer's remaining bytes as one datagram. */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;

    /** The local port media arrives on (the port in our ICE candidate). */
    int localPort();

    /** The passive ICE-TCP port (RFC 6544) next to the UDP one, or -1 when there is none. */
    default int tcpPort() {
        return -1;
    }

    @Override
    void close();
}
