package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.HostEvent.Reason;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.MeetingEnded;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.model.SignalRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The room processor's host-control part: roles (host, co-hosts, hand-over), the lobby and the lock at join time,
 * and the requests of {@code room.host.requested} (host actions, hands, reactions, the participants list). Every
 * request is authorised here from the room's own records, never from what the gateway or the page believe; each is
 * answered to its requester (a HOST_RESULT delivery addressed to {@code replyTo}), and remembered by request id so
 * that a replay repeats the answer and none of the effects.
 *
 * <p>Same rules as {@link RoomProcessor}: time is the record's timestamp, the outputs of a record are forwarded
 * before its stores are written (the caller saves the {@link RoomControl} last), bad input is counted, never thrown.
 */
final class HostActions {

    /** What the room processor does for host actions that move sockets in or out of the room. */
    interface Doors {
        /** Puts a socket in the room: roles arranged, JOINED, PARTICIPANT_JOINED, membership, SUBSCRIBE. */
        void enter(String meetingId, Member joiner, String fingerprint, RoomControl c, long ts);

        /**
         * Takes a socket out of the room: roles arranged, PARTICIPANT_LEFT to the others (but {@code untold}: sockets
         * leaving with it), membership, DISCONNECT.
         */
        void exit(String meetingId, Member m, RoomControl c, Set<String> untold, long ts);

        /** Empties the room at once (meeting ended): membership, DISCONNECTs and CLOSE_ROOM to the forwarder. */
        void closeAll(String meetingId, long ts);
    }

    /** Error codes in HOST_RESULT and REJECTED events (docs/protocol.md). */
    static final String FORBIDDEN = "forbidden";
    static final String NOT_JOINED = "not_joined";
    static final String PARTICIPANT_NOT_FOUND = "participant_not_found";
    static final String MEETING_ENDED = "meeting_ended";
    static final String MEETING_LOCKED = "meeting_locked";
    static final String REMOVED = "removed";
    static final String DENIED = "denied";
    static final String UNMUTE_NOT_ALLOWED = "unmute_not_allowed";
    static final String LOBBY_FULL = "lobby_full";
    /** At most this many sockets wait in a room's lobby (the control state is one store value). */
    static final int MAX_WAITING = 200;

    private final RoomTopologyConfig cfg;
    private final RoomOutputs out;
    private final KeyValueStore<String, RoomMembers> rooms;
    private final KeyValueStore<String, RoomControl> controls;
    private final KeyValueStore<String, RoomPlacement> placements;
    private final Doors doors;

    HostActions(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomOutputs out, Doors doors) {
        this.cfg = cfg;
        this.out = out;
        this.rooms = ctx.getStateStore(RoomTopology.MEMBERS_STORE);
        this.controls = ctx.getStateStore(RoomTopology.CONTROL_STORE);
        this.placements = ctx.getStateStore(RoomTopology.PLACEMENTS_STORE);
        this.doors = doors;
    }

    RoomControl load(String meetingId) {
        return Optional.ofNullable(controls.get(meetingId)).orElseGet(RoomControl::new);
    }

    void save(String meetingId, RoomControl c) {
        controls.put(meetingId, c);
    }

    // ---- joins and leaves -------------------------------------------------------------------------

