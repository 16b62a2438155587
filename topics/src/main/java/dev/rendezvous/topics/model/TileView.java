package dev.rendezvous.topics.model;

/**
 * How a page shows one remote video track (a {@code media-view} frame's entry, docs/protocol.md): the size of
 * the tile it is rendered in, in device pixels (CSS pixels × devicePixelRatio), or not at all. The forwarder
 * caps the simulcast layer it sends that page by the width, and pauses the track while it is hidden.
 *
 * @param socketId   the publishing socket
 * @param source     which of its video tracks (CAMERA or SCREEN)
 * @param visibility whether the tile is on screen now
 * @param width      rendered width in device pixels (0 when hidden)
 * @param height     rendered height in device pixels (0 when hidden)
 */
public record TileView(String socketId, MediaTrack.Source source, Visibility visibility, int width, int height) {

    /** SHOWN: rendered at width × height; HIDDEN: not on screen (off the grid's page, scrolled away, tab hidden). */
    public enum Visibility { SHOWN, HIDDEN }

    public static TileView shown(String socketId, MediaTrack.Source source, int width, int height) {
        return new TileView(socketId, source, Visibility.SHOWN, width, height);
    }

    public static TileView hidden(String socketId, MediaTrack.Source source) {
        return new TileView(socketId, source, Visibility.HIDDEN, 0, 0);
    }
}
