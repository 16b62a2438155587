package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.RoomMembership;

/**
 * What the room processor emits, one variant per output topic; the topology splits on the variant and
 * unwraps it in front of each sink. Never serialized.
 */
sealed interface RoomOutput {

    Object value();

    record Delivery(GatewayDelivery value) implements RoomOutput {}

    record Accepted(ChatMessage value) implements RoomOutput {}

    record MembershipChanged(RoomMembership value) implements RoomOutput {}

    record Analytics(AnalyticsEvent value) implements RoomOutput {}
}
