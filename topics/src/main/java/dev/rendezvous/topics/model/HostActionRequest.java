package dev.rendezvous.topics.model;

import java.time.Instant;

/** The host asks to act on the room (topic {@code room.host.requested}, key = meeting id). */
public record HostActionRequest(
        String meetingId,
        Action action,
        String actorParticipantId,
        String actorSocketId,
        String gatewayId,
        int gatewayPartition,
        String targetParticipantId,
        Instant at) {

    public enum Action { ADMIT, REMOVE, MUTE, END, RECORD_START, RECORD_STOP }
}
