package dev.rendezvous.topics.model;

import java.util.List;

/**
 * The body of a media signaling record, the same shape on all three legs: client → forwarder
 * ({@link SignalRequest}, {@link ForwarderCommand}) and forwarder → client ({@link ForwarderEvent}, then a
 * {@link RoomEvent} of type SIGNAL). Which fields are set depends on the record's kind; the others are null.
 *
 * <p>Each client has two PeerConnections to its room's forwarder (see docs/protocol.md): {@link Pc#PUBLISH}
 * (the client offers its own tracks, the forwarder answers) and {@link Pc#SUBSCRIBE} (the forwarder offers the
 * other participants' tracks, the client answers).
 *
 * @param pc       which PeerConnection an offer or answer belongs to
 * @param sdp      the session description (offer or answer)
 * @param tracks   PUBLISH offer and TRACK_UPDATE: the client's own tracks by mid (kind, source, muted);
 *                 SUBSCRIBE offer: which participant's track each mid carries
 * @param socketId ACTIVE_SPEAKER: the speaking socket
 * @param error    ERROR: a machine code ({@code bad_offer}, {@code media_unavailable}, …)
 * @param message  ERROR: for a person
 * @param fingerprint SUBSCRIBE: the SHA-256 fingerprint ("AB:CD:…") of the certificate the client's subscribe
 *                 PeerConnection will use, when the client knows it in advance; the forwarder then checks the
 *                 browser's DTLS certificate without waiting for the answer (and the answer must carry the same)
 * @param tiles    TILE_VIEW: how the client renders each remote video track (size or hidden), the whole set
 * @param stats    MEDIA_STATS: how the forwarder serves the page now (estimate, loss, each track's layer)
 */
public record MediaSignal(
        Pc pc,
        String sdp,
        List<MediaTrack> tracks,
        String socketId,
        String error,
        String message,
        String fingerprint,
        List<TileView> tiles,
        MediaStats stats) {

    public enum Pc { PUBLISH, SUBSCRIBE }

    public MediaSignal {
        tracks = tracks == null ? null : List.copyOf(tracks);
        tiles = tiles == null ? null : List.copyOf(tiles);
    }

    public MediaSignal(Pc pc, String sdp, List<MediaTrack> tracks, String socketId, String error, String message,
                       String fingerprint, List<TileView> tiles) {
        this(pc, sdp, tracks, socketId, error, message, fingerprint, tiles, null);
    }

    public MediaSignal(Pc pc, String sdp, List<MediaTrack> tracks, String socketId, String error, String message,
                       String fingerprint) {
        this(pc, sdp, tracks, socketId, error, message, fingerprint, null, null);
    }

    public MediaSignal(Pc pc, String sdp, List<MediaTrack> tracks, String socketId, String error, String message) {
        this(pc, sdp, tracks, socketId, error, message, null);
    }

    /** SUBSCRIBE: start the subscribe side; {@code fingerprint} may be null. */
    public static MediaSignal subscribe(String fingerprint) {
        return new MediaSignal(Pc.SUBSCRIBE, null, null, null, null, null, fingerprint);
    }

    public static MediaSignal offer(Pc pc, String sdp, List<MediaTrack> tracks) {
        return new MediaSignal(pc, sdp, tracks, null, null, null);
    }

    public static MediaSignal answer(Pc pc, String sdp) {
        return new MediaSignal(pc, sdp, null, null, null, null);
    }

    public static MediaSignal trackUpdate(List<MediaTrack> tracks) {
        return new MediaSignal(null, null, tracks, null, null, null);
    }

    /** TILE_VIEW: the client's rendered size (or hidden) of every remote video track it has. */
    public static MediaSignal tileView(List<TileView> tiles) {
        return new MediaSignal(null, null, null, null, null, null, null, tiles);
    }

    /** MEDIA_STATS: how the forwarder serves the page now. */
    public static MediaSignal stats(MediaStats stats) {
        return new MediaSignal(null, null, null, null, null, null, null, null, stats);
    }

    public static MediaSignal speaker(String socketId) {
        return new MediaSignal(null, null, null, socketId, null, null);
    }

    public static MediaSignal error(Pc pc, String error, String message) {
        return new MediaSignal(pc, null, null, null, error, message);
    }

    public static MediaSignal empty() {
        return new MediaSignal(null, null, null, null, null, null);
    }
}