    /**
     * Decides a new socket's JOIN before it enters: refused (meeting ended, participant removed, room locked) with a
     * REJECTED to the socket; put in the lobby (LOBBY to it, the waiting list to hosts and co-hosts); or let in
     * (true). The meeting's creator, the host and co-hosts skip lock and lobby, and so does a participant who
     * already has a socket in the room.
     */
    boolean admitOnJoin(String meetingId, Member joiner, MemberRequest req, RoomMembers room, RoomControl c, long ts) {
        String pid = joiner.participantId();
        if (req.role() == Role.HOST) {
            c.ownerId = pid;   // the gateway checked the token's user created the meeting
        }
        if (req.lobby() != null && !req.lobby().equals(c.storedLobby)) {
            c.storedLobby = req.lobby();   // the stored flag changed (or is seen for the first time): follow it
            c.lobby = req.lobby();
        }
        if (c.ended) {
            refuseJoin(meetingId, joiner, MEETING_ENDED, "the meeting has ended", ts);
            return false;
        }
        if (c.removed.contains(pid)) {
            refuseJoin(meetingId, joiner, REMOVED, "you were removed from this meeting", ts);
            return false;
        }
        boolean skips = c.privileged(pid) || present(room, pid);
        if (!skips && c.locked) {
            refuseJoin(meetingId, joiner, MEETING_LOCKED, "the meeting is locked", ts);
            return false;
        }
        if (!skips && c.lobby) {
            if (c.waitingSocket(joiner.socketId()) == null) {
                if (c.waiting.size() >= MAX_WAITING) {
                    refuseJoin(meetingId, joiner, LOBBY_FULL, "too many people are waiting; try again later", ts);
                    return false;
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

    private void refuseJoin(String meetingId, Member joiner, String code, String message, long ts) {
        out.deliver(Deliveries.toSocket(joiner.gatewayId(), joiner.gatewayPartition(), joiner.socketId(),
                RoomEvent.rejected(meetingId, code, message, meetingId)), ts);
        cfg.metrics().count(Outcome.JOIN_REFUSED);
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

    /**
     * The room with everyone's effective role. The meeting's creator is host while present; nobody is before the
     * creator first comes. When the host leaves, the rights pass to the first co-host present, else to the
     * longest-present registered participant (members are in join order), else to nobody (only guests left).
     * {@code arriving}: a participant entering now; if it is the creator, it takes the host rights back and the
     * stand-in becomes a co-host.
     */
    RoomMembers arrange(RoomControl c, RoomMembers room, String arriving) {
        Set<String> registered = new LinkedHashSet<>();
        for (Member m : room.members()) {
            if (m.role() != Role.GUEST) {
                registered.add(m.participantId());
            }
        }
        if (arriving != null && arriving.equals(c.ownerId) && registered.contains(arriving) && !arriving.equals(c.hostId)) {
            if (c.hostId != null && registered.contains(c.hostId) && !c.cohosts.contains(c.hostId)) {
                c.cohosts.add(c.hostId);
            }
            c.hostId = arriving;
            c.cohosts.remove(arriving);
        }
        if (c.ownerId != null && registered.contains(c.ownerId) && c.hostId == null) {
            c.hostId = c.ownerId;   // the creator is host while present (nobody is before they first come)
        } else if (c.hostId != null && !registered.contains(c.hostId)) {
            // the host left: the rights pass on, to nobody if only guests remain
            String next = c.ownerId != null && registered.contains(c.ownerId) ? c.ownerId
                    : registered.stream().filter(c.cohosts::contains).findFirst()
                            .orElse(registered.stream().findFirst().orElse(null));
            c.hostId = next;
        }
        if (c.hostId != null) {
            c.cohosts.remove(c.hostId);
        }
        List<Member> members = new ArrayList<>(room.members().size());
        for (Member m : room.members()) {
            Role r = m.role() == Role.GUEST ? Role.GUEST
                    : m.participantId().equals(c.hostId) ? Role.HOST
                    : c.cohosts.contains(m.participantId()) ? Role.COHOST : Role.USER;
            members.add(r == m.role() ? m
                    : new Member(m.socketId(), m.gatewayId(), m.gatewayPartition(), m.participantId(), m.displayName(), r, m.joinedAt()));
        }
        return new RoomMembers(members);
    }

    /** Each participant's role (first socket's). */
    static Map<String, Role> roles(RoomMembers room) {
        Map<String, Role> m = new LinkedHashMap<>();
        if (room != null) {
            room.members().forEach(x -> m.putIfAbsent(x.participantId(), x.role()));
        }
        return m;
    }

    /** JOINED for a socket that entered, with the room's control state (host, co-hosts, lock, lobby, hands). */
    static RoomEvent joined(String meetingId, Member joiner, RoomMembers after, RoomControl c) {
        RoomEvent plain = RoomEvent.joined(meetingId, joiner.participant(), after.participants());
        return new RoomEvent(plain.type(), meetingId, plain.participant(), plain.participants(), null, null, null, null,
                null, HostEvent.state(c.state()));
    }

    /** After a socket entered: role changes to the room; to a host or co-host joiner, who waits in the lobby. */
    void entered(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Member joiner, long ts) {
        announceRoles(meetingId, c, before, after, Reason.OWNER_RETURNED, ts);
        if ((joiner.role() == Role.HOST || joiner.role() == Role.COHOST) && !c.waiting.isEmpty()) {
            out.deliver(Deliveries.to(List.of(joiner), RoomEvent.host(RoomEvent.Type.LOBBY_CHANGED, meetingId,
                    HostEvent.people(waitingPeople(c)))), ts);
        }
    }

    /** After a socket left: its hand goes down if it was its participant's last; the host rights may have passed on. */
    void exited(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Member gone, long ts) {
        if (!present(after, gone.participantId())) {
            c.hands.remove(gone.participantId());
        }
        announceRoles(meetingId, c, before, after, Reason.HOST_LEFT, ts);
    }

    private void announceRoles(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Reason why, long ts) {
        Map<String, Role> now = roles(after);
        boolean changed = false;
        for (Map.Entry<String, Role> e : now.entrySet()) {
            Role was = before.get(e.getKey());
            if (was != null && was != e.getValue()) {
                changed = true;
                out.deliver(Deliveries.to(after.members(), RoomEvent.host(RoomEvent.Type.ROLE_CHANGED, meetingId,
                        HostEvent.about(e.getKey()).withRole(e.getValue(), why))), ts);
                if (e.getValue() == Role.HOST || e.getValue() == Role.COHOST) {
                    // a new host or co-host sees who waits
                    out.deliver(Deliveries.to(socketsOf(after, e.getKey()), RoomEvent.host(RoomEvent.Type.LOBBY_CHANGED,
                            meetingId, HostEvent.people(waitingPeople(c)))), ts);
                }
            }
        }
        if (changed) {
            out.deliver(Deliveries.to(after.members(), RoomEvent.host(RoomEvent.Type.ROOM_STATE, meetingId,
                    HostEvent.state(c.state()))), ts);
        }
    }

    private List<HostEvent.Person> waitingPeople(RoomControl c) {
        List<HostEvent.Person> people = new ArrayList<>();
        if (c == null) {
            return people;
        }
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
        out.deliver(Deliveries.to(hosts, RoomEvent.host(RoomEvent.Type.LOBBY_CHANGED, meetingId,
                HostEvent.people(waitingPeople(c)))), ts);
    }

    // ---- media: the host's mute locks -------------------------------------------------------------

    /**
     * A client's publish offer or track update, with the kinds the host locked forced to muted (the person may not
     * unmute them); an attempt to unmute one is told {@code unmute_not_allowed}. Unchanged when nothing is locked.
     */
    SignalRequest enforceMuteLocks(String meetingId, SignalRequest req, long ts) {
        if (req == null || req.signal() == null || req.signal().tracks() == null
                || (req.kind() != SignalRequest.Kind.OFFER && req.kind() != SignalRequest.Kind.TRACK_UPDATE)) {
            return req;
        }
        RoomControl c = controls.get(meetingId);
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> from = room == null || req.socketId() == null ? Optional.empty() : room.find(req.socketId());
        if (c == null || from.isEmpty()) {
            return req;
        }
        RoomControl.MuteLock lock = c.muteLocks.get(from.get().participantId());
        if (lock == null) {
            return req;
        }
        boolean refused = false;
        List<MediaTrack> tracks = new ArrayList<>();
        for (MediaTrack t : req.signal().tracks()) {
            boolean locked = t != null && t.kind() != null && t.source() != MediaTrack.Source.SCREEN
                    && (t.kind() == MediaTrack.Kind.AUDIO ? lock.audio() : lock.video());
            if (locked && !t.muted()) {
                refused = true;
                tracks.add(new MediaTrack(t.mid(), t.socketId(), t.participantId(), t.kind(), t.source(), true));
            } else {
                tracks.add(t);
            }
        }
        if (!refused) {
            return req;
        }
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.socketId(),
                RoomEvent.rejected(meetingId, UNMUTE_NOT_ALLOWED, "the host does not let you unmute", "media")), ts);
        MediaSignal s = req.signal();
        return new SignalRequest(req.meetingId(), req.socketId(), req.gatewayId(), req.gatewayPartition(),
                req.participantId(), req.kind(), new MediaSignal(s.pc(), s.sdp(), tracks, s.socketId(), s.error(),
                s.message(), s.fingerprint()), req.at());
    }

    // ---- requests -----------------------------------------------------------------------------------

    /** A decision: applied, or refused with an outcome class and a code. */
    private record Decision(HostEvent.Outcome outcome, String error, String message, List<HostEvent.Person> people) {
        static Decision applied() {
            return new Decision(HostEvent.Outcome.APPLIED, null, null, null);
        }

        static Decision refused(HostEvent.Outcome o, String code, String message) {
            return new Decision(o, code, message, null);
        }
    }

    /** Actor's rank in the room. */
    private enum Rank { NONE, MEMBER, COHOST, HOST }

    /** Returns false when the request is malformed (the caller counts it). */
    boolean request(String meetingId, HostActionRequest req, long ts) {
        if (req == null || req.action() == null || blank(req.requestId()) || blank(req.gatewayId())
                || req.gatewayPartition() < 0 || blank(req.replyTo()) || blank(req.actorParticipantId())
                || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            return false;
        }
        RoomControl c = load(meetingId);
        if (req.action() != Action.LIST) {
            RoomControl.Decided earlier = c.decided(req.requestId());
            if (earlier != null) {
                reply(meetingId, req, new Decision(earlier.outcome(), earlier.error(), earlier.message(), null), ts);
                cfg.metrics().count(Outcome.HOST_REPEATED);
                return true;
            }
        }
        if (req.actorOwnsMeeting()) {
            c.ownerId = req.actorParticipantId();
        }
        Decision d = decide(meetingId, req, c, ts);
        reply(meetingId, req, d, ts);
        if (req.action() != Action.LIST) {
            c.remember(new RoomControl.Decided(req.requestId(), req.action(), d.outcome(), d.error(), d.message()));
        }
        save(meetingId, c);
        cfg.metrics().count(d.outcome() == HostEvent.Outcome.APPLIED ? Outcome.HOST_APPLIED : Outcome.HOST_REFUSED);
        return true;
    }

    private void reply(String meetingId, HostActionRequest req, Decision d, long ts) {
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.replyTo(),
                RoomEvent.host(RoomEvent.Type.HOST_RESULT, meetingId,
                        HostEvent.result(req.requestId(), req.action(), d.outcome(), d.error(), d.message(), d.people()))), ts);
    }

    private Decision decide(String meetingId, HostActionRequest req, RoomControl c, long ts) {
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        String actor = req.actorParticipantId();
        Member actorSocket = null;
        if (req.actorSocketId() != null) {
            Optional<Member> m = room.find(req.actorSocketId());
            if (m.isEmpty()) {
                return Decision.refused(HostEvent.Outcome.FORBIDDEN, NOT_JOINED, "join the meeting first");
            }
            actorSocket = m.get();
            actor = actorSocket.participantId();   // the member record, not the request, says who it is
        }
        Rank rank = rank(c, room, actor, req.actorOwnsMeeting() || actor.equals(c.ownerId));
        Action a = req.action();
        Rank needed = switch (a) {
            case LIST, RAISE_HAND, REACT -> Rank.MEMBER;
            case LOWER_HAND -> req.target() == null || req.target().equals(actor) ? Rank.MEMBER : Rank.COHOST;
            case PROMOTE, DEMOTE -> Rank.HOST;
            default -> Rank.COHOST;
        };
        if (rank.compareTo(needed) < 0) {
            return Decision.refused(HostEvent.Outcome.FORBIDDEN, FORBIDDEN, switch (needed) {
                case HOST -> "only the host may do this";
                case COHOST -> "only the host and co-hosts may do this";
                default -> "only people in the meeting may do this";
            });
        }
        if (c.ended) {
            if (a == Action.LIST) {
                return new Decision(HostEvent.Outcome.APPLIED, null, null, List.of());
            }
            return Decision.refused(HostEvent.Outcome.CONFLICT, MEETING_ENDED, "the meeting has ended");
        }
        if ((a == Action.RAISE_HAND || a == Action.REACT) && actorSocket == null) {
            return Decision.refused(HostEvent.Outcome.FORBIDDEN, NOT_JOINED, "join the meeting first");
        }
        String target = a == Action.LOWER_HAND && req.target() == null ? actor : req.target();
        String actorId = actor;
        boolean needsTarget = switch (a) {
            case ADMIT, DENY, REMOVE, MUTE, PROMOTE, DEMOTE -> true;
            default -> false;
        };
        if (needsTarget && blank(target)) {
            return Decision.refused(HostEvent.Outcome.INVALID, "invalid_request", "this action needs a participant");
        }
        if (needsTarget && rank == Rank.COHOST && (target.equals(c.hostId) || target.equals(c.ownerId))
                && (a == Action.REMOVE || a == Action.MUTE)) {
            return Decision.refused(HostEvent.Outcome.FORBIDDEN, FORBIDDEN, "a co-host cannot act on the host");
        }
        return switch (a) {
            case LIST -> new Decision(HostEvent.Outcome.APPLIED, null, null, roster(room, c));
            case RAISE_HAND -> hand(meetingId, room, c, actor, true, null, req.requestId(), ts);
            case LOWER_HAND -> present(room, target) ? hand(meetingId, room, c, target, false,
                    target.equals(actor) ? null : actor, req.requestId(), ts) : notFound();
            case REACT -> react(meetingId, room, actor, req, ts);
            case ADMIT -> admit(meetingId, room, c, target, ts);
            case DENY -> deny(meetingId, room, c, target, ts);
            case REMOVE -> remove(meetingId, room, c, actor, target, req.requestId(), ts);
            case MUTE -> present(room, target) ? mute(meetingId, room, c, List.of(target), actor, muteOf(req), req.requestId(), ts)
                    : notFound();
            case MUTE_ALL -> mute(meetingId, room, c, roles(room).entrySet().stream()
                    .filter(e -> e.getValue() == Role.USER || e.getValue() == Role.GUEST)
                    .map(Map.Entry::getKey).filter(p -> !p.equals(actorId)).toList(),
                    actorId, muteOf(req), req.requestId(), ts);
            case PROMOTE -> promote(meetingId, room, c, target, ts);
            case DEMOTE -> demote(meetingId, room, c, target, ts);
            case END -> end(meetingId, room, c, actor, req.requestId(), ts);
            case LOCK, UNLOCK -> {
                c.locked = a == Action.LOCK;
                roomState(meetingId, room, c, ts);
                yield Decision.applied();
            }
            case LOBBY_ON -> {
                c.lobby = true;
                roomState(meetingId, room, c, ts);
                yield Decision.applied();
            }
            case LOBBY_OFF -> {
                c.lobby = false;
                // everyone waiting comes in, in their order
                for (RoomControl.Waiting w : List.copyOf(c.waiting)) {
                    c.waiting.remove(w);
                    doors.enter(meetingId, w.member(), w.fingerprint(), c, ts);
                }
                RoomMembers now = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
                lobbyChanged(meetingId, now, c, ts);
                roomState(meetingId, now, c, ts);
                yield Decision.applied();
            }
            case RECORD_START, RECORD_STOP -> Decision.refused(HostEvent.Outcome.CONFLICT, "unsupported",
                    "recording is not available yet");
        };
    }

    private static Rank rank(RoomControl c, RoomMembers room, String actor, boolean owner) {
        if (owner || actor.equals(c.hostId)) {
            return Rank.HOST;
        }
        if (c.cohosts.contains(actor)) {
            return Rank.COHOST;
        }
        return present(room, actor) ? Rank.MEMBER : Rank.NONE;
    }

    private static HostActionRequest.Mute muteOf(HostActionRequest req) {
        HostActionRequest.Mute m = req.mute();
        if (m == null || (!m.audio() && !m.video())) {
            return new HostActionRequest.Mute(true, false, m == null || m.allowUnmute());   // nothing said: the microphone
        }
        return m;
    }

    private static Decision notFound() {
        return Decision.refused(HostEvent.Outcome.NOT_FOUND, PARTICIPANT_NOT_FOUND, "no such participant in this meeting");
    }

    private List<HostEvent.Person> roster(RoomMembers room, RoomControl c) {
        List<HostEvent.Person> people = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Member m : room.members()) {
            if (seen.add(m.participantId())) {
                people.add(new HostEvent.Person(m.participantId(), m.displayName(), m.role(), HostEvent.State.IN));
            }
        }
        people.addAll(waitingPeople(c));
        return people;
    }

