package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.HostEvent.Reason;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Host controls, admission: who may come in. A JOIN is refused (meeting ended, participant removed, room locked,
 * lobby full), put in the lobby, or let in; the host's ADMIT, DENY, LOCK, UNLOCK, LOBBY_ON and LOBBY_OFF; the
 * waiting list (LOBBY_CHANGED) to the hosts and co-hosts. Part of {@link HostActions}.
 */
final class Admission {

    /** At most this many sockets wait in a room's lobby (the control state is one store value). */
    static final int MAX_WAITING = 200;

    private final RoomTopologyConfig cfg;
    private final RoomMemberStore rooms;
    private final RoomOutputs out;
    private final HostActions.Doors doors;

    Admission(RoomTopologyConfig cfg, RoomMemberStore rooms, RoomOutputs out, HostActions.Doors doors) {
        this.cfg = cfg;
        this.rooms = rooms;
        this.out = out;
        this.doors = doors;
    }

    /**
     * Decides a new socket's JOIN before it enters: refused (meeting ended, participant removed, room locked) with a
     * REJECTED to the socket; put in the lobby (LOBBY to it, the waiting list to hosts and co-hosts); or let in
     * (true). The meeting's creator, the host and co-hosts skip lock and lobby, and so does a participant who
     * already has a socket in the room; a user the host invited skips the lobby, not the lock.
     */
    boolean admitOnJoin(String meetingId, Member joiner, MemberRequest req, RoomMembers room, RoomControl c, long ts) {
        String pid = joiner.participantId();
        if (req.role() == Role.HOST) {
            c.ownerId = pid;   // the gateway checked the token's user created the meeting
        }
        if (req.maxParticipants() != null || req.muteOnEntry() != null) {
            c.maxParticipants = req.maxParticipants();   // the stored settings as this JOIN carried them
            c.muteOnEntry = Boolean.TRUE.equals(req.muteOnEntry());
        }
        if (req.lobby() != null && !req.lobby().equals(c.storedLobby)) {
            c.storedLobby = req.lobby();   // the stored flag changed (or is seen for the first time): follow it
            c.lobby = req.lobby();
        }
        if (c.ended) {
            return refuseJoin(meetingId, joiner, HostError.MEETING_ENDED, "the meeting has ended", ts);
        }
        if (c.removed.contains(pid)) {
            return refuseJoin(meetingId, joiner, HostError.REMOVED, "you were removed from this meeting", ts);
        }
        boolean skips = c.privileged(pid) || room.has(pid);
        if (!skips && c.locked) {
            return refuseJoin(meetingId, joiner, HostError.MEETING_LOCKED, "the meeting is locked", ts);
        }
        if (!skips && c.maxParticipants != null && room.participantCount() >= c.maxParticipants) {
            return refuseJoin(meetingId, joiner, HostError.ROOM_FULL, "the meeting is full", ts);
        }
        if (!skips && c.lobby && !Boolean.TRUE.equals(req.invited())) {
            if (c.waitingSocket(joiner.socketId()) == null) {
                if (c.waiting.size() >= MAX_WAITING) {
                    return refuseJoin(meetingId, joiner, HostError.LOBBY_FULL, "too many people are waiting; try again later", ts);
                }
                c.waiting.add(new RoomControl.Waiting(joiner, req.mediaFingerprint()));
                lobbyChanged(meetingId, room, c, ts);
            }
            out.deliver(Deliveries.to(List.of(joiner), RoomEvent.host(RoomEvent.Type.LOBBY, meetingId,
                    HostEvent.about(pid).withReason(Reason.WAITING_FOR_HOST))), ts);
            cfg.metrics().count(Outcome.JOIN_WAITING);
            return false;
        }
        return true;
    }

    /** REJECTED to the joining socket; false (not let in). */
    private boolean refuseJoin(String meetingId, Member joiner, HostError code, String message, long ts) {
        reject(meetingId, joiner, code, message, ts);
        cfg.metrics().count(Outcome.JOIN_REFUSED);
        return false;
    }

    private void reject(String meetingId, Member m, HostError code, String message, long ts) {
        out.deliver(Deliveries.toSocket(m.gatewayId(), m.gatewayPartition(), m.socketId(),
                RoomEvent.rejected(meetingId, code.code(), message, meetingId)), ts);
    }

