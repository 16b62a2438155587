package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.MemberRequest;

/**
 * The two request topics merged into one stream, so that one processor sees a room's joins, leaves and
 * chat messages in the order of their partition. Never serialized: it lives between the sources and the
 * processor of one sub-topology.
 */
sealed interface RoomCommand {

    record Membership(MemberRequest request) implements RoomCommand {}

    record Chat(ChatRequest request) implements RoomCommand {}
}