    private Decision hand(String meetingId, RoomMembers room, RoomControl c, String who, boolean up, String by,
                          String requestId, long ts) {
        boolean changed = up ? !c.hands.contains(who) && c.hands.add(who) : c.hands.remove(who);
        if (changed) {
            HostEvent e = HostEvent.about(who).withHand(up);
            out.deliver(Deliveries.to(room.members(), RoomEvent.host(RoomEvent.Type.HAND, meetingId,
                    by == null ? e : e.withBy(by, requestId))), ts);
        }
        return Decision.applied();
    }

    private Decision react(String meetingId, RoomMembers room, String actor, HostActionRequest req, long ts) {
        if (req.reaction() == null) {
            return Decision.refused(HostEvent.Outcome.INVALID, "invalid_request", "a reaction needs one of the reactions");
        }
        out.deliver(Deliveries.to(room.members(), RoomEvent.host(RoomEvent.Type.REACTION, meetingId,
                HostEvent.about(actor).withReaction(req.reaction()))), ts);
        return Decision.applied();
    }

    private Decision admit(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        List<RoomControl.Waiting> waiting = c.waitingOf(target);
        if (!waiting.isEmpty()) {
            for (RoomControl.Waiting w : waiting) {
                c.waiting.remove(w);
                doors.enter(meetingId, w.member(), w.fingerprint(), c, ts);
            }
            lobbyChanged(meetingId, rooms.get(meetingId), c, ts);
            return Decision.applied();
        }
        if (c.removed.remove(target)) {
            return Decision.applied();   // may join again
        }
        return present(room, target)
                ? Decision.refused(HostEvent.Outcome.CONFLICT, "not_waiting", "this participant is not waiting in the lobby")
                : notFound();
    }

