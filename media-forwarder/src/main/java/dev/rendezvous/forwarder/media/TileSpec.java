package dev.rendezvous.forwarder.media;

/**
 * How a subscriber's page shows one remote video track: rendered at {@code width} × {@code height} device pixels,
 * or {@code hidden} (not on screen). What {@link LayerControl} caps and pauses that page's consumers by.
 *
 * @param socketId the publishing socket
 * @param source   CAMERA or SCREEN
 */
public record TileSpec(String socketId, TrackSource source, boolean hidden, int width, int height) {

    /** The key of a publisher's track in a page's view. */
    static String key(String socketId, TrackSource source) {
        return socketId + "|" + source;
    }
}
