package dev.rendezvous.gateway.ws;

import static dev.rendezvous.gateway.ws.FrameParser.REF_MEDIA;
import static dev.rendezvous.gateway.ws.FrameParser.abbreviate;

import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.TileView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The content checks of a client frame that {@link FrameParser} read: after the handler's checks that depend on
 * the socket's state (joined?), {@link #validateChat} for a chat message and {@link #validateMedia} for a media
 * frame; each returns the {@link FrameError} to send back, or null when the frame is fine. Also the tracks and
 * tiles of a frame that passed as the contract's records, and the wire names of their kinds and sources.
 */
public final class FrameValidator {

    public static final int MAX_TEXT_CODE_POINTS = 2000;
    public static final int MAX_CLIENT_MSG_ID_CODE_POINTS = 64;
    /** At most this many entries in a media frame's {@code tracks}. */
    public static final int MAX_TRACKS = 16;
    /** A track's {@code mid} has 1 to this many characters. */
    public static final int MAX_MID_LENGTH = 32;

    /** At most this many entries in a {@code media-view}'s {@code tiles} (100 people × camera and screen, and more). */
    public static final int MAX_TILES = 256;
    /** A tile's rendered width and height are 1 to this many device pixels (8K). */
    public static final int MAX_TILE_PIXELS = 7680;
    /** A tile's publisher socket id has 1 to this many characters (socket ids are UUIDs). */
    public static final int MAX_TILE_SOCKET_LENGTH = 64;

    private FrameValidator() {}

    /** Content checks of a chat message (after the joined check): null when fine. */
    public static FrameError validateChat(ClientFrame.Chat chat) {
        String id = chat.clientMsgId();
        if (id == null || id.isBlank()) {
            return new FrameError(ErrorCode.INVALID_MESSAGE, "clientMsgId is required", null, chat.meetingId());
        }
        if (id.codePointCount(0, id.length()) > MAX_CLIENT_MSG_ID_CODE_POINTS) {
            return new FrameError(ErrorCode.INVALID_MESSAGE,
                    "clientMsgId is longer than " + MAX_CLIENT_MSG_ID_CODE_POINTS + " characters",
                    abbreviate(id), chat.meetingId());
        }
        String text = chat.text();
        if (text == null || text.strip().isEmpty()) {
            return new FrameError(ErrorCode.INVALID_MESSAGE, "the message is empty", id, chat.meetingId());
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT_CODE_POINTS) {
            return new FrameError(ErrorCode.INVALID_MESSAGE,
                    "the message is longer than " + MAX_TEXT_CODE_POINTS + " characters", id, chat.meetingId());
        }
        return null;
    }

    /**
     * Content checks of a media frame (after the joined check): null when fine. The SDP must start with
     * {@code v=0}; tracks: at most {@link #MAX_TRACKS}, each with a distinct 1–32 character mid and a known
     * (lowercase) kind and source; a {@code media-state} needs at least one track.
     */
    public static FrameError validateMedia(ClientFrame.MediaFrame f) {
        return f.validate();
    }

    private static final Pattern SHA256_FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");

    /** An optional certificate fingerprint: absent, or SHA-256 as 32 colon-separated hex bytes. */
    public static FrameError validateFingerprint(String fingerprint, String ref, String meetingId) {
        if (fingerprint == null || SHA256_FINGERPRINT.matcher(fingerprint).matches()) {
            return null;
        }
        return new FrameError(ErrorCode.INVALID_MESSAGE,
                "fingerprint must be a SHA-256 fingerprint: 32 hex bytes separated by colons", ref, meetingId);
    }

    static FrameError validateSdp(String sdp, String ref, String meetingId) {
        if (sdp == null || sdp.isEmpty()) {
            return new FrameError(ErrorCode.INVALID_MESSAGE, "sdp is required", ref, meetingId);
        }
        if (!sdp.startsWith("v=0")) {
            return new FrameError(ErrorCode.INVALID_MESSAGE, "sdp is not a session description (it must start with v=0)",
                    ref, meetingId);
        }
        return null;
    }

