package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.HostEvent.Reason;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Host controls, roles: everyone's effective role from the room's {@link RoomControl} (the creator, the host, the
 * co-hosts), the hand-over of the host rights when the host leaves or the creator comes back, PROMOTE and DEMOTE,
 * and the ROLE_CHANGED and ROOM_STATE events that tell the room. Part of {@link HostActions}.
 */
final class Roles {

    private final RoomMemberStore rooms;
    private final RoomOutputs out;

    Roles(RoomMemberStore rooms, RoomOutputs out) {
        this.rooms = rooms;
        this.out = out;
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
                    : new Member(m.socketId(), m.gatewayId(), m.gatewayPartition(), m.participantId(), m.displayName(), r, m.joinedAt(), m.region()));
        }
        return new RoomMembers(members);
    }

    /** Each participant's role (first socket's). */
    static Map<String, Role> of(RoomMembers room) {
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

    /** ROOM_STATE: the room's host, co-hosts, lock, lobby and hands. */
    static RoomEvent roomState(String meetingId, RoomControl c) {
        return RoomEvent.host(RoomEvent.Type.ROOM_STATE, meetingId, HostEvent.state(c.state()));
    }

    /** After a socket entered: role changes to the room; to a host or co-host joiner, who waits in the lobby. */
    void entered(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Member joiner, long ts) {
        announce(meetingId, c, before, after, Reason.OWNER_RETURNED, ts);
        if ((joiner.role() == Role.HOST || joiner.role() == Role.COHOST) && !c.waiting.isEmpty()) {
            out.deliver(Deliveries.to(List.of(joiner), Admission.waitingList(meetingId, c)), ts);
        }
    }

    /** After a socket left: its hand goes down if it was its participant's last; the host rights may have passed on. */
    void exited(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Member gone, long ts) {
        if (!after.has(gone.participantId())) {
            c.hands.remove(gone.participantId());
        }
        announce(meetingId, c, before, after, Reason.HOST_LEFT, ts);
    }

    HostDecision promote(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        Role r = of(room).get(target);
        if (r == null) {
            return HostDecision.notFound();
        }
        if (r == Role.GUEST) {
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.GUEST_CANNOT_BE_COHOST, "guests cannot be co-hosts");
        }
        if (r != Role.USER) {
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.ALREADY_COHOST,
                    "this participant is already host or co-host");
        }
        c.cohosts.add(target);
        rearrange(meetingId, room, c, Reason.PROMOTED, ts);
        return HostDecision.applied();
    }

    HostDecision demote(String meetingId, RoomMembers room, RoomControl c, String target, long ts) {
        Role r = of(room).get(target);
        if (r == null && !c.cohosts.contains(target)) {
            return HostDecision.notFound();
        }
        if (!c.cohosts.contains(target)) {
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.NOT_COHOST, "this participant is not a co-host");
        }
        c.cohosts.remove(target);
        rearrange(meetingId, room, c, Reason.DEMOTED, ts);
        return HostDecision.applied();
    }

    private void rearrange(String meetingId, RoomMembers room, RoomControl c, Reason why, long ts) {
        RoomMembers after = arrange(c, room, null);
        announce(meetingId, c, of(room), after, why, ts);
        if (!after.equals(room)) {
            rooms.put(meetingId, after);
        }
    }

    /** ROLE_CHANGED for each participant whose role changed (and the waiting list to a new host or co-host). */
    private void announce(String meetingId, RoomControl c, Map<String, Role> before, RoomMembers after, Reason why, long ts) {
        Map<String, Role> now = of(after);
        boolean changed = false;
        for (Map.Entry<String, Role> e : now.entrySet()) {
            Role was = before.get(e.getKey());
            if (was != null && was != e.getValue()) {
                changed = true;
                out.deliver(Deliveries.to(after.members(), RoomEvent.host(RoomEvent.Type.ROLE_CHANGED, meetingId,
                        HostEvent.about(e.getKey()).withRole(e.getValue(), why))), ts);
                if (e.getValue() == Role.HOST || e.getValue() == Role.COHOST) {
                    // a new host or co-host sees who waits
                    out.deliver(Deliveries.to(after.socketsOf(e.getKey()), Admission.waitingList(meetingId, c)), ts);
                }
            }
        }
        if (changed) {
            out.deliver(Deliveries.to(after.members(), roomState(meetingId, c)), ts);
        }
    }
}
