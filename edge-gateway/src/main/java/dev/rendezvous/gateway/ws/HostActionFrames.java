package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.Reaction;
import dev.rendezvous.topics.model.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The WebSocket side of host controls: {@code host-action}, {@code raise-hand}, {@code lower-hand} and
 * {@code reaction} frames become {@link HostActionRequest}s on {@code room.host.requested}, for a meeting this socket
 * has joined. Whether the action is allowed is not decided here: the room processor authorises it from the socket's
 * member record and answers this socket (an {@code error} frame, or {@code host-result}).
 */
final class HostActionFrames {

    /** Wire names of the actions a frame may ask for (docs/protocol.md). */
    static final Map<String, Action> ACTIONS = Map.ofEntries(
            Map.entry("remove", Action.REMOVE), Map.entry("admit", Action.ADMIT), Map.entry("deny", Action.DENY),
            Map.entry("mute", Action.MUTE), Map.entry("mute-all", Action.MUTE_ALL),
            Map.entry("promote", Action.PROMOTE), Map.entry("demote", Action.DEMOTE), Map.entry("end", Action.END),
            Map.entry("lock", Action.LOCK), Map.entry("unlock", Action.UNLOCK),
            Map.entry("lobby-on", Action.LOBBY_ON), Map.entry("lobby-off", Action.LOBBY_OFF),
            Map.entry("raise-hand", Action.RAISE_HAND), Map.entry("lower-hand", Action.LOWER_HAND),
            Map.entry("reaction", Action.REACT),
            Map.entry("record-start", Action.RECORD_START), Map.entry("record-stop", Action.RECORD_STOP));

    static final int MAX_ID = 200;

    private final GatewayIdentity gateway;
    private final EventBus bus;
    private final Clock clock;

    HostActionFrames(GatewayIdentity gateway, EventBus bus, Clock clock) {
        this.gateway = gateway;
        this.bus = bus;
        this.clock = clock;
    }

    Mono<Void> handle(GatewaySocket s, ClientFrame.RoomAction f) {
        String meetingId = f.meetingId();
        String ref = f.requestId() != null ? FrameParser.abbreviate(f.requestId()) : meetingId;
        GatewaySocket.Membership m = s.membership(meetingId);
        FrameError notJoined = GatewaySocket.Membership.notActive(m, "join the meeting first", ref, meetingId);
        if (notJoined != null) {
            s.sendError(notJoined);
            return Mono.empty();
        }
        Action action = f.action() == null ? null : ACTIONS.get(f.action());
        if (action == null) {
            s.sendError(new FrameError(ErrorCode.INVALID_MESSAGE,
                    "action must be one of " + String.join(", ", new java.util.TreeSet<>(ACTIONS.keySet())), ref, meetingId));
            return Mono.empty();
        }
        if (f.requestId() != null && (f.requestId().isBlank() || f.requestId().length() > 64)) {
            s.sendError(new FrameError(ErrorCode.INVALID_MESSAGE, "requestId must have 1 to 64 characters", ref, meetingId));
            return Mono.empty();
        }
        if (f.participantId() != null && (f.participantId().isBlank() || f.participantId().length() > MAX_ID)) {
            s.sendError(new FrameError(ErrorCode.INVALID_MESSAGE, "participantId must have 1 to " + MAX_ID + " characters",
                    ref, meetingId));
            return Mono.empty();
        }
        Reaction reaction = null;
        if (action == Action.REACT) {
            reaction = reaction(f.reaction());
            if (reaction == null) {
                s.sendError(new FrameError(ErrorCode.INVALID_MESSAGE,
                        "reaction must be one of thumbs_up, heart, laugh, clap, party", ref, meetingId));
                return Mono.empty();
            }
        }
        HostActionRequest.Mute mute = null;
        if (action == Action.MUTE || action == Action.MUTE_ALL) {
            boolean video = Boolean.TRUE.equals(f.video());
            boolean audio = f.audio() == null ? !video : f.audio();
            mute = new HostActionRequest.Mute(audio, video, f.allowUnmute() == null || f.allowUnmute());
        }
        // a client id is scoped to the person, so a retry from a reconnected socket is recognised as the same request
        String requestId = f.requestId() != null ? m.participantId() + ":" + f.requestId() : UUID.randomUUID().toString();
        Instant now = clock.instant();
        HostActionRequest req = new HostActionRequest(requestId, m.meetingId(), action, m.participantId(), s.socketId(),
                gateway.id(), gateway.deliveryPartition(), s.socketId(), m.role() == Role.HOST, f.participantId(), mute,
                reaction, now);
        return bus.publish(Topics.HOST_REQUESTED, m.meetingId(), req, now);
    }

    /** {@code thumbs_up} … or the emoji itself. */
    static Reaction reaction(String s) {
        if (s == null) {
            return null;
        }
        for (Reaction r : Reaction.values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(s) || r.emoji().equals(s)) {
                return r;
            }
        }
        return null;
    }
}
