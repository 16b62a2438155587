package dev.rendezvous.topics.model;

import java.time.Instant;
import java.util.List;

/** Which forwarder hosts a room, and its standbys (compacted topic {@code room.placement.assigned}). */
public record RoomPlacement(
        String meetingId,
        String primaryForwarderId,
        List<String> standbyForwarderIds,
        Status status,
        Instant at) {

    public enum Status { ACTIVE, MIGRATING, CLOSED }

    public RoomPlacement {
        standbyForwarderIds = List.copyOf(standbyForwarderIds);
    }
}
