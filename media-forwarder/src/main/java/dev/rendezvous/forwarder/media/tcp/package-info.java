/**
 * ICE-TCP (RFC 6544) for browsers without UDP: one passive TCP port next to the UDP one, each accepted
 * connection carrying the same STUN/DTLS/SRTP packets as datagrams do, each framed by a 2-byte length
 * (RFC 4571). {@link dev.rendezvous.forwarder.media.tcp.UdpTcpPacketIo} serves both sockets to the packet
 * thread through one selector; a connection is known to the rest of the forwarder by a
 * {@link dev.rendezvous.forwarder.media.tcp.TcpPeerAddress} of its own.
 */
package dev.rendezvous.forwarder.media.tcp;
