package dev.rendezvous.webrtc.signaling;

import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.TrackKind;
import dev.rendezvous.forwarder.media.TrackSource;
import dev.rendezvous.forwarder.media.TrackSpec;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's WebSocket frames (docs/protocol.md) as the meeting page writes and reads them, kept apart from
 * the socket so that the encoding can be checked without a gateway. Absent optional fields are left out
 * (never {@code null}), and fields we do not know are ignored, as the protocol asks of both sides.
 */
public final class GatewayFrames {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private GatewayFrames() {
    }

    /** A frame from the gateway, reduced to what a media client acts on. */
    public sealed interface Inbound {
    }

    public record Hello(String socketId) implements Inbound {}

    public record Joined(String meetingId) implements Inbound {}

    /** The forwarder's answer to our publish offer. */
    public record PublishAnswer(String meetingId, String sdp) implements Inbound {}

    /** The forwarder's offer for our subscribe connection, with whose track each mid carries. */
    public record SubscribeOffer(String meetingId, String sdp, List<RemoteTrack> tracks) implements Inbound {
        public SubscribeOffer {
            tracks = List.copyOf(tracks);
        }
    }

    /** {@code media-moved}: the meeting's media now runs on another forwarder; start both connections over. */
    public record MediaMoved(String meetingId) implements Inbound {}

    /** {@code participant-left}: the socket {@code socketId} left the meeting (ours: we were removed). */
    public record ParticipantLeft(String meetingId, String socketId) implements Inbound {}

    /** An {@code error} frame: {@code ref} is {@code publish}/{@code subscribe}/{@code media} or a meeting id. */
    public record Error(String code, String message, String ref, String meetingId) implements Inbound {}

    /** Anything else ({@code pong}, {@code participant-joined}, chat, …), by its type. */
    public record Other(String type) implements Inbound {}

    public static String join(String meetingId, String token, String fingerprint) {
        ObjectNode f = frame("join", meetingId);
        putIfPresent(f, "token", token);
        putIfPresent(f, "fingerprint", fingerprint);
        return f.toString();
    }

    public static String mediaOffer(String meetingId, String sdp, List<TrackSpec> tracks) {
        ObjectNode f = frame("media-offer", meetingId);
        f.put("sdp", sdp);
        f.set("tracks", tracks(tracks));
        return f.toString();
    }

    public static String mediaAnswer(String meetingId, String sdp) {
        ObjectNode f = frame("media-answer", meetingId);
        f.put("sdp", sdp);
        return f.toString();
    }

    public static String mediaState(String meetingId, List<TrackSpec> tracks) {
        ObjectNode f = frame("media-state", meetingId);
        f.set("tracks", tracks(tracks));
        return f.toString();
    }

    /** A fresh subscribe offer wanted (after a media restart), with the new answers' certificate fingerprint. */
    public static String mediaSubscribe(String meetingId, String fingerprint) {
        ObjectNode f = frame("media-subscribe", meetingId);
        putIfPresent(f, "fingerprint", fingerprint);
        return f.toString();
    }

    public static String leave(String meetingId) {
        return frame("leave", meetingId).toString();
    }

    /** The body of {@code POST /api/v1/meetings/{code}/guest}. */
    public static String guestRequest(String displayName) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("displayName", displayName);
        return o.toString();
    }

    /** The {@code token} of a guest-token response. */
    public static String guestToken(String responseBody) {
        JsonNode n = read(responseBody);
        String token = text(n, "token");
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("no token in the guest response: " + responseBody);
        }
        return token;
    }

    /**
     * Reads one text frame. Malformed JSON or a frame without a string {@code type} is an
     * {@link IllegalArgumentException}: the gateway never sends one, so it means we talk to something else.
     */
    public static Inbound parse(String text) {
        JsonNode n = read(text);
        JsonNode type = n.get("type");
        if (type == null || !type.isString()) {
            throw new IllegalArgumentException("frame without a string type: " + abbreviate(text));
        }
        String meetingId = text(n, "meetingId");
        return switch (type.asText()) {
            case "hello" -> new Hello(text(n, "socketId"));
            case "joined" -> new Joined(meetingId);
            case "media-answer" -> new PublishAnswer(meetingId, text(n, "sdp"));
            case "media-offer" -> new SubscribeOffer(meetingId, text(n, "sdp"), remoteTracks(n.get("tracks")));
            case "media-moved" -> new MediaMoved(meetingId);
            case "participant-left" -> new ParticipantLeft(meetingId, text(n.path("participant"), "socketId"));
            case "error" -> new Error(text(n, "error"), text(n, "message"), text(n, "ref"), meetingId);
            default -> new Other(type.asText());
        };
    }

    private static List<RemoteTrack> remoteTracks(JsonNode array) {
        List<RemoteTrack> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        for (JsonNode t : array) {
            out.add(new RemoteTrack(text(t, "mid"), text(t, "socketId"), text(t, "participantId"),
                    TrackKind.of(text(t, "kind")), TrackSource.of(text(t, "source")), t.path("muted").asBoolean(false)));
        }
        return out;
    }

    private static ArrayNode tracks(List<TrackSpec> tracks) {
        ArrayNode a = MAPPER.createArrayNode();
        for (TrackSpec t : tracks) {
            ObjectNode o = a.addObject();
            o.put("mid", t.mid());
            if (t.kind() != null) {
                o.put("kind", t.kind().sdpName());
            }
            if (t.source() != null) {
                o.put("source", t.source().wireName());
            }
            o.put("muted", t.muted());
        }
        return a;
    }

    private static ObjectNode frame(String type, String meetingId) {
        ObjectNode f = MAPPER.createObjectNode();
        f.put("type", type);
        f.put("meetingId", meetingId);
        return f;
    }

    private static void putIfPresent(ObjectNode f, String field, String value) {
        if (value != null && !value.isEmpty()) {
            f.put(field, value);
        }
    }

    private static JsonNode read(String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
            }
            return n;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(text), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
