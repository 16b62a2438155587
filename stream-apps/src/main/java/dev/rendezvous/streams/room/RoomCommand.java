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

    record Membership(MemberRequest request) implements RoomCommand {}

    record Chat(ChatRequest request) implements RoomCommand {}

    record Signal(SignalRequest request) implements RoomCommand {}

    record FromForwarder(ForwarderEvent event) implements RoomCommand {}

    record HostAction(HostActionRequest request) implements RoomCommand {}
}
