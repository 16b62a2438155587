package dev.rendezvous.topics.model;

import java.time.Instant;

/** One socket in a room with its address: which gateway holds it and which delivery partition that gateway reads. */
public record Member(
        String socketId,
        String gatewayId,
        int gatewayPartition,
        String participantId,
        String displayName,
        Role role,
        Instant joinedAt) {

    public Participant participant() {
        return new Participant(participantId, displayName, role, socketId);
    }
}
