package dev.rendezvous.webrtc.media;

/** Where a sender's finished RTP packets go: the publish connection, which protects (SRTP) and sends them. */
@FunctionalInterface
public interface RtpOut {
    /**
     * Protects {@code b[0, len)} in place ({@code b} has room for the SRTP tag) and sends it.
     *
     * @return false when the packet could not be sent (connection not ready or closed)
     */
    boolean send(byte[] b, int len);
}
