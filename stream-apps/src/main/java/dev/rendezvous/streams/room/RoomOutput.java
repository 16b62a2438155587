package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MeetingEnded;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.RoomMembership;
import dev.rendezvous.topics.model.RoomPlacement;

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

    /** Keyed by forwarder id. */
    record Command(ForwarderCommand value) implements RoomOutput {}

    /** Keyed by meeting id; a null value is a tombstone on the compacted topic. */
    record Placement(RoomPlacement value) implements RoomOutput {}

    /** Keyed by meeting id: the meeting was ended for all ({@code room.meeting.ended}). */
    record Ended(MeetingEnded value) implements RoomOutput {}

    /** Keyed by meeting id: start or stop a recording on the forwarder it names ({@code recording.control.requested}). */
    record RecordingRequested(RecordingControl value) implements RoomOutput {}
}
