package dev.rendezvous.streams.room;

/**
 * One value of the {@code chat-closed} store: a room that closed with a chat window, kept until PostgreSQL is known to
 * hold its last message ({@link ChatWindows#expireClosed}).
 *
 * @param closedAt the record time of the input that closed the room (epoch ms)
 * @param lastSeq  the window's last sequence number when it closed
 */
public record ClosedChat(long closedAt, long lastSeq) {}
