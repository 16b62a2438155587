package dev.rendezvous.forwarder.media.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * How the forwarder knows one accepted ICE-TCP connection: the transports' tables and the packet path work on
 * socket addresses, so a connection gets one of its own. Its IP is made up (the RFC 6666 discard-only prefix
 * {@code 100::/64} plus a serial number), so it can never equal the address of a UDP peer — not even of one
 * with the same IP and port as the TCP peer — nor that of another connection. The peer's real address is
 * {@link #remote} (what STUN reports back, XOR-MAPPED-ADDRESS), the connection is where sends go.
 */
public final class TcpPeerAddress extends InetSocketAddress {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress remote;
    private final transient TcpConnection connection;

    TcpPeerAddress(long serial, InetSocketAddress remote, TcpConnection connection) {
        super(syntheticIp(serial), remote.getPort());
        this.remote = remote;
        this.connection = connection;
    }

    /** The peer's real address (the TCP connection's remote end). */
    public InetSocketAddress remote() {
        return remote;
    }

    TcpConnection connection() {
        return connection;
    }

    /** {@code from} itself, or the real remote address when it stands for a TCP connection. */
    public static InetSocketAddress reflexive(InetSocketAddress from) {
        return from instanceof TcpPeerAddress tcp ? tcp.remote : from;
    }

    private static InetAddress syntheticIp(long serial) {
        byte[] ip = new byte[16];
        ip[0] = 0x01; // 100::/64
        for (int i = 0; i < 8; i++) {
            ip[15 - i] = (byte) (serial >>> (8 * i));
        }
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always an IPv6 address
        }
    }

    @Override
    public String toString() {
        return "tcp:" + remote;
    }
}
