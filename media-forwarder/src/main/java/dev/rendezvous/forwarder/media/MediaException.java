package dev.rendezvous.forwarder.media;

/** A signaling request the media plane refuses; {@code code} goes to the client as the error code. */
public final class MediaException extends RuntimeException {
    private final String code;

    public MediaException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