    /** A LEAVE for a socket that is not in the room: if it waited in the lobby it stops waiting (true). */
    boolean leftLobby(String meetingId, String socketId, RoomControl c, long ts) {
        RoomControl.Waiting w = c.waitingSocket(socketId);
        if (w == null) {
            return false;
        }
        c.waiting.remove(w);
        lobbyChanged(meetingId, rooms.get(meetingId), c, ts);
        return true;
    }

    /** ADMIT: the participant's waiting sockets come in; or a removed participant may join again. */
    HostDecision admit(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        List<RoomControl.Waiting> waiting = c.waitingOf(target);
        if (!waiting.isEmpty()) {
            for (RoomControl.Waiting w : waiting) {
                c.waiting.remove(w);
                doors.enter(meetingId, w.member(), w.fingerprint(), c, ts);
            }
            lobbyChanged(meetingId, rooms.get(meetingId), c, ts);
            return HostDecision.applied();
        }
        if (c.removed.remove(target)) {
            return HostDecision.applied();   // may join again
        }
        return notWaiting(room, target);
    }

    /** DENY: the participant's waiting sockets are told {@code denied} and stop waiting. */
    HostDecision deny(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        List<RoomControl.Waiting> waiting = c.waitingOf(target);
        if (waiting.isEmpty()) {
            return notWaiting(room, target);
        }
        for (RoomControl.Waiting w : waiting) {
            c.waiting.remove(w);
            reject(meetingId, w.member(), HostError.DENIED, "the host did not let you in", ts);
        }
        lobbyChanged(meetingId, room, c, ts);
        return HostDecision.applied();
    }

    private static HostDecision notWaiting(RoomMembers room, String target) {
        return room.has(target)
                ? HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.NOT_WAITING,
                        "this participant is not waiting in the lobby")
                : HostDecision.notFound();
    }

    /** LOCK and UNLOCK: whether joins are refused (hosts, co-hosts and participants present still come in). */
    HostDecision lock(String meetingId, RoomMembers room, RoomControl c, boolean locked, long ts) {
        c.locked = locked;
        out.deliver(Deliveries.to(room.members(), Roles.roomState(meetingId, c)), ts);
        return HostDecision.applied();
    }

    /** LOBBY_ON and LOBBY_OFF; turned off, everyone waiting comes in, in their order. */
    HostDecision lobby(String meetingId, RoomMembers room, RoomControl c, boolean on, long ts) {
        c.lobby = on;
        RoomMembers now = room;
        if (!on) {
            for (RoomControl.Waiting w : List.copyOf(c.waiting)) {
                c.waiting.remove(w);
                doors.enter(meetingId, w.member(), w.fingerprint(), c, ts);
            }
            now = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
            lobbyChanged(meetingId, now, c, ts);
        }
        out.deliver(Deliveries.to(now.members(), Roles.roomState(meetingId, c)), ts);
        return HostDecision.applied();
    }

    /** LOBBY_CHANGED: who waits. */
    static RoomEvent waitingList(String meetingId, RoomControl c) {
        return RoomEvent.host(RoomEvent.Type.LOBBY_CHANGED, meetingId, HostEvent.people(waitingPeople(c)));
    }

    /** Who waits in the lobby, one entry per participant, in their order. */
    static List<HostEvent.Person> waitingPeople(RoomControl c) {
        List<HostEvent.Person> people = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (RoomControl.Waiting w : c.waiting) {
            Member m = w.member();
            if (seen.add(m.participantId())) {
                people.add(new HostEvent.Person(m.participantId(), m.displayName(), m.role(), HostEvent.State.LOBBY));
            }
        }
        return people;
    }

    /** Who waits, to the hosts and co-hosts present. */
    private void lobbyChanged(String meetingId, RoomMembers room, RoomControl c, long ts) {
        if (room == null) {
            return;
        }
        List<Member> hosts = room.members().stream()
                .filter(m -> m.role() == Role.HOST || m.role() == Role.COHOST).toList();
        out.deliver(Deliveries.to(hosts, waitingList(meetingId, c)), ts);
    }
}