    static FrameError validateTracks(List<ClientFrame.Track> tracks, String ref, String meetingId) {
        if (tracks.size() > MAX_TRACKS) {
            return new FrameError(ErrorCode.INVALID_MESSAGE, "more than " + MAX_TRACKS + " tracks", ref, meetingId);
        }
        Set<String> mids = new HashSet<>();
        for (ClientFrame.Track t : tracks) {
            String mid = t.mid();
            if (mid == null || mid.isEmpty() || mid.length() > MAX_MID_LENGTH) {
                return new FrameError(ErrorCode.INVALID_MESSAGE,
                        "a track's mid must have 1 to " + MAX_MID_LENGTH + " characters", ref, meetingId);
            }
            if (!mids.add(mid)) {
                return new FrameError(ErrorCode.INVALID_MESSAGE, "mid \"" + mid + "\" appears twice", ref, meetingId);
            }
            if (kind(t.kind()) == null) {
                return new FrameError(ErrorCode.INVALID_MESSAGE,
                        "track " + mid + ": kind must be \"audio\" or \"video\"", ref, meetingId);
            }
            if (source(t.source()) == null) {
                return new FrameError(ErrorCode.INVALID_MESSAGE,
                        "track " + mid + ": source must be \"microphone\", \"camera\" or \"screen\"", ref, meetingId);
            }
        }
        return null;
    }

    /**
     * A {@code media-view}'s tiles: at most {@link #MAX_TILES}, each naming a publisher socket (1–64 characters) and
     * a video source ({@code camera} or {@code screen}) once, and either {@code hidden: true} or a width and height of
     * 1 to {@link #MAX_TILE_PIXELS}. An empty list is fine (no remote video).
     */
    static FrameError validateTiles(List<ClientFrame.Tile> tiles, String meetingId) {
        if (tiles.size() > MAX_TILES) {
            return new FrameError(ErrorCode.INVALID_MESSAGE, "more than " + MAX_TILES + " tiles", REF_MEDIA, meetingId);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tiles.size(); i++) {
            ClientFrame.Tile t = tiles.get(i);
            String at = "tiles[" + i + "]";
            if (t.socketId() == null || t.socketId().isEmpty() || t.socketId().length() > MAX_TILE_SOCKET_LENGTH) {
                return new FrameError(ErrorCode.INVALID_MESSAGE,
                        at + ".socketId must have 1 to " + MAX_TILE_SOCKET_LENGTH + " characters", REF_MEDIA, meetingId);
            }
            MediaTrack.Source source = source(t.source());
            if (source != MediaTrack.Source.CAMERA && source != MediaTrack.Source.SCREEN) {
                return new FrameError(ErrorCode.INVALID_MESSAGE, at + ".source must be \"camera\" or \"screen\"",
                        REF_MEDIA, meetingId);
            }
            if (!seen.add(t.socketId() + "|" + source)) {
                return new FrameError(ErrorCode.INVALID_MESSAGE, at + " names a track listed before", REF_MEDIA, meetingId);
            }
            if (!t.hidden() && (t.width() < 1 || t.width() > MAX_TILE_PIXELS || t.height() < 1
                    || t.height() > MAX_TILE_PIXELS)) {
                return new FrameError(ErrorCode.INVALID_MESSAGE, at + ": a shown tile needs a width and height of 1 to "
                        + MAX_TILE_PIXELS + " device pixels", REF_MEDIA, meetingId);
            }
        }
        return null;
    }

    /** The tiles of a validated {@code media-view} as the contract's records. */
    public static List<TileView> tileViews(List<ClientFrame.Tile> tiles) {
        List<TileView> out = new ArrayList<>(tiles.size());
        for (ClientFrame.Tile t : tiles) {
            out.add(t.hidden() ? TileView.hidden(t.socketId(), source(t.source()))
                    : TileView.shown(t.socketId(), source(t.source()), t.width(), t.height()));
        }
        return out;
    }

    /** The tracks of a validated media frame as the contract's records (no socket/participant: it is the sender). */
    public static List<MediaTrack> mediaTracks(List<ClientFrame.Track> tracks) {
        List<MediaTrack> out = new ArrayList<>(tracks.size());
        for (ClientFrame.Track t : tracks) {
            out.add(new MediaTrack(t.mid(), null, null, kind(t.kind()), source(t.source()), t.muted()));
        }
        return out;
    }

    /** The wire name of a kind or source: the enum's name in lowercase. */
    public static String wireName(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    private static MediaTrack.Kind kind(String s) {
        for (MediaTrack.Kind k : MediaTrack.Kind.values()) {
            if (wireName(k).equals(s)) {
                return k;
            }
        }
        return null;
    }

    private static MediaTrack.Source source(String s) {
        for (MediaTrack.Source v : MediaTrack.Source.values()) {
            if (wireName(v).equals(s)) {
                return v;
            }
        }
        return null;
    }
}
