package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaStats;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.ObjectWriter;

/**
 * Renders the frames the gateway sends (docs/protocol.md, "Server frames") as JSON text. Absent fields are left
 * out. Pure functions; thread-safe.
 */
public final class ServerFrames {

    public record Limits(int maxFrameBytes, int maxSdpFrameBytes, int maxTextCodePoints, int maxClientMsgIdLength, double framesPerSecond,
                         int frameBurst, int outboundBuffer) {}

    /** What the page's media should do: show video of at most {@code lastN} remote tiles (docs/protocol.md). */
    public record Media(int lastN) {}

    record Hello(String type, String socketId, String gatewayId, Limits limits, Media media) {}

    record Pong(String type) {}

    record Joined(String type, String meetingId, Participant you, List<Participant> participants, HostFrames.Room room) {}

    record ParticipantChange(String type, String meetingId, Participant participant, String replaces) {}

    record From(String participantId, String displayName) {}

    record Chat(String type, String meetingId, long seq, String clientMsgId, From from, String text, Instant sentAt) {}

    record Left(String type, String meetingId) {}

    record Error(String type, String error, String message, String ref, String meetingId) {}

    record MediaAnswer(String type, String meetingId, String sdp) {}

    record Track(String mid, String socketId, String participantId, String kind, String source, boolean muted) {}

    record MediaOffer(String type, String meetingId, String sdp, List<Track> tracks) {}

    record ActiveSpeaker(String type, String meetingId, String socketId) {}

    record MediaStateTrack(String kind, String source, boolean muted) {}

    record MediaMoved(String type, String meetingId) {}

    record ParticipantMedia(String type, String meetingId, String socketId, List<MediaStateTrack> tracks) {}

    record StatsTrack(String socketId, String source, String state, int layer, int target, int layers, int width,
                      long bitrate) {}

    record MediaStatsFrame(String type, String meetingId, long estimate, boolean congested, double loss, double rtt,
                           List<StatsTrack> tracks) {}

    record Token(String type, String meetingId, String token, String expiresAt) {}

    private static final ObjectWriter WRITER = Json.mapper().writer();

    private ServerFrames() {}

    public static String hello(String socketId, String gatewayId, Limits limits, Media media) {
        return write(new Hello("hello", socketId, gatewayId, limits, media));
    }

    public static String pong() {
        return write(new Pong("pong"));
    }

    /** A renewed token for the socket's membership of {@code meetingId}: use it from now on (docs/protocol.md). */
    public static String token(String meetingId, String token, java.time.Instant expiresAt) {
        return write(new Token("token", meetingId, token, expiresAt.toString()));
    }

    public static String left(String meetingId) {
        return write(new Left("left", meetingId));
    }

    public static String error(FrameError e) {
        return error(e.code(), e.message(), e.ref(), e.meetingId());
    }

    public static String error(String code, String message, String ref, String meetingId) {
        return write(new Error("error", code, message, ref, meetingId));
    }

    /** The last event turned into a frame, and its frame (null: none); see {@link #event(RoomEvent)}. */
    private record Written(RoomEvent event, String frame) {}

    private static volatile Written lastWritten = new Written(null, null);

    /**
     * The frame for a delivered room event; null for an event that has no frame. A delivery names every socket of the
     * room on this gateway and hands each the same event object, so the last event's frame is kept and handed out
     * again for the same object: a chat message is encoded once per gateway, not once per recipient. (Events are
     * immutable; whichever thread wins the race, a kept frame is always its event's.)
     */
    public static String event(RoomEvent e) {
        Written last = lastWritten;
        if (last.event() == e) {
            return last.frame();
        }
        String frame = frameOf(e);
        lastWritten = new Written(e, frame);
        return frame;
    }

    private static String frameOf(RoomEvent e) {
        return switch (e.type()) {
            case JOINED -> write(new Joined("joined", e.meetingId(), e.participant(),
                    e.participants() == null ? List.of() : e.participants(),
                    e.host() == null ? null : HostFrames.room(e.host().state())));
            case PARTICIPANT_JOINED -> write(new ParticipantChange("participant-joined", e.meetingId(), e.participant(), e.ref()));
            case PARTICIPANT_LEFT -> write(new ParticipantChange("participant-left", e.meetingId(), e.participant(), null));
            case CHAT -> chat(e.chat());
            case REJECTED -> error(e.errorCode() == null ? "rejected" : e.errorCode(),
                    e.errorMessage() == null ? "the request was refused" : e.errorMessage(), e.ref(), e.meetingId());
            case SIGNAL -> signal(e.meetingId(), e.ref(), e.signal());
            case ACTIVE_SPEAKER -> write(new ActiveSpeaker("active-speaker", e.meetingId(),
                    e.signal() == null ? null : e.signal().socketId()));
            case MEDIA_STATE -> participantMedia(e.meetingId(), e.signal());
            // which forwarder it moved to stays inside (an internal host name); the page only starts over
            case MEDIA_MOVED -> write(new MediaMoved("media-moved", e.meetingId()));
            case LOBBY, LOBBY_CHANGED, ROOM_STATE, ROLE_CHANGED, REMOVED, MUTED, MEETING_ENDED, HAND, REACTION, HOST_RESULT ->
                    HostFrames.event(e, null);
        };
    }

