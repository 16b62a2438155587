package dev.rendezvous.topics.model;

/**
 * One socket in a room as the other participants see it. A person with two tabs open is two participants
 * with the same {@code participantId} and different {@code socketId}s.
 */
public record Participant(String participantId, String displayName, Role role, String socketId) {}