    private Decision deny(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        List<RoomControl.Waiting> waiting = c.waitingOf(target);
        if (waiting.isEmpty()) {
            return present(room, target)
                    ? Decision.refused(HostEvent.Outcome.CONFLICT, "not_waiting", "this participant is not waiting in the lobby")
                    : notFound();
        }
        for (RoomControl.Waiting w : waiting) {
            c.waiting.remove(w);
            Member m = w.member();
            out.deliver(Deliveries.toSocket(m.gatewayId(), m.gatewayPartition(), m.socketId(),
                    RoomEvent.rejected(meetingId, DENIED, "the host did not let you in", meetingId)), ts);
        }
        lobbyChanged(meetingId, room, c, ts);
        return Decision.applied();
    }

    private Decision remove(String meetingId, RoomMembers room, RoomControl c, String actor, String target,
                            String requestId, long ts) {
        if (target.equals(actor)) {
            return Decision.refused(HostEvent.Outcome.CONFLICT, "cannot_remove_yourself", "leave the meeting instead");
        }
        List<Member> sockets = socketsOf(room, target);
        if (sockets.isEmpty()) {
            return notFound();
        }
        if (!c.removed.contains(target)) {
            c.removed.add(target);
        }
        c.cohosts.remove(target);
        c.muteLocks.remove(target);
        out.deliver(Deliveries.to(sockets, RoomEvent.host(RoomEvent.Type.REMOVED, meetingId,
                HostEvent.about(target).withReason(Reason.REMOVED_BY_HOST).withBy(actor, requestId))), ts);
        Set<String> leaving = new LinkedHashSet<>();
        sockets.forEach(m -> leaving.add(m.socketId()));
        for (Member m : sockets) {
            doors.exit(meetingId, m, c, leaving, ts);
        }
        return Decision.applied();
    }

