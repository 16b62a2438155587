package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.Participant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The room processor's in-memory view of a room: its sockets in the order they joined (stored one entry per socket by
 * {@link RoomMemberStore}). Immutable; the
 * "with" methods return a new value.
 */
public record RoomMembers(List<Member> members) {

    public RoomMembers {
        members = members == null ? List.of() : List.copyOf(members);
    }

    public static RoomMembers empty() {
        return new RoomMembers(List.of());
    }

    public Optional<Member> find(String socketId) {
        return members.stream().filter(m -> m.socketId().equals(socketId)).findFirst();
    }

    public RoomMembers with(Member m) {
        List<Member> l = new ArrayList<>(members);
        l.add(m);
        return new RoomMembers(l);
    }

    public RoomMembers without(String socketId) {
        return new RoomMembers(members.stream().filter(m -> !m.socketId().equals(socketId)).toList());
    }

    public List<Member> othersThan(String socketId) {
        return members.stream().filter(m -> !m.socketId().equals(socketId)).toList();
    }

    /** Whether the participant has at least one socket in the room. */
    public boolean has(String participantId) {
        return participantId != null && members.stream().anyMatch(m -> m.participantId().equals(participantId));
    }

    /** People in the room: a participant with several sockets counts once. */
    public long participantCount() {
        return members.stream().map(Member::participantId).distinct().count();
    }

    /** The participant's sockets, in join order. */
    public List<Member> socketsOf(String participantId) {
        return members.stream().filter(m -> m.participantId().equals(participantId)).toList();
    }

    public List<Participant> participants() {
        return members.stream().map(Member::participant).toList();
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }
}
