package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * One socket in a room with its address: which gateway holds it and which delivery partition that gateway reads.
 * {@code region} (optional): the client's region hint, which placement matches with forwarders' region labels.
 */
public record Member(
        String socketId,
        String gatewayId,
        int gatewayPartition,
        String participantId,
        String displayName,
        Role role,
        Instant joinedAt,
        String region) {

    public Member(String socketId, String gatewayId, int gatewayPartition, String participantId, String displayName,
                  Role role, Instant joinedAt) {
        this(socketId, gatewayId, gatewayPartition, participantId, displayName, role, joinedAt, null);
    }

    public Participant participant() {
        return new Participant(participantId, displayName, role, socketId);
    }
}
