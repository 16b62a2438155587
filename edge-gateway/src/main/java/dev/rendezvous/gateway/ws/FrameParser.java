package dev.rendezvous.gateway.ws;

import static dev.rendezvous.gateway.ws.FrameValidator.MAX_TILES;

import dev.rendezvous.topics.serde.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Turns the text of a client frame into a {@link ClientFrame}, or says why it cannot. Structure only (is it a JSON
 * object, is the type known, are fields strings); the checks that depend on the socket's state (joined?) come
 * first in the handler, then {@link FrameValidator#validateChat} for the content of a chat message and
 * {@link FrameValidator#validateMedia} for the content of a media frame.
 */
public final class FrameParser {

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
