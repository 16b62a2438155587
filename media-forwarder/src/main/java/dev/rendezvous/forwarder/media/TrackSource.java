package dev.rendezvous.forwarder.media;

import java.util.Locale;

/** Where a published track comes from: the page shows a camera and its microphone in one tile, a screen in its own. */
public enum TrackSource {
    MICROPHONE, CAMERA, SCREEN;

    /** {@code microphone}, {@code camera} or {@code screen}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source of a wire name (any case); null for null or anything else. */
    public static TrackSource of(String name) {
        if (name == null) {
            return null;
        }
        for (TrackSource s : values()) {
            if (s.name().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        return null;
    }
}
