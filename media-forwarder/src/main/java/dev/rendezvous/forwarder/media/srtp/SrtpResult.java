package dev.rendezvous.forwarder.media.srtp;

/**
 * Negative result codes of {@link SrtpSession}'s protect/unprotect methods (non-negative results are lengths).
 */
public final class SrtpResult {

    /** Not an RTP/RTCP packet we can handle: wrong version, bad offsets, absurd size, or an index out of range. */
    public static final int MALFORMED = -1;
    /** The authentication tag did not verify (tampered, wrong key, or a wrong rollover-counter guess). */
    public static final int AUTH_FAILED = -2;
    /** A duplicate, or older than the 64-packet replay window. */
    public static final int REPLAY = -3;
    /** The buffer has no room after the packet for the tag (and SRTCP index): see {@link SrtpSession#maxOverhead()}. */
    public static final int NO_ROOM = -4;
    /** Shorter than the fixed header, than the header as declared (CSRCs, extension), or than header plus tag. */
    public static final int TOO_SHORT = -5;
    /**
     * A packet of an SSRC the session has no context for, when the session already holds
     * {@link SrtpSession#MAX_SSRCS} SSRC contexts. Nothing was changed; the packet should be dropped.
     */
    public static final int TOO_MANY_SSRCS = -6;

    private SrtpResult() {
    }

    /** A short text for logs: the name of a negative code, or "ok" with the length for a non-negative result. */
    public static String describe(int code) {
        if (code >= 0) {
            return "ok (" + code + " bytes)";
        }
        return switch (code) {
            case MALFORMED -> "malformed";
            case AUTH_FAILED -> "authentication failed";
            case REPLAY -> "replayed or too old";
            case NO_ROOM -> "no room in buffer";
            case TOO_SHORT -> "too short";
            case TOO_MANY_SSRCS -> "too many SSRCs";
            default -> "unknown result " + code;
        };
    }
}
