package dev.rendezvous.gateway.auth;

/** A token that is missing, malformed, forged, expired or of the wrong kind. The message is safe to show. */
public final class InvalidTokenException extends Exception {

    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
