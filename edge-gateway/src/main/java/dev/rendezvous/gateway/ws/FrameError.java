package dev.rendezvous.gateway.ws;

/** Why a client frame is refused: becomes an {@code error} frame. */
public record FrameError(String code, String message, String ref, String meetingId) {

    public FrameError(String code, String message, String ref) {
        this(code, message, ref, null);
    }
}
