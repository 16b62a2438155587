package dev.rendezvous.forwarder.sdp;

/** A session description the forwarder cannot use; the message is shown to the client (error {@code bad_offer}). */
public final class SdpException extends RuntimeException {
    public SdpException(String message) {
        super(message);
    }
}
