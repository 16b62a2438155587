package dev.rendezvous.forwarder.media;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** {@link PacketIo} on one UDP socket shared by every participant (ICE-lite: one host candidate). */
public final class UdpPacketIo implements PacketIo {

    private final DatagramChannel channel;
    private final int port;

    private UdpPacketIo(DatagramChannel channel, int port) {
        this.channel = channel;
        this.port = port;
    }

    /** Binds {@code bindAddress:port} (0 = any free port) with 4 MiB socket buffers. */
    public static UdpPacketIo bind(String bindAddress, int port) throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        DatagramChannel channel = DatagramChannel.open(address instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
            channel.bind(new InetSocketAddress(address, port));
            return new UdpPacketIo(channel, ((InetSocketAddress) channel.getLocalAddress()).getPort());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        SocketAddress from = channel.receive(into);
        return from instanceof InetSocketAddress isa ? isa : null;
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        channel.send(datagram, to);
    }

    @Override
    public int localPort() {
        return port;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