    private Decision mute(String meetingId, RoomMembers room, RoomControl c, List<String> targets, String actor,
                          HostActionRequest.Mute mute, String requestId, long ts) {
        RoomPlacement placement = placements.get(meetingId);
        for (String target : targets) {
            RoomControl.MuteLock was = c.muteLocks.get(target);
            boolean lockAudio = mute.audio() ? !mute.allowUnmute() : was != null && was.audio();
            boolean lockVideo = mute.video() ? !mute.allowUnmute() : was != null && was.video();
            if (lockAudio || lockVideo) {
                c.muteLocks.put(target, new RoomControl.MuteLock(lockAudio, lockVideo));
            } else {
                c.muteLocks.remove(target);
            }
            List<Member> sockets = socketsOf(room, target);
            for (Member m : sockets) {
                if (placement != null) {
                    // the forwarder stops forwarding the producers of those sources (mid null: matched by source)
                    List<MediaTrack> tracks = new ArrayList<>();
                    if (mute.audio()) {
                        tracks.add(new MediaTrack(null, m.socketId(), target, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true));
                    }
                    if (mute.video()) {
                        tracks.add(new MediaTrack(null, m.socketId(), target, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, true));
                    }
                    String fwd = placement.primaryForwarderId();
                    out.command(new ForwarderCommand(fwd, meetingId, m.socketId(), target,
                            ForwarderCommand.Kind.TRACK_UPDATE, MediaSignal.trackUpdate(tracks), Instant.ofEpochMilli(ts)), ts);
                }
            }
            out.deliver(Deliveries.to(sockets, RoomEvent.host(RoomEvent.Type.MUTED, meetingId,
                    HostEvent.about(target).withMute(mute).withBy(actor, requestId))), ts);
        }
        return Decision.applied();
    }

