package dev.rendezvous.forwarder.media.stun;

/**
 * The forwarder's side of each ICE session: our ufrag and password (as put in the SDP answer). The STUN
 * responder asks it for the password behind the local ufrag of a request's USERNAME.
 */
public interface IceCredentials {

    /** The local ice-pwd (as UTF-8 bytes, the HMAC key) for {@code localUfrag}, or null when no session has it. */
    byte[] passwordFor(String localUfrag);
}
