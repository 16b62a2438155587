package dev.rendezvous.topics.model;

import java.time.Instant;
import java.util.List;

/** The sockets in a room after a change (compacted topic {@code room.membership.changed}, key = meeting id). */
public record RoomMembership(String meetingId, List<Member> members, Instant updatedAt) {

    public RoomMembership {
        members = List.copyOf(members);
    }
}