    private Decision promote(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        Role r = roles(room).get(target);
        if (r == null) {
            return notFound();
        }
        if (r == Role.GUEST) {
            return Decision.refused(HostEvent.Outcome.CONFLICT, "guest_cannot_be_cohost", "guests cannot be co-hosts");
        }
        if (r != Role.USER) {
            return Decision.refused(HostEvent.Outcome.CONFLICT, "already_cohost", "this participant is already host or co-host");
        }
        c.cohosts.add(target);
        rearrange(meetingId, room, c, Reason.PROMOTED, ts);
        return Decision.applied();
    }

    private Decision demote(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        Role r = roles(room).get(target);
        if (r == null && !c.cohosts.contains(target)) {
            return notFound();
        }
        if (!c.cohosts.contains(target)) {
            return Decision.refused(HostEvent.Outcome.CONFLICT, "not_cohost", "this participant is not a co-host");
        }
        c.cohosts.remove(target);
        rearrange(meetingId, room, c, Reason.DEMOTED, ts);
        return Decision.applied();
    }

    private void rearrange(String meetingId, RoomMembers room, RoomControl c, Reason why, long ts) {
        RoomMembers after = arrange(c, room, null);
        announceRoles(meetingId, c, roles(room), after, why, ts);
        if (!after.equals(room)) {
            rooms.put(meetingId, after);
        }
    }

