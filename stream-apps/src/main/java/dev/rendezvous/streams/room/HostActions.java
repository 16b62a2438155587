package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.SignalRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The room processor's host-control part: the requests of {@code room.host.requested} (host actions, hands,
 * reactions, the participants list), and the hooks of joins and leaves. Every request is authorised here from the
 * room's own records, never from what the gateway or the page believe; each is answered to its requester (a
 * HOST_RESULT delivery addressed to {@code replyTo}), and remembered by request id so that a replay repeats the
 * answer and none of the effects. What a request does is the work of {@link Roles} (roles, host hand-over),
 * {@link Admission} (lock, lobby, joins), {@link Moderation} (remove, mute and mute locks, end), {@link Hands}
 * (hands, reactions) and {@link Recordings} (start, stop); all their outputs go out through {@link RoomOutputs}.
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

    /** Actor's rank in the room. */
    private enum Rank {
        NONE, MEMBER, COHOST, HOST;

        /** The host rights this rank gives, as a role: HOST, COHOST, else USER (none; never null, which an older processor sends). */
        Role rights() {
            return this == HOST ? Role.HOST : this == COHOST ? Role.COHOST : Role.USER;
        }
    }

    private final RoomTopologyConfig cfg;
    private final RoomOutputs out;
    /** The applied requests that count as host actions for analytics (not LIST, hands, reactions). */
    private static final java.util.Set<Action> HOST_ANALYTICS = java.util.EnumSet.complementOf(
            java.util.EnumSet.of(Action.LIST, Action.RAISE_HAND, Action.LOWER_HAND, Action.REACT));
    private final RoomMemberStore rooms;
    private final KeyValueStore<String, RoomControl> controls;
    private final Roles roles;
    private final Admission admission;
    private final Moderation moderation;
    private final Hands hands;
    private final Recordings recordings;

    HostActions(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomOutputs out, Doors doors,
                RoomMemberStore rooms) {
        this.cfg = cfg;
        this.out = out;
        this.rooms = rooms;
        this.controls = ctx.getStateStore(RoomTopology.CONTROL_STORE);
        this.roles = new Roles(rooms, out);
        this.admission = new Admission(cfg, rooms, out, doors);
        this.moderation = new Moderation(rooms, controls, ctx.getStateStore(RoomTopology.PLACEMENTS_STORE), out, doors);
        this.hands = new Hands(out);
        this.recordings = new Recordings(ctx.getStateStore(RoomTopology.PLACEMENTS_STORE), out);
    }

    RoomControl load(String meetingId) {
        return Optional.ofNullable(controls.get(meetingId)).orElseGet(RoomControl::new);
    }

    /** Stores the room's control as changed by a record of time {@code ts} (which {@link ControlSweep} goes by). */
    void save(String meetingId, RoomControl c, long ts) {
        c.touchedAt = ts;
        controls.put(meetingId, c);
    }

    /**
     * Stores a refused request among the decided ones (a replay after a crash repeats the answer, whatever joined
     * since), without keeping the room from being forgotten: a refusal changes nothing, so it leaves the record's
     * time as it was, and a room that had no record gets one old enough for {@link ControlSweep}'s next walk to
     * forget (anyone may send a refused request; it must not keep a room's record alive).
     */
    private void keepRefusal(String meetingId, RoomControl c, boolean noRecordBefore) {
        if (noRecordBefore) {
            c.touchedAt = 1;
        }
        controls.put(meetingId, c);
    }

    // ---- joins, leaves and signals (the room processor's hooks) ------------------------------------

    /** See {@link Admission#admitOnJoin}: false when the JOIN was refused or put in the lobby. */
    boolean admitOnJoin(String meetingId, Member joiner, MemberRequest req, RoomMembers room, RoomControl c, long ts) {
        return admission.admitOnJoin(meetingId, joiner, req, room, c, ts);
    }

    /** See {@link Admission#leftLobby}. */
    boolean leftLobby(String meetingId, String socketId, RoomControl c, long ts) {
        return admission.leftLobby(meetingId, socketId, c, ts);
    }

    /** See {@link Roles#arrange}. */
    RoomMembers arrange(RoomControl c, RoomMembers room, String arriving) {
        return roles.arrange(c, room, arriving);
    }

    /** See {@link Roles#entered}. */
    void entered(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Member joiner, long ts) {
        roles.entered(meetingId, c, before, after, joiner, ts);
        if (c.muteOnEntry && !c.privileged(joiner.participantId())) {
            moderation.muteOnEntry(meetingId, after, c, joiner, ts);
        }
    }

    /** See {@link Roles#exited}. */
    void exited(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Member gone, long ts) {
        roles.exited(meetingId, c, before, after, gone, ts);
        if (after.isEmpty()) {
            recordings.stopRunning(meetingId, after, c, ts);   // the forwarder closes the empty room
        }
    }

    /** See {@link Moderation#enforceMuteLocks}. */
    SignalRequest enforceMuteLocks(String meetingId, SignalRequest req, long ts) {
        return moderation.enforceMuteLocks(meetingId, req, ts);
    }

    // ---- requests -----------------------------------------------------------------------------------

    /** Returns false when the request is malformed (the caller counts it). */
    boolean request(String meetingId, HostActionRequest req, long ts) {
        if (req == null || req.action() == null || blank(req.requestId()) || blank(req.gatewayId())
                || req.gatewayPartition() < 0 || blank(req.replyTo()) || blank(req.actorParticipantId())
                || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            return false;
        }
        RoomControl stored = controls.get(meetingId);
        RoomControl c = stored != null ? stored : new RoomControl();
        if (req.action() != Action.LIST) {
            RoomControl.Decided earlier = c.decided(req.requestId());
            if (earlier != null) {
                reply(meetingId, req, HostDecision.again(earlier), ts);
                cfg.metrics().count(Outcome.HOST_REPEATED);
                return true;
            }
        }
        if (req.actorOwnsMeeting()) {
            c.ownerId = req.actorParticipantId();
        }
        HostDecision d = decide(meetingId, req, c, ts);
        reply(meetingId, req, d, ts);
        if (d.outcome() == HostEvent.Outcome.APPLIED && HOST_ANALYTICS.contains(req.action())) {
            out.emit(meetingId, new RoomOutput.Analytics(AnalyticsEvent.HostAction.of(meetingId, Instant.ofEpochMilli(ts),
                    req.requestId(), req.actorParticipantId(), req.action(), req.target())), ts);
        }
        if (req.action() != Action.LIST) {
            c.remember(new RoomControl.Decided(req.requestId(), req.action(), d.outcome(), d.error(), d.message()));
        }
        if (req.action() != Action.LIST) {   // a LIST reads and changes nothing: it is not remembered
            if (d.outcome() == HostEvent.Outcome.APPLIED) {
                save(meetingId, c, ts);
            } else {
                keepRefusal(meetingId, c, stored == null);
            }
        }
        cfg.metrics().count(d.outcome() == HostEvent.Outcome.APPLIED ? Outcome.HOST_APPLIED : Outcome.HOST_REFUSED);
        return true;
    }

    private void reply(String meetingId, HostActionRequest req, HostDecision d, long ts) {
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.replyTo(),
                RoomEvent.host(RoomEvent.Type.HOST_RESULT, meetingId,
                        HostEvent.result(req.requestId(), req.action(), d.outcome(), d.error(), d.message(), d.people())
                                .withRights(d.actorRights()))), ts);
    }

    private HostDecision decide(String meetingId, HostActionRequest req, RoomControl c, long ts) {
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        String actor = req.actorParticipantId();
        Member actorSocket = null;
        if (req.actorSocketId() != null) {
            Optional<Member> m = room.find(req.actorSocketId());
            if (m.isEmpty()) {
                return HostDecision.refused(HostEvent.Outcome.FORBIDDEN, HostError.NOT_JOINED, "join the meeting first");
            }
            actorSocket = m.get();
            actor = actorSocket.participantId();   // the member record, not the request, says who it is
        }
        Rank rank = rank(c, room, actor, req.actorOwnsMeeting() || actor.equals(c.ownerId));
        Action a = req.action();
        Rank needed = switch (a) {
            case LIST, RAISE_HAND, REACT -> Rank.MEMBER;
            case LOWER_HAND -> req.target() == null || req.target().equals(actor) ? Rank.MEMBER : Rank.COHOST;
            default -> Rank.COHOST;   // promote and demote too: the contract gives co-hosts every host action
        };
        if (rank.compareTo(needed) < 0) {
            return HostDecision.refused(HostEvent.Outcome.FORBIDDEN, HostError.FORBIDDEN, switch (needed) {
                case HOST -> "only the host may do this";
                case COHOST -> "only the host and co-hosts may do this";
                default -> "only people in the meeting may do this";
            });
        }
        if (c.ended) {
            if (a == Action.LIST) {
                return HostDecision.listed(List.of(), rank.rights());
            }
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.MEETING_ENDED, "the meeting has ended");
        }
        if ((a == Action.RAISE_HAND || a == Action.REACT) && actorSocket == null) {
            return HostDecision.refused(HostEvent.Outcome.FORBIDDEN, HostError.NOT_JOINED, "join the meeting first");
        }
        String target = a == Action.LOWER_HAND && req.target() == null ? actor : req.target();
        boolean needsTarget = switch (a) {
            case ADMIT, DENY, REMOVE, MUTE, PROMOTE, DEMOTE -> true;
            default -> false;
        };
        if (needsTarget && blank(target)) {
            return HostDecision.refused(HostEvent.Outcome.INVALID, HostError.INVALID_REQUEST, "this action needs a participant");
        }
        if (needsTarget && rank == Rank.COHOST && (target.equals(c.hostId) || target.equals(c.ownerId))
                && (a == Action.REMOVE || a == Action.MUTE)) {
            return HostDecision.refused(HostEvent.Outcome.FORBIDDEN, HostError.FORBIDDEN, "a co-host cannot act on the host");
        }
        String requestId = req.requestId();
        return switch (a) {
            case LIST -> HostDecision.listed(roster(room, c), rank.rights());
            case RAISE_HAND -> hands.raise(meetingId, room, c, actor, requestId, ts);
            case LOWER_HAND -> hands.lower(meetingId, room, c, actor, target, requestId, ts);
            case REACT -> hands.react(meetingId, room, actor, req, ts);
            case ADMIT -> admission.admit(meetingId, room, c, target, ts);
            case DENY -> admission.deny(meetingId, room, c, target, ts);
            case LOCK, UNLOCK -> admission.lock(meetingId, room, c, a == Action.LOCK, ts);
            case LOBBY_ON, LOBBY_OFF -> admission.lobby(meetingId, room, c, a == Action.LOBBY_ON, ts);
            case PROMOTE -> roles.promote(meetingId, room, c, target, ts);
            case DEMOTE -> roles.demote(meetingId, room, c, target, ts);
            case REMOVE -> moderation.remove(meetingId, room, c, actor, target, requestId, ts);
            case MUTE -> moderation.mute(meetingId, room, c, target, actor, req, ts);
            case MUTE_ALL -> moderation.muteAll(meetingId, room, c, actor, req, ts);
            case END -> {
                recordings.stopRunning(meetingId, room, c, ts);
                yield moderation.end(meetingId, room, c, actor, requestId, ts);
            }
            case RECORD_START -> recordings.start(meetingId, room, c, actor, req, ts);
            case RECORD_STOP -> recordings.stop(meetingId, room, c, req, ts);
        };
    }

    private static Rank rank(RoomControl c, RoomMembers room, String actor, boolean owner) {
        if (owner || actor.equals(c.hostId)) {
            return Rank.HOST;
        }
        if (c.cohosts.contains(actor)) {
            return Rank.COHOST;
        }
        return room.has(actor) ? Rank.MEMBER : Rank.NONE;
    }

    /** LIST: who is in (one entry per participant, with the role), then who waits. */
    private static List<HostEvent.Person> roster(RoomMembers room, RoomControl c) {
        List<HostEvent.Person> people = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Member m : room.members()) {
            if (seen.add(m.participantId())) {
                people.add(new HostEvent.Person(m.participantId(), m.displayName(), m.role(), HostEvent.State.IN));
            }
        }
        people.addAll(Admission.waitingPeople(c));
        return people;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