    /** {@code participant-media}: someone's own tracks after a mute change; null without a socket or tracks. */
    static String participantMedia(String meetingId, MediaSignal s) {
        if (s == null || s.socketId() == null || s.tracks() == null || s.tracks().isEmpty()) {
            return null;
        }
        List<MediaStateTrack> tracks = new ArrayList<>(s.tracks().size());
        for (MediaTrack t : s.tracks()) {
            if (t != null && t.kind() != null && t.source() != null) {
                tracks.add(new MediaStateTrack(FrameValidator.wireName(t.kind()), FrameValidator.wireName(t.source()),
                        t.muted()));
            }
        }
        return tracks.isEmpty() ? null : write(new ParticipantMedia("participant-media", meetingId, s.socketId(), tracks));
    }

    /**
     * A forwarder's signal: ANSWER (to the PUBLISH offer) → {@code media-answer}; OFFER (of the SUBSCRIBE
     * connection) → {@code media-offer}; MEDIA_STATS → {@code media-stats}; ERROR → {@code error} with ref
     * publish/subscribe/media. Null for anything
     * else (an unknown kind, or no signal).
     */
    static String signal(String meetingId, String kind, MediaSignal s) {
        if (s == null || kind == null) {
            return null;
        }
        return switch (kind) {
            case "ANSWER" -> s.sdp() == null ? null : write(new MediaAnswer("media-answer", meetingId, s.sdp()));
            case "OFFER" -> s.sdp() == null ? null : write(new MediaOffer("media-offer", meetingId, s.sdp(), tracks(s.tracks())));
            case "MEDIA_STATS" -> s.stats() == null ? null : mediaStats(meetingId, s.stats());
            case "ERROR" -> error(s.error() == null ? "media_error" : s.error(),
                    s.message() == null ? "the media connection failed" : s.message(),
                    s.pc() == MediaSignal.Pc.PUBLISH ? FrameParser.REF_PUBLISH
                            : s.pc() == MediaSignal.Pc.SUBSCRIBE ? FrameParser.REF_SUBSCRIBE : FrameParser.REF_MEDIA,
                    meetingId);
            default -> null;
        };
    }

    /** {@code media-stats}: how the forwarder serves the page (estimate, loss, each remote track's layer). */
    static String mediaStats(String meetingId, MediaStats m) {
        List<StatsTrack> tracks = new ArrayList<>(m.tracks().size());
        for (MediaStats.TrackStats t : m.tracks()) {
            if (t != null && t.source() != null && t.state() != null) {
                tracks.add(new StatsTrack(t.socketId(), FrameValidator.wireName(t.source()),
                        t.state().name().toLowerCase(java.util.Locale.ROOT), t.layer(), t.target(), t.layers(), t.width(),
                        t.bitrateBps()));
            }
        }
        return write(new MediaStatsFrame("media-stats", meetingId, m.estimateBps(), m.congested(),
                Math.round(m.loss() * 1000) / 1000.0, Math.round(m.rttMs() * 10) / 10.0, tracks));
    }

    private static List<Track> tracks(List<MediaTrack> tracks) {
        List<Track> out = new ArrayList<>(tracks == null ? 0 : tracks.size());
        if (tracks != null) {
            for (MediaTrack t : tracks) {
                out.add(new Track(t.mid(), t.socketId(), t.participantId(), FrameValidator.wireName(t.kind()),
                        FrameValidator.wireName(t.source()), t.muted()));
            }
        }
        return out;
    }

    static String chat(ChatMessage m) {
        if (m == null) {
            return null;
        }
        return write(new Chat("chat", m.meetingId(), m.seq(), m.clientMsgId(), new From(m.senderId(), m.senderName()),
                m.text(), m.sentAt()));
    }

    private static String write(Object frame) {
        return WRITER.writeValueAsString(frame);
    }
}
