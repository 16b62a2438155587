package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.ObjectWriter;

/**
 * Renders the host-control server frames (docs/protocol.md, "Host controls") from room events of types LOBBY …
 * HOST_RESULT. Pure functions; absent fields are left out.
 */
final class HostFrames {

    record Room(String host, List<String> cohosts, boolean locked, boolean lobby, List<String> raisedHands,
                Recording recording) {}

    /** The running recording (absent when the room is not recorded). */
    record Recording(String recordingId, java.time.Instant startedAt, String by) {}

    record Waiting(String participantId, String displayName, Role role) {}

    record Lobby(String type, String meetingId) {}

    record LobbyChanged(String type, String meetingId, List<Waiting> waiting) {}

    record RoomState(String type, String meetingId, Room room) {}

    record RoleChanged(String type, String meetingId, String participantId, Role role, String reason) {}

    record Removed(String type, String meetingId, String reason, String by) {}

    record Muted(String type, String meetingId, boolean audio, boolean video, boolean allowUnmute, String by) {}

    record Ended(String type, String meetingId, String reason, String by) {}

    record Hand(String type, String meetingId, String participantId, boolean raised, String by) {}

    record ReactionFrame(String type, String meetingId, String participantId, String reaction, String emoji) {}

    record Result(String type, String meetingId, String requestId, String action) {}

    private static final ObjectWriter WRITER = Json.mapper().writer();

    private HostFrames() {}

    /**
     * The frame for a host-control event; null when the event carries no details. {@code ownRequestPrefix}: stripped
     * from a HOST_RESULT's request id (the gateway scoped the client's id to the person).
     */
    static String event(RoomEvent e, String ownRequestPrefix) {
        HostEvent h = e.host();
        String m = e.meetingId();
        if (h == null && e.type() != RoomEvent.Type.LOBBY && e.type() != RoomEvent.Type.MEETING_ENDED) {
            return null;
        }
        return switch (e.type()) {
            case LOBBY -> write(new Lobby("lobby", m));
            case LOBBY_CHANGED -> write(new LobbyChanged("lobby-changed", m, h.people() == null ? List.of()
                    : h.people().stream().map(p -> new Waiting(p.participantId(), p.displayName(), p.role())).toList()));
            case ROOM_STATE -> write(new RoomState("room-state", m, room(h.state())));
            case ROLE_CHANGED -> write(new RoleChanged("role-changed", m, h.participantId(), h.role(), lower(h.reason())));
            case REMOVED -> write(new Removed("removed", m, lower(h.reason()), h.by()));
            case MUTED -> write(new Muted("muted-by-host", m, h.mute() != null && h.mute().audio(),
                    h.mute() != null && h.mute().video(), h.mute() == null || h.mute().allowUnmute(), h.by()));
            case MEETING_ENDED -> write(new Ended("meeting-ended", m, h == null ? null : lower(h.reason()),
                    h == null ? null : h.by()));
            case HAND -> write(new Hand("hand", m, h.participantId(), Boolean.TRUE.equals(h.raised()), h.by()));
            case REACTION -> write(new ReactionFrame("reaction", m, h.participantId(), lower(h.reaction()),
                    h.reaction() == null ? null : h.reaction().emoji()));
            case HOST_RESULT -> result(m, h, ownRequestPrefix);
            default -> null;
        };
    }

    /** The room's control state as carried in {@code joined} and {@code room-state}. */
    static Room room(HostEvent.RoomState s) {
        if (s == null) {
            return null;
        }
        HostEvent.Recording r = s.recording();
        return new Room(s.hostParticipantId(), s.cohosts(), s.locked(), s.lobby(), s.raisedHands(),
                r == null ? null : new Recording(r.recordingId(), r.startedAt(), r.by()));
    }

    private static String result(String meetingId, HostEvent h, String prefix) {
        String id = h.requestId();
        if (id != null && prefix != null && id.startsWith(prefix)) {
            id = id.substring(prefix.length());
        }
        String action = h.action() == null ? null : h.action().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (h.outcome() == HostEvent.Outcome.APPLIED) {
            return write(new Result("host-result", meetingId, id, action));
        }
        return ServerFrames.error(h.error() == null ? "forbidden" : h.error(),
                h.message() == null ? "the request was refused" : h.message(), id, meetingId);
    }

    private static String lower(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    private static String write(Object frame) {
        return WRITER.writeValueAsString(frame);
    }
}
