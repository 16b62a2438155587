package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.TileView;
import dev.rendezvous.topics.serde.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Turns the text of a client frame into a {@link ClientFrame}, or says why it cannot. Structure only (is it a JSON
 * object, is the type known, are fields strings); the checks that depend on the socket's state (joined?) come
 * first in the handler, then {@link #validateChat} for the content of a chat message and {@link #validateMedia} for
 * the content of a media frame.
 */
public final class FrameParser {

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

    /** The {@code ref} of errors about a {@code media-offer} (the PUBLISH PeerConnection). */
    public static final String REF_PUBLISH = "publish";
    /** The {@code ref} of errors about a {@code media-answer} (the SUBSCRIBE PeerConnection). */
    public static final String REF_SUBSCRIBE = "subscribe";
    /** The {@code ref} of errors about a {@code media-state} (and forwarder errors about neither connection). */
    public static final String REF_MEDIA = "media";

    /** Either a frame or an error, never both. */
    public record Result(ClientFrame frame, FrameError error) {
        static Result ok(ClientFrame f) {
            return new Result(f, null);
        }

        static Result fail(String code, String message, String ref) {
            return new Result(null, new FrameError(code, message, ref));
        }

        public boolean ok() {
            return error == null;
        }
    }

    private final ObjectReader reader = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Result parse(String text) {
        JsonNode node;
        try {
            node = reader.readTree(text);
        } catch (JacksonException e) {
            return Result.fail(ErrorCode.BAD_FRAME, "the frame is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            return Result.fail(ErrorCode.BAD_FRAME, "a frame must be a JSON object", null);
        }
        String ref = ref(node);
        JsonNode type = node.get("type");
        if (type == null || !type.isString()) {
            return Result.fail(ErrorCode.BAD_FRAME, "a frame needs a string \"type\"", ref);
        }
        String t = type.asString();
        try {
            return switch (t) {
                case "ping" -> Result.ok(new ClientFrame.Ping());
                case "join" -> Result.ok(new ClientFrame.Join(string(node, "meetingId"), string(node, "token"),
                        string(node, "fingerprint"), string(node, "region"), string(node, "replaces")));
                case "chat" -> Result.ok(new ClientFrame.Chat(
                        string(node, "meetingId"), string(node, "clientMsgId"), string(node, "text")));
                case "leave" -> Result.ok(new ClientFrame.Leave(string(node, "meetingId")));
                case "media-offer" -> Result.ok(new ClientFrame.MediaOffer(
                        string(node, "meetingId"), string(node, "sdp"), tracks(node)));
                case "media-answer" -> Result.ok(new ClientFrame.MediaAnswer(string(node, "meetingId"), string(node, "sdp")));
                case "media-state" -> Result.ok(new ClientFrame.MediaState(string(node, "meetingId"), tracks(node)));
                case "media-subscribe" -> Result.ok(new ClientFrame.MediaSubscribe(string(node, "meetingId"),
                        string(node, "fingerprint")));
                case "media-view" -> Result.ok(new ClientFrame.MediaView(string(node, "meetingId"), tiles(node)));
                case "media-stats" -> Result.ok(new ClientFrame.MediaStatsRequest(string(node, "meetingId"), bool(node, "on")));
                case "host-action" -> Result.ok(roomAction(node, string(node, "action")));
                case "raise-hand", "lower-hand", "reaction" -> Result.ok(roomAction(node, t));
                default -> Result.fail(ErrorCode.UNKNOWN_TYPE, "unknown frame type \"" + abbreviate(t) + "\"", ref);
            };
        } catch (BadField e) {
            return Result.fail(ErrorCode.BAD_FRAME, "\"" + e.getMessage() + "\" must be " + e.expected, ref);
        }
    }

    /**
     * The {@code ref} an error about this frame should carry, found cheaply: the clientMsgId of a chat, else the
     * meetingId. Null when the text is not a JSON object.
     */
    public String refOf(String text) {
        try {
            JsonNode node = reader.readTree(text);
            return node != null && node.isObject() ? ref(node) : null;
        } catch (JacksonException e) {
            return null;
        }
    }

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

    private static final java.util.regex.Pattern SHA256_FINGERPRINT =
            java.util.regex.Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");

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

    private static String ref(JsonNode node) {
        JsonNode type = node.get("type");
        if (type != null && type.isString()) {
            switch (type.asString()) {
                case "media-offer" -> {
                    return REF_PUBLISH;
                }
                case "media-answer" -> {
                    return REF_SUBSCRIBE;
                }
                case "media-state", "media-view", "media-stats" -> {
                    return REF_MEDIA;
                }
                default -> { }
            }
        }
        JsonNode id = node.get("clientMsgId");
        if (id != null && id.isString()) {
            return abbreviate(id.asString());
        }
        JsonNode meeting = node.get("meetingId");
        return meeting != null && meeting.isString() ? abbreviate(meeting.asString()) : null;
    }

    private static String string(JsonNode node, String field) throws BadField {
        return string(node, field, field);
    }

    private static String string(JsonNode node, String field, String path) throws BadField {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new BadField(path, "a string");
        }
        return v.asString();
    }

    private static ClientFrame.RoomAction roomAction(JsonNode node, String action) throws BadField {
        return new ClientFrame.RoomAction(string(node, "meetingId"), action, string(node, "participantId"),
                bool(node, "audio"), bool(node, "video"), bool(node, "allowUnmute"), string(node, "reaction"),
                string(node, "requestId"));
    }

    private static Boolean bool(JsonNode node, String field) throws BadField {
        return bool(node, field, field);
    }

    private static Boolean bool(JsonNode node, String field, String path) throws BadField {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new BadField(path, "a boolean");
        }
        return v.booleanValue();
    }

    /** {@code tracks}: absent or null = none; otherwise an array of objects with string fields and a boolean muted. */
    private static List<ClientFrame.Track> tracks(JsonNode node) throws BadField {
        JsonNode v = node.get("tracks");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new BadField("tracks", "an array");
        }
        List<ClientFrame.Track> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            String path = "tracks[" + i + "]";
            if (t == null || !t.isObject()) {
                throw new BadField(path, "an object");
            }
            JsonNode muted = t.get("muted");
            if (muted != null && !muted.isNull() && !muted.isBoolean()) {
                throw new BadField(path + ".muted", "a boolean");
            }
            out.add(new ClientFrame.Track(string(t, "mid", path + ".mid"), string(t, "kind", path + ".kind"),
                    string(t, "source", path + ".source"), muted != null && muted.isBoolean() && muted.booleanValue()));
        }
        return out;
    }

    /**
     * {@code tiles}: absent or null = none; otherwise an array of objects with a string socketId and source, integer
     * width and height (absent: -1) and a boolean hidden (absent: false).
     */
    private static List<ClientFrame.Tile> tiles(JsonNode node) throws BadField {
        JsonNode v = node.get("tiles");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new BadField("tiles", "an array");
        }
        if (v.size() > MAX_TILES) {
            throw new BadField("tiles", "an array of at most " + MAX_TILES + " tiles");
        }
        List<ClientFrame.Tile> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode t = v.get(i);
            String path = "tiles[" + i + "]";
            if (t == null || !t.isObject()) {
                throw new BadField(path, "an object");
            }
            Boolean hidden = bool(t, "hidden", path + ".hidden");
            out.add(new ClientFrame.Tile(string(t, "socketId", path + ".socketId"), string(t, "source", path + ".source"),
                    pixels(t, "width", path), pixels(t, "height", path), hidden != null && hidden));
        }
        return out;
    }

    /** An integer field of a tile (-1 when absent); anything but a whole number in int range is refused. */
    private static int pixels(JsonNode tile, String field, String path) throws BadField {
        JsonNode v = tile.get(field);
        if (v == null || v.isNull()) {
            return -1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new BadField(path + "." + field, "a whole number");
        }
        return v.intValue();
    }

    /** Keeps echoed client text short (a ref or a type is never more than 100 characters back). */
    static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100);
    }

    private static final class BadField extends Exception {
        final String expected;

        BadField(String field, String expected) {
            super(field, null, false, false);
            this.expected = expected;
        }
    }
}
