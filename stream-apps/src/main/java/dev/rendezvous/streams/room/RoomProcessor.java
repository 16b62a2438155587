package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomMembership;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a room's joins, leaves, chat messages, media signals and forwarder events, in partition order, to
 * the room's state and says who must be told what. The media part is {@link MediaSignaling}, the host controls
 * {@link HostActions}; every output goes out through {@link RoomOutputs}.
 *
 * <p>Every output is a function of the input record (key, value, timestamp) and the stores only: time is
 * the record's timestamp, never the wall clock, so replaying the same input from the same restored state
 * gives the same output (same sequence numbers). Outputs are forwarded before the stores are written, so a
 * record that fails half-way leaves the state as it was and is retried whole.
 *
 * <p>Bad input never throws: it is counted and dropped, or refused to its sender. (A throw would make the
 * stream thread be replaced and the same record be read again, forever.)
 */
final class RoomProcessor implements Processor<String, RoomCommand, String, RoomOutput>, HostActions.Doors {

    private static final Logger log = LoggerFactory.getLogger(RoomProcessor.class);

    static final String INVALID_MESSAGE = "invalid_message";
    static final String NOT_IN_ROOM = "not_in_room";

    private final RoomTopologyConfig cfg;
    private RoomOutputs out;
    private KeyValueStore<String, RoomMembers> rooms;
    private KeyValueStore<String, ChatRoomState> chats;
    private MediaSignaling media;
    private HostActions host;

