package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.RoomEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's chat: validates a message, gives it the room's next sequence number (or recognises a retry by its
 * (sender, clientMsgId)), and sends it to everyone in the room and to {@code chat.message.accepted}. The room's chat
 * window ({@link ChatWindows}: last seq and the recent ids, bounded by the dedup window) is deleted after the room
 * closed, once PostgreSQL holds its last message; a room without a window rebuilds it from the newest messages stored
 * in PostgreSQL ({@link ChatHistory}, asked for when the room opens), so sequence numbers never go backwards and a message already stored keeps its seq. Part of {@link RoomProcessor}.
 */
final class ChatRoom {

    private static final Logger log = LoggerFactory.getLogger(ChatRoom.class);

    static final String INVALID_MESSAGE = "invalid_message";
    static final String NOT_IN_ROOM = "not_in_room";
    static final String CHAT_UNAVAILABLE = "chat_unavailable";

    private final RoomTopologyConfig cfg;
    private final RoomOutputs out;
    private final RoomMemberStore rooms;
    private final ChatWindows windows;

    ChatRoom(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomOutputs out, RoomMemberStore rooms) {
        this.cfg = cfg;
        this.out = out;
        this.rooms = rooms;
        this.windows = ChatWindows.in(ctx, cfg.chatHistory(), cfg.dedupWindow());
    }

    /** Returns false when the request is malformed (no one to answer; the caller counts it). */
    boolean message(String meetingId, ChatRequest req, long ts) {
        if (req == null || blank(req.socketId()) || blank(req.gatewayId()) || req.gatewayPartition() < 0
                || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            return false;
        }
        String problem = ChatValidation.problem(req, cfg.maxChatLength());
        if (problem != null) {
            reject(meetingId, req, INVALID_MESSAGE, problem, ts);
            cfg.metrics().count(Outcome.CHAT_REJECTED_INVALID);
            return true;
        }
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> sender = room == null ? Optional.empty() : room.find(req.socketId());
        if (sender.isEmpty()) {
            reject(meetingId, req, NOT_IN_ROOM, "you are not in this meeting", ts);
            cfg.metrics().count(Outcome.CHAT_REJECTED_NOT_IN_ROOM);
            return true;
        }
        Member from = sender.get();
        String senderId = senderId(from);
        ChatWindow window = windows.find(meetingId);
        if (window == null) {
            try {
                window = windows.seeded(meetingId, windows.storedHistory(meetingId));
                cfg.metrics().count(Outcome.CHAT_SEQ_SEEDED);
            } catch (RuntimeException e) {
                log.warn("cannot read the stored chat of meeting {}: {}", meetingId, e.toString());
                reject(meetingId, req, CHAT_UNAVAILABLE, "chat is unavailable for a moment; try again", ts);
                cfg.metrics().count(Outcome.CHAT_REJECTED_UNAVAILABLE);
                return true;
            }
        }

        OptionalLong earlier = windows.seqOf(meetingId, window, senderId, req.clientMsgId());
        if (earlier.isPresent()) {
            // A message already accepted: a client's retry (it missed its ack), or input processed again after a
            // crash. Not re-sequenced: re-published with its original seq, which PostgreSQL ignores (ON CONFLICT DO
            // NOTHING), and delivered to the room again, which the pages drop when they have it (same sender and
            // clientMsgId). Under at-least-once the window (or PostgreSQL, which rebuilds a lost window) may hold
            // the message while its deliveries died with the crashed producer: this copy is then the only one the
            // other members get.
            ChatMessage again = message(meetingId, earlier.getAsLong(), req, from, ts);
            out.emit(meetingId, new RoomOutput.Accepted(again), ts);
            out.deliver(Deliveries.to(room.members(), RoomEvent.chat(again)), ts);
            cfg.metrics().count(Outcome.CHAT_DUPLICATE);
            return true;
        }
        ChatMessage msg = message(meetingId, window.lastSeq() + 1, req, from, ts);

        out.emit(meetingId, new RoomOutput.Accepted(msg), ts);
        // to every member, the sender included: its copy is its acknowledgement
        out.deliver(Deliveries.to(room.members(), RoomEvent.chat(msg)), ts);
        // no analytics record: the analytics sink reads chat.message.accepted itself (one record fewer per message)
        windows.accept(meetingId, window, senderId, req.clientMsgId());
        cfg.metrics().count(Outcome.CHAT_ACCEPTED);
        return true;
    }

    /** The room opened (its first member is in): a room without a chat window asks for its stored history now. */
    void opened(String meetingId) {
        windows.opened(meetingId);
    }

    /**
     * The room closed (its last member left, or the meeting ended): its chat window goes once PostgreSQL holds its
     * last message ({@link ChatWindows#closed}).
     */
    void closed(String meetingId, long ts) {
        windows.closed(meetingId, ts);
    }

    private static String senderId(Member from) {
        return ChatValidation.truncate(from.participantId(), ChatValidation.MAX_SENDER_FIELD);
    }

    /** The sender's identity comes from its JOIN (the gateway's authenticated view), not from the chat request. */
    private static ChatMessage message(String meetingId, long seq, ChatRequest req, Member from, long ts) {
        return new ChatMessage(meetingId, seq, req.clientMsgId(), senderId(from),
                ChatValidation.truncate(from.displayName(), ChatValidation.MAX_SENDER_FIELD),
                req.text(), Instant.ofEpochMilli(ts));
    }

    private void reject(String meetingId, ChatRequest req, String code, String message, long ts) {
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.socketId(),
                RoomEvent.rejected(meetingId, code, message, req.clientMsgId())), ts);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
