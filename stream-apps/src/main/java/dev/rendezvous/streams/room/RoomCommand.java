package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.SignalRequest;

/**
 * The room-keyed input topics merged into one stream, so that one processor sees a room's joins, leaves,
 * chat messages, media signals and forwarder events in the order of their partition. Never serialized: it lives between the sources and the
 * processor of one sub-topology.
 */
sealed interface RoomCommand {

    /** The processor's dispatch table: one method per kind of command (a visitor; Java 17 has no pattern switch). */
    interface Handler {
        void membership(String meetingId, MemberRequest request, long ts);

        void chat(String meetingId, ChatRequest request, long ts);

        void signal(String meetingId, SignalRequest request, long ts);

        void fromForwarder(String meetingId, ForwarderEvent event, long ts);

        void hostAction(String meetingId, HostActionRequest request, long ts);

        void gatewayLost(String meetingId, GatewayLost lost, long ts);
    }

    /** Calls the handler's method for this kind of command. */
    void dispatch(Handler h, String meetingId, long ts);

    record Membership(MemberRequest request) implements RoomCommand {
        @Override
        public void dispatch(Handler h, String meetingId, long ts) {
            h.membership(meetingId, request, ts);
        }
    }

    record Chat(ChatRequest request) implements RoomCommand {
        @Override
        public void dispatch(Handler h, String meetingId, long ts) {
            h.chat(meetingId, request, ts);
        }
    }

    record Signal(SignalRequest request) implements RoomCommand {
        @Override
        public void dispatch(Handler h, String meetingId, long ts) {
            h.signal(meetingId, request, ts);
        }
    }

    record FromForwarder(ForwarderEvent event) implements RoomCommand {
        @Override
        public void dispatch(Handler h, String meetingId, long ts) {
            h.fromForwarder(meetingId, event, ts);
        }
    }

    record HostAction(HostActionRequest request) implements RoomCommand {
        @Override
        public void dispatch(Handler h, String meetingId, long ts) {
            h.hostAction(meetingId, request, ts);
        }
    }

    /**
     * The gateway holding these sockets went silent, said it goes away, or came back as a new process
     * ({@link GatewayWatch}): each socket leaves the room as if its LEAVE had come. Made by the topology, never read
     * from a topic.
     */
    record GatewayLost(String gatewayId, java.util.List<String> socketIds) implements RoomCommand {
        public GatewayLost {
            socketIds = java.util.List.copyOf(socketIds);
        }

        @Override
        public void dispatch(Handler h, String meetingId, long ts) {
            h.gatewayLost(meetingId, this, ts);
        }

        /** The LEAVE the gateway would have sent for one of the sockets. */
        MemberRequest leaveOf(String meetingId, String socketId, long ts) {
            return new MemberRequest(MemberRequest.Action.LEAVE, meetingId, socketId, gatewayId, 0, null, null, null,
                    java.time.Instant.ofEpochMilli(ts));
        }
    }
}
