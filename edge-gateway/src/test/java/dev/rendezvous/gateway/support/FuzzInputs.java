package dev.rendezvous.gateway.support;

import dev.rendezvous.topics.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generators of hostile input for the gateway: WebSocket frames ({@link #frame}) and REST request bodies
 * ({@link #body}) — random bytes and text, truncated JSON, fields of the wrong type, huge strings, deep nesting,
 * duplicate keys, unknown types, and well-formed frames whose values are hostile. The same seed gives the same
 * sequence, so a failure is reproduced by its seed and index. Text is always valid UTF-16 (a text frame with invalid
 * UTF-8 is closed by the WebSocket layer itself, 1007, and no client library sends one); frames stay below the
 * transport limit (above it the socket is closed by design: TransportLimitsIT).
 */
public final class FuzzInputs {

    /** One WebSocket frame to send: text, or binary when {@code binary} is not null. */
    public record Frame(String text, byte[] binary) {
        @Override
        public String toString() {
            return binary != null ? "binary[" + binary.length + "]" : "text " + abbreviate(text);
        }
    }

    /** One request body with its content type (null: no Content-Type header). */
    public record Body(String contentType, byte[] bytes) {
        @Override
        public String toString() {
            return contentType + " " + abbreviate(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    static final List<String> FRAME_TYPES = List.of("ping", "join", "chat", "leave", "media-offer",
            "media-answer", "media-state", "media-subscribe", "media-view", "media-stats", "host-action", "raise-hand",
            "lower-hand", "reaction");
    static final List<String> FRAME_FIELDS = List.of("type", "meetingId", "token", "fingerprint", "clientMsgId", "text",
            "sdp", "tracks", "action", "participantId", "audio", "video", "allowUnmute", "emoji", "ref", "mid", "kind",
            "source", "muted", "tiles", "socketId", "width", "height", "hidden", "on");
    private static final List<String> NASTY = List.of("", " ", "\u0000", "\u202E", "\uFEFF", "😀", "\r\n", "\"", "\\",
            "'; DROP TABLE users; --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "null", "true", "-1",
            "1e999", "${jndi:ldap://x}", "guest:" + "x".repeat(40), "00000000-0000-0000-0000-000000000000", "{", "]",
            "\uD83D\uDE00\u0301\u0301\u0301", "\u0085", "\u2028");
    private static final List<String> SCALARS = List.of("null", "true", "false", "0", "-0", "1e400", "-1e-400",
            "123456789012345678901234567890", "1.5", "-2147483649", "9223372036854775808", "[]", "{}", "\"\"");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "application/xml", "application/json; charset=ISO-8859-1", "application/json; charset=nonsense", "a/b/c",
            "json", "multipart/form-data; boundary=x", "application/*", "application/json;;;", "*/*");

    /** The gateway's default max-transport-frame-bytes. */
    static final int TRANSPORT_LIMIT = 266_240;

    private final SplittableRandom random;

    public FuzzInputs(long seed) {
        this.random = new SplittableRandom(seed);
    }

    // ---- building blocks ------------------------------------------------------------------------------------------

    /** Text without lone surrogates: control characters, bidi overrides, NULs, emoji, any BMP character, or long runs. */
    public String text(int maxLength) {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> {
                int n = random.nextInt(maxLength + 1);
                StringBuilder sb = new StringBuilder(n);
                for (int i = 0; i < n; i++) {
                    char c = (char) random.nextInt(0x10000);
                    sb.append(Character.isSurrogate(c) ? 'x' : c);
                }
                yield sb.toString();
            }
            case 3, 4 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(8); i > 0; i--) {
                    sb.append(pick(NASTY));
                }
                yield sb.toString();
            }
            default -> "x".repeat(random.nextInt(1_000, 20_000));
        };
    }

    /** Any JSON value as text, nested up to {@code depth}. */
    public String jsonValue(int depth) {
        int kind = depth <= 0 ? random.nextInt(3) : random.nextInt(5);
        return switch (kind) {
            case 0 -> pick(SCALARS);
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> quote(text(60));
            case 3 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(jsonValue(depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> object(null, FRAME_FIELDS, depth - 1);
        };
    }

    /** A JSON object of some of the named fields (repeats allowed), with generated values (often the wrong type). */
    public String object(String fixedType, List<String> fields, int depth) {
        List<String> members = new ArrayList<>();
        if (fixedType != null) {
            members.add("\"type\":" + quote(fixedType));
        }
        for (int i = random.nextInt(fields.size() + 2); i > 0; i--) {
            String value = random.nextInt(5) < 3 ? quote(text(80)) : jsonValue(depth);
            members.add(quote(pick(fields)) + ":" + value);
        }
        return "{" + String.join(",", members) + "}";
    }

    /** Nested arrays or objects, deeper than the parser's limit or just below it. */
    public String deepNesting() {
        int n = random.nextInt(50, 5_000);
        return switch (random.nextInt(3)) {
            case 0 -> "[".repeat(n) + "]".repeat(n);
            case 1 -> "{\"a\":".repeat(n) + "1" + "}".repeat(n);
            default -> "{\"type\":\"chat\",\"text\":" + "[".repeat(n) + "]".repeat(n) + "}";
        };
    }

    /**
     * The first {@code end} chars, one fewer if that would split a surrogate pair: a WebSocket text frame is UTF-8,
     * which a lone surrogate cannot be written in (the JDK client refuses to send it; no real client can).
     */
    static String cut(String s, int end) {
        int e = end > 0 && end < s.length() && Character.isHighSurrogate(s.charAt(end - 1)) ? end - 1 : end;
        return s.substring(0, e);
    }

    /** A prefix of the text, cut anywhere (but never inside a surrogate pair). */
    public String truncated(String json) {
        return cut(json, random.nextInt(Math.max(1, json.length())));
    }

    public static String quote(String s) {
        return Json.mapper().writeValueAsString(s);
    }

    // ---- WebSocket frames ---------------------------------------------------------------------------------------

    /** A frame for a socket that may join {@code meetingId} with {@code token}. */
    public Frame frame(String meetingId, String token) {
        if (random.nextInt(13) == 0) {
            byte[] b = new byte[random.nextInt(2_000)];
            random.nextBytes(b);
            return new Frame(null, b);
        }
        String text = switch (random.nextInt(23)) {
            case 0, 1 -> text(300);
            case 2, 3 -> jsonValue(3);
            case 4, 5, 6 -> truncated(wellFormed(meetingId, token));
            case 7, 8, 9, 10 -> object(random.nextBoolean() ? pick(FRAME_TYPES) : text(40), FRAME_FIELDS, 2);
            case 11, 12, 13, 14, 15, 16, 17, 18 -> wellFormed(meetingId, token);
            case 19 -> huge(meetingId);
            case 20 -> deepNesting();
            case 21 -> "{\"type\":\"ping\",\"type\":" + quote(pick(FRAME_TYPES)) + ",\"meetingId\":" + quote(meetingId) + "}";
            default -> "{\"type\":" + jsonValue(2) + "}";
        };
        // below the transport limit: a larger frame closes the socket by design (TransportLimitsIT), cut it
        while (text.getBytes(StandardCharsets.UTF_8).length >= TRANSPORT_LIMIT) {
            text = cut(text, text.length() / 2);
        }
        return new Frame(text, null);
    }

    /** A frame of a known type with the right shape and hostile values. */
    private String wellFormed(String meetingId, String token) {
        String meeting = random.nextInt(4) == 0 ? text(50) : meetingId;
        return switch (random.nextInt(5)) {
            case 0 -> "{\"type\":\"join\",\"meetingId\":" + quote(meeting) + ",\"token\":"
                    + quote(switch (random.nextInt(3)) {
                        case 0 -> token;
                        case 1 -> cut(token, token.length() / 2);
                        default -> text(200);
                    }) + (random.nextBoolean() ? "" : ",\"fingerprint\":" + quote(text(120))) + "}";
            case 1 -> "{\"type\":\"chat\",\"meetingId\":" + quote(meeting) + ",\"clientMsgId\":" + quote(text(100))
                    + ",\"text\":" + quote(random.nextBoolean() ? text(2_100) : "é".repeat(random.nextInt(1_990, 2_010))) + "}";
            case 2 -> {
                String sdp = text(400);
                yield "{\"type\":" + quote(pick(List.of("media-offer", "media-answer", "media-state", "media-subscribe",
                        "media-view", "media-stats")))
                        + ",\"meetingId\":" + quote(meeting) + ",\"sdp\":" + quote(random.nextBoolean() ? "v=0\r\n" + sdp : sdp)
                        + ",\"tracks\":" + jsonValue(3) + ",\"fingerprint\":" + quote(text(100))
                        + ",\"tiles\":" + jsonValue(3) + ",\"on\":" + jsonValue(1) + "}";
            }
            case 3 -> "{\"type\":\"host-action\",\"meetingId\":" + quote(meeting) + ",\"action\":"
                    + quote(random.nextBoolean() ? pick(List.of("remove", "admit", "mute", "end", "lock", "promote", "list",
                    "raise-hand", "REMOVE", "mute-all", "lobby-on")) : text(30))
                    + ",\"participantId\":" + quote(text(60)) + ",\"audio\":" + jsonValue(1) + ",\"ref\":" + quote(text(60)) + "}";
            default -> "{\"type\":" + quote(pick(List.of("leave", "raise-hand", "lower-hand", "reaction", "ping")))
                    + ",\"meetingId\":" + quote(meeting) + ",\"emoji\":" + quote(text(20)) + ",\"participantId\":"
                    + quote(text(40)) + "}";
        };
    }

    /** A frame with one very long string, below the 64 KiB application limit or between it and the transport's. */
    private String huge(String meetingId) {
        int n = random.nextBoolean() ? random.nextInt(10_000, 60_000) : random.nextInt(70_000, 250_000);
        return "{\"type\":\"chat\",\"meetingId\":" + quote(meetingId) + ",\"clientMsgId\":\"h\"," + quote(pick(FRAME_FIELDS))
                + ":\"" + "y".repeat(n) + "\"}";
    }

    // ---- REST bodies --------------------------------------------------------------------------------------------

    /** A body for an endpoint whose JSON object has {@code fields}: malformed, mistyped, huge, or of another type. */
    public Body body(List<String> fields) {
        byte[] bytes;
        if (random.nextInt(9) == 0) {
            bytes = new byte[random.nextInt(2_000)];
            random.nextBytes(bytes);
        } else {
            String text = switch (random.nextInt(11)) {
                case 0, 1, 2, 3 -> object(null, fields, 2);
                case 4, 5 -> truncated(object(null, fields, 2));
                case 6, 7 -> jsonValue(3);
                case 8 -> text(300);
                case 9 -> deepNesting();
                default -> "{" + quote(pick(fields)) + ":\"" + "z".repeat(random.nextInt(1_000, 400_000)) + "\"}";
            };
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
        int ct = random.nextInt(12);
        String contentType = ct < 10 ? "application/json" : ct == 10 ? pick(CONTENT_TYPES) : null;
        return new Body(contentType, bytes);
    }

    /** A value for the Authorization header: the given one mostly, else none or printable garbage. */
    public String authorization(String good) {
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> {
                String garbage = text(200).replaceAll("[^\\x21-\\x7e]", "");
                // within the server's 8 KiB header limit: above it Reactor Netty answers 431 itself, before any handler
                yield "Bearer " + cut(garbage, Math.min(garbage.length(), 4_000));
            }
            default -> good;
        };
    }

    public <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? "[" + s.length() + " chars] " + s.substring(0, 300) + "…" : s;
    }
}