    private Decision end(String meetingId, RoomMembers room, RoomControl c, String actor, String requestId, long ts) {
        List<Member> everyone = new ArrayList<>(room.members());
        c.waiting.forEach(w -> everyone.add(w.member()));
        out.deliver(Deliveries.to(everyone, RoomEvent.host(RoomEvent.Type.MEETING_ENDED, meetingId,
                HostEvent.about(null).withReason(Reason.ENDED_BY_HOST).withBy(actor, requestId))), ts);
        out.emit(meetingId, new RoomOutput.Ended(new MeetingEnded(meetingId, Instant.ofEpochMilli(ts), actor, requestId)), ts);
        c.ended = true;
        c.waiting.clear();
        c.hands.clear();
        c.muteLocks.clear();
        if (!room.isEmpty()) {
            doors.closeAll(meetingId, ts);
        }
        return Decision.applied();
    }

    private void roomState(String meetingId, RoomMembers room, RoomControl c, long ts) {
        out.deliver(Deliveries.to(room.members(), RoomEvent.host(RoomEvent.Type.ROOM_STATE, meetingId, HostEvent.state(c.state()))), ts);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static boolean present(RoomMembers room, String participantId) {
        return room != null && participantId != null
                && room.members().stream().anyMatch(m -> m.participantId().equals(participantId));
    }

    static List<Member> socketsOf(RoomMembers room, String participantId) {
        return room == null ? List.of()
                : room.members().stream().filter(m -> m.participantId().equals(participantId)).toList();
    }


    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
