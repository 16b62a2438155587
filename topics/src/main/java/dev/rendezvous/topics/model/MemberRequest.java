package dev.rendezvous.topics.model;

import java.time.Instant;

/** A socket asks to join or says it left a meeting (topic {@code room.member.requested}, key = meeting id). */
public record MemberRequest(
        Action action,
        String meetingId,
        String socketId,
        String gatewayId,
        int gatewayPartition,
        String participantId,
        String displayName,
        Role role,
        Instant at) {

    public enum Action { JOIN, LEAVE }

    public Member member() {
        return new Member(socketId, gatewayId, gatewayPartition, participantId, displayName, role, at);
    }
}
