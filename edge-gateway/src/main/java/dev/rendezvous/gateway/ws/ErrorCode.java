package dev.rendezvous.gateway.ws;

/**
 * The error codes the gateway itself puts in {@code error} frames (docs/protocol.md, "Errors"). Codes that
 * stream-apps puts in REJECTED deliveries are passed through as they are.
 */
public final class ErrorCode {
    public static final String BAD_FRAME = "bad_frame";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String FRAME_TOO_LARGE = "frame_too_large";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    public static final String MEETING_NOT_FOUND = "meeting_not_found";
    public static final String MEETING_ENDED = "meeting_ended";
    public static final String ALREADY_JOINED = "already_joined";
    public static final String NOT_JOINED = "not_joined";
    public static final String INVALID_MESSAGE = "invalid_message";
    public static final String UNAVAILABLE = "unavailable";

    private ErrorCode() {}
}
