package dev.rendezvous.forwarder.media;

import java.util.Locale;

/** What a track carries. The SDP media type ({@code m=audio}, {@code m=video}) is {@link #sdpName()}. */
public enum TrackKind {
    AUDIO, VIDEO;

    /** {@code audio} or {@code video}: the SDP media type and the wire name. */
    public String sdpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of an SDP media type or wire name (any case); null for null or anything else. */
    public static TrackKind of(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