    RoomProcessor(RoomTopologyConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void init(ProcessorContext<String, RoomOutput> context) {
        this.out = new RoomOutputs(context);
        this.rooms = context.getStateStore(RoomTopology.MEMBERS_STORE);
        this.chats = context.getStateStore(RoomTopology.CHAT_STORE);
        this.media = new MediaSignaling(cfg, context, out);
        this.host = new HostActions(cfg, context, out, this);
    }

    @Override
    public void process(Record<String, RoomCommand> record) {
        String meetingId = record.key();
        RoomCommand command = record.value();
        if (meetingId == null || meetingId.isBlank() || command == null) {
            malformed("record without meeting id or value", meetingId);
        } else {
            command.dispatch(dispatch, meetingId, record.timestamp());
        }
    }

    /** What each kind of command goes to. */
    private final RoomCommand.Handler dispatch = new RoomCommand.Handler() {
        @Override
        public void membership(String meetingId, MemberRequest request, long ts) {
            RoomProcessor.this.membership(meetingId, request, ts);
        }

        @Override
        public void chat(String meetingId, ChatRequest request, long ts) {
            RoomProcessor.this.chat(meetingId, request, ts);
        }

        @Override
        public void signal(String meetingId, dev.rendezvous.topics.model.SignalRequest request, long ts) {
            // a mute the host locked stays muted whatever the client says
            if (!media.signal(meetingId, host.enforceMuteLocks(meetingId, request, ts), ts)) {
                malformed("signal without kind, socket or gateway address, or for another meeting", meetingId);
            }
        }

        @Override
        public void fromForwarder(String meetingId, dev.rendezvous.topics.model.ForwarderEvent event, long ts) {
            if (!media.fromForwarder(meetingId, event, ts)) {
                malformed("forwarder event without kind or forwarder id, or for another meeting", meetingId);
            }
        }

        @Override
        public void hostAction(String meetingId, dev.rendezvous.topics.model.HostActionRequest request, long ts) {
            if (!host.request(meetingId, request, ts)) {
                malformed("host request without action, id, actor or reply address, or for another meeting", meetingId);
            }
        }

        @Override
        public void gatewayLost(String meetingId, RoomCommand.GatewayLost lost, long ts) {
            // exactly what each socket's LEAVE would have done (one waiting in the lobby leaves the lobby); a gateway
            // that comes back after this closes its sockets, whose pages join again (its HeartbeatPublisher)
            for (String socketId : lost.socketIds()) {
                leave(meetingId, lost.leaveOf(meetingId, socketId, ts), ts);
            }
        }
    };

    // ---- membership -------------------------------------------------------------------------------

    private void membership(String meetingId, MemberRequest req, long ts) {
        if (req == null || req.action() == null || blank(req.socketId())
                || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            malformed("member request without action or socket, or for another meeting", meetingId);
            return;
        }
        switch (req.action()) {
            case JOIN -> join(meetingId, req, ts);
            case LEAVE -> leave(meetingId, req, ts);
        }
    }

    private void join(String meetingId, MemberRequest req, long ts) {
        if (blank(req.gatewayId()) || req.gatewayPartition() < 0
                || blank(req.participantId()) || blank(req.displayName())) {
            malformed("JOIN without gateway address, participant id or display name", meetingId);
            return;
        }
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        Optional<Member> existing = room.find(req.socketId());
        if (existing.isPresent()) {
            // the same socket again (a gateway retry): tell it the room as it is, change nothing
            Member m = existing.get();
            out.deliver(Deliveries.to(List.of(m), RoomEvent.joined(meetingId, m.participant(), room.participants())), ts);
            cfg.metrics().count(Outcome.JOIN_REPEATED);
            return;
        }
        Member joiner = new Member(req.socketId(), req.gatewayId(), req.gatewayPartition(),
                req.participantId(), req.displayName(), req.role(), Instant.ofEpochMilli(ts));
        // the room's control decides first: refused (ended, removed, locked), waiting in the lobby, or in
        RoomControl control = host.load(meetingId);
        if (host.admitOnJoin(meetingId, joiner, req, room, control, ts)) {
            enter(meetingId, joiner, req.mediaFingerprint(), control, ts);
        }
        host.save(meetingId, control);
    }

    /** Puts a socket in the room (a JOIN let in, or someone admitted from the lobby). */
    @Override
    public void enter(String meetingId, Member arriving, String fingerprint, RoomControl control, long ts) {
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        Map<String, dev.rendezvous.topics.model.Role> rolesBefore = Roles.of(room);
        RoomMembers after = host.arrange(control, room.with(arriving), arriving.participantId());
        Member joiner = after.find(arriving.socketId()).orElse(arriving);

        out.deliver(Deliveries.to(List.of(joiner), Roles.joined(meetingId, joiner, after, control)), ts);
        out.deliver(Deliveries.to(room.members(), RoomEvent.participantJoined(meetingId, joiner.participant())), ts);
        out.emit(meetingId, new RoomOutput.MembershipChanged(new RoomMembership(meetingId, after.members(), Instant.ofEpochMilli(ts))), ts);
        out.emit(meetingId, new RoomOutput.Analytics(new AnalyticsEvent("join", meetingId, joiner.participantId(),
                Instant.ofEpochMilli(ts), attributes("socketId", joiner.socketId(), "gatewayId", joiner.gatewayId(),
                        "role", joiner.role() == null ? null : joiner.role().name()))), ts);
        // the forwarder starts the joiner's subscribe side now, while the page still opens its camera
        media.memberJoined(meetingId, joiner, fingerprint, ts);
        host.entered(meetingId, control, rolesBefore, after, joiner, ts);
        rooms.put(meetingId, after);
        cfg.metrics().count(Outcome.JOINED);
    }

    private void leave(String meetingId, MemberRequest req, long ts) {
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> gone = room == null ? Optional.empty() : room.find(req.socketId());
        RoomControl control = host.load(meetingId);
        if (gone.isEmpty()) {
            if (host.leftLobby(meetingId, req.socketId(), control, ts)) {
                host.save(meetingId, control);
            } else {
                cfg.metrics().count(Outcome.LEAVE_UNKNOWN_SOCKET);
            }
            return;
        }
        exit(meetingId, gone.get(), control, java.util.Set.of(), ts);
        host.save(meetingId, control);
    }

    /** Takes a socket out of the room (its LEAVE, or removed by a host). */
    @Override
    public void exit(String meetingId, Member m, RoomControl control, java.util.Set<String> untold, long ts) {
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        Map<String, dev.rendezvous.topics.model.Role> rolesBefore = Roles.of(room);
        RoomMembers after = host.arrange(control, room.without(m.socketId()), null);

        out.deliver(Deliveries.to(after.members().stream().filter(o -> !untold.contains(o.socketId())).toList(),
                RoomEvent.participantLeft(meetingId, m.participant())), ts);
        out.emit(meetingId, new RoomOutput.MembershipChanged(new RoomMembership(meetingId, after.members(), Instant.ofEpochMilli(ts))), ts);
        out.emit(meetingId, new RoomOutput.Analytics(new AnalyticsEvent("leave", meetingId, m.participantId(),
                Instant.ofEpochMilli(ts), attributes("socketId", m.socketId(), "gatewayId", m.gatewayId()))), ts);
        // the forwarder drops the socket's tracks at once (and the whole room with its last member)
        media.memberLeft(meetingId, m, after.isEmpty(), ts);
        host.exited(meetingId, control, rolesBefore, after, m, ts);
        if (after.isEmpty()) {
            // The room's members go; its chat state (last seq, recent ids) stays: a meeting can be joined
            // again, and restarting seq at 1 would collide with chat_messages' primary key (meeting_id, seq).
            rooms.delete(meetingId);
        } else {
            rooms.put(meetingId, after);
        }
        cfg.metrics().count(Outcome.LEFT);
    }

    /** The meeting ended: everyone's socket leaves at once, the forwarder drops them and closes the room. */
    @Override
    public void closeAll(String meetingId, long ts) {
        RoomMembers room = rooms.get(meetingId);
        if (room == null) {
            return;
        }
        out.emit(meetingId, new RoomOutput.MembershipChanged(new RoomMembership(meetingId, List.of(), Instant.ofEpochMilli(ts))), ts);
        List<Member> all = room.members();
        for (int i = 0; i < all.size(); i++) {
            Member m = all.get(i);
            out.emit(meetingId, new RoomOutput.Analytics(new AnalyticsEvent("leave", meetingId, m.participantId(),
                    Instant.ofEpochMilli(ts), attributes("socketId", m.socketId(), "gatewayId", m.gatewayId(),
                            "reason", "meeting_ended"))), ts);
            media.memberLeft(meetingId, m, i == all.size() - 1, ts);
        }
        rooms.delete(meetingId);
        cfg.metrics().count(Outcome.LEFT);
    }

    // ---- chat -------------------------------------------------------------------------------------

    private void chat(String meetingId, ChatRequest req, long ts) {
        if (req == null || blank(req.socketId()) || blank(req.gatewayId()) || req.gatewayPartition() < 0
                || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            // without a socket and its gateway there is no one to answer
            malformed("chat request without socket or gateway address, or for another meeting", meetingId);
            return;
        }
        String problem = ChatValidation.problem(req, cfg.maxChatLength());
        if (problem != null) {
            reject(meetingId, req, INVALID_MESSAGE, problem, ts);
            cfg.metrics().count(Outcome.CHAT_REJECTED_INVALID);
            return;
        }
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> sender = room == null ? Optional.empty() : room.find(req.socketId());
        if (sender.isEmpty()) {
            reject(meetingId, req, NOT_IN_ROOM, "you are not in this meeting", ts);
            cfg.metrics().count(Outcome.CHAT_REJECTED_NOT_IN_ROOM);
            return;
        }
        Member from = sender.get();
        ChatRoomState state = Optional.ofNullable(chats.get(meetingId)).orElseGet(ChatRoomState::empty);

        Optional<Long> earlier = state.seqOf(req.clientMsgId());
        if (earlier.isPresent()) {
            // A retry of an accepted message: not re-sequenced, not shown to the room again. Its sender is
            // acknowledged again (it retried because it missed the ack), and the message is re-published
            // with its original seq, which PostgreSQL ignores (ON CONFLICT DO NOTHING): under
            // at-least-once the state may have been saved while the first publication was lost.
            ChatMessage again = message(meetingId, earlier.get(), req, from, ts);
            out.emit(meetingId, new RoomOutput.Accepted(again), ts);
            out.deliver(Deliveries.to(List.of(from), RoomEvent.chat(again)), ts);
            cfg.metrics().count(Outcome.CHAT_DUPLICATE);
            return;
        }
        ChatRoomState next = state.accept(req.clientMsgId(), cfg.dedupWindow());
        ChatMessage msg = message(meetingId, next.lastSeq(), req, from, ts);

        out.emit(meetingId, new RoomOutput.Accepted(msg), ts);
        // to every member, the sender included: its copy is its acknowledgement
        out.deliver(Deliveries.to(room.members(), RoomEvent.chat(msg)), ts);
        out.emit(meetingId, new RoomOutput.Analytics(new AnalyticsEvent("message", meetingId, from.participantId(),
                msg.sentAt(), attributes("seq", Long.toString(msg.seq()),
                        "length", Integer.toString(msg.text().codePointCount(0, msg.text().length()))))), ts);
        chats.put(meetingId, next);
        cfg.metrics().count(Outcome.CHAT_ACCEPTED);
    }

    /** The sender's identity comes from its JOIN (the gateway's authenticated view), not from the chat request. */
    private static ChatMessage message(String meetingId, long seq, ChatRequest req, Member from, long ts) {
        return new ChatMessage(meetingId, seq, req.clientMsgId(),
                ChatValidation.truncate(from.participantId(), ChatValidation.MAX_SENDER_FIELD),
                ChatValidation.truncate(from.displayName(), ChatValidation.MAX_SENDER_FIELD),
                req.text(), Instant.ofEpochMilli(ts));
    }

    private void reject(String meetingId, ChatRequest req, String code, String message, long ts) {
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.socketId(),
                RoomEvent.rejected(meetingId, code, message, req.clientMsgId())), ts);
    }

    // ---- output -----------------------------------------------------------------------------------


    private void malformed(String why, String meetingId) {
        cfg.metrics().count(Outcome.MALFORMED);
        if (log.isDebugEnabled()) {
            log.debug("dropped malformed request for meeting {}: {}", meetingId, why);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Attributes without null values, in a stable order. */
    private static Map<String, String> attributes(String... kv) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
