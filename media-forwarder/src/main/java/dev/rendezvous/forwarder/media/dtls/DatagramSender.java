package dev.rendezvous.forwarder.media.dtls;

/**
 * Sends one datagram to the remote side of a DTLS association (our UDP socket, already bound to the remote
 * address). Called from the association's executor thread; the bytes are only valid during the call.
 */
@FunctionalInterface
public interface DatagramSender {
    void send(byte[] buf, int off, int len);
}
