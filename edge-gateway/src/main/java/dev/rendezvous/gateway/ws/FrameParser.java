package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.serde.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Turns the text of a client frame into a {@link ClientFrame}, or says why it cannot. Structure only (is it a JSON
 * object, is the type known, are fields strings); the checks that depend on the socket's state (joined?) come
 * first in the handler, then {@link #validateChat} for the content of a chat message.
 */
public final class FrameParser {

    public static final int MAX_TEXT_CODE_POINTS = 2000;
    public static final int MAX_CLIENT_MSG_ID_CODE_POINTS = 64;

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
                case "join" -> Result.ok(new ClientFrame.Join(string(node, "meetingId"), string(node, "token")));
                case "chat" -> Result.ok(new ClientFrame.Chat(
                        string(node, "meetingId"), string(node, "clientMsgId"), string(node, "text")));
                case "leave" -> Result.ok(new ClientFrame.Leave(string(node, "meetingId")));
                default -> Result.fail(ErrorCode.UNKNOWN_TYPE, "unknown frame type \"" + abbreviate(t) + "\"", ref);
            };
        } catch (NotAString e) {
            return Result.fail(ErrorCode.BAD_FRAME, "\"" + e.getMessage() + "\" must be a string", ref);
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

    private static String ref(JsonNode node) {
        JsonNode id = node.get("clientMsgId");
        if (id != null && id.isString()) {
            return abbreviate(id.asString());
        }
        JsonNode meeting = node.get("meetingId");
        return meeting != null && meeting.isString() ? abbreviate(meeting.asString()) : null;
    }

    private static String string(JsonNode node, String field) throws NotAString {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new NotAString(field);
        }
        return v.asString();
    }

    /** Keeps echoed client text short (a ref or a type is never more than 100 characters back). */
    static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100);
    }

    private static final class NotAString extends Exception {
        NotAString(String field) {
            super(field, null, false, false);
        }
    }
}
