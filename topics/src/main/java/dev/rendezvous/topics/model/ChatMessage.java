package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * An accepted chat message with its per-meeting sequence number (topic {@code chat.message.accepted}, key =
 * meeting id). {@code (meetingId, clientMsgId)} identifies it; {@code seq} orders it within the meeting.
 */
public record ChatMessage(
        String meetingId,
        long seq,
        String clientMsgId,
        String senderId,
        String senderName,
        String text,
        Instant sentAt) {}
