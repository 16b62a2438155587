package dev.rendezvous.gateway.store;

import java.time.Instant;

/** One stored chat message (a row of stream-apps' {@code chat_messages}). */
public record HistoryMessage(long seq, String clientMsgId, String senderId, String senderName, String text, Instant sentAt) {}
