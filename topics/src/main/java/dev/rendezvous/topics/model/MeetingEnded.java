package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A meeting was ended for all (topic {@code room.meeting.ended}, key = meeting id). The gateway stores
 * {@code endedAt} in PostgreSQL ({@code meetings.ended_at}); a repeat (a replay) changes nothing there.
 */
public record MeetingEnded(String meetingId, Instant endedAt, String byParticipantId, String requestId) {}
