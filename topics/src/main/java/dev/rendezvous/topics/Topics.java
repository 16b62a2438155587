package dev.rendezvous.topics;

import static dev.rendezvous.topics.CleanupPolicy.COMPACT;
import static dev.rendezvous.topics.CleanupPolicy.DELETE;
import static dev.rendezvous.topics.Service.EDGE_GATEWAY;
import static dev.rendezvous.topics.Service.MEDIA_FORWARDER;
import static dev.rendezvous.topics.Service.RECORDER;
import static dev.rendezvous.topics.Service.STREAM_APPS;

import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.MeetingEnded;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.RecordingFile;
import dev.rendezvous.topics.model.RoomMembership;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.model.SignalRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The topic catalogue: every topic of the system, its key, value, size, retention and single writer.
 * Room-scoped topics are keyed by meeting id and share one partition count, so that a room's whole control
 * stream lands on one partition number of each topic (co-partitioned for Kafka Streams).
 */
public final class Topics {

    /** Partitions of the room-keyed topics on the embedded stack; they must all be equal (co-partitioning). */
    public static final int ROOM_PARTITIONS = 6;
    /** Room-keyed partitions sized for the seed's peak (see docs/topics.md, "Sizing"). */
    public static final int ROOM_PARTITIONS_PRODUCTION = 192;

    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    public static final TopicSpec<ChatRequest> CHAT_REQUESTED = new TopicSpec<>(
            "chat.message.requested", "meeting id", ChatRequest.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, DAY,
            EDGE_GATEWAY, Set.of(STREAM_APPS),
            "A chat message as a socket sent it, before validation and ordering.");

    public static final TopicSpec<ChatMessage> CHAT_ACCEPTED = new TopicSpec<>(
            "chat.message.accepted", "meeting id", ChatMessage.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, Duration.ofDays(7),
            STREAM_APPS, Set.of(STREAM_APPS),
            "A validated chat message with its per-meeting sequence number; persisted to PostgreSQL from here, and read "
                    + "by the analytics sink as its chat_sent event.");

    public static final TopicSpec<MemberRequest> MEMBER_REQUESTED = new TopicSpec<>(
            "room.member.requested", "meeting id", MemberRequest.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, DAY,
            EDGE_GATEWAY, Set.of(STREAM_APPS),
            "A socket joins or leaves a meeting.");

    public static final TopicSpec<RoomMembership> MEMBERSHIP_CHANGED = new TopicSpec<>(
            "room.membership.changed", "meeting id", RoomMembership.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, COMPACT, DAY,
            STREAM_APPS, Set.of(),
            "The sockets in a room and the gateways holding them, after each change; empty list when the room empties."
                    + " No service reads it (the room processor keeps rooms in its own stores): it is for operators and tools.");

    public static final TopicSpec<HostActionRequest> HOST_REQUESTED = new TopicSpec<>(
            "room.host.requested", "meeting id", HostActionRequest.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, DAY,
            EDGE_GATEWAY, Set.of(STREAM_APPS),
            "A request to act on a room: host actions (admit, deny, remove, mute, promote, end, lock, lobby, list), "
                    + "raised hands and reactions; answered on the requester's delivery partition.");

    public static final TopicSpec<MeetingEnded> MEETING_ENDED = new TopicSpec<>(
            "room.meeting.ended", "meeting id", MeetingEnded.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, Duration.ofDays(7),
            STREAM_APPS, Set.of(EDGE_GATEWAY),
            "A meeting was ended for all; the gateway stores meetings.ended_at from it.");

    public static final TopicSpec<SignalRequest> SIGNAL_REQUESTED = new TopicSpec<>(
            "signal.client.requested", "meeting id", SignalRequest.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, HOUR,
            EDGE_GATEWAY, Set.of(STREAM_APPS),
            "WebRTC signaling from a client (offer, answer, candidate, track update, subscribe, and the page's tile view: "
                    + "`TILE_VIEW`, each remote video tile's rendered size or hidden) on its way to the room's forwarder.");

    public static final TopicSpec<ForwarderCommand> FORWARDER_COMMANDS = new TopicSpec<>(
            "forwarder.command.issued", "forwarder id", ForwarderCommand.class,
            6, 64, DELETE, HOUR,
            STREAM_APPS, Set.of(MEDIA_FORWARDER),
            "An order to one forwarder: connect a client (its offer), a candidate, disconnect, close a room, record.");

    public static final TopicSpec<ForwarderEvent> FORWARDER_EVENTS = new TopicSpec<>(
            "forwarder.event.emitted", "meeting id", ForwarderEvent.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, HOUR,
            MEDIA_FORWARDER, Set.of(STREAM_APPS),
            "What a forwarder says back: answers, candidates, connection and track changes, active speaker.");

    public static final TopicSpec<ForwarderMetrics> FORWARDER_METRICS = new TopicSpec<>(
            "forwarder.metrics.reported", "forwarder id", ForwarderMetrics.class,
            3, 12, DELETE, HOUR,
            MEDIA_FORWARDER, Set.of(STREAM_APPS),
            "Each forwarder's load and quality once a second; feeds placement weights and penalties.");

    public static final TopicSpec<RoomPlacement> PLACEMENT_ASSIGNED = new TopicSpec<>(
            "room.placement.assigned", "meeting id", RoomPlacement.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, COMPACT, DAY,
            STREAM_APPS, Set.of(),
            "Which forwarder hosts a room and which stand by (weighted rendezvous hashing). No service reads it (the room"
                    + " processor keeps placements in its own store): it is for operators and tools.");

    public static final TopicSpec<RecordingControl> RECORDING_CONTROL = new TopicSpec<>(
            "recording.control.requested", "meeting id", RecordingControl.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, DAY,
            STREAM_APPS, Set.of(MEDIA_FORWARDER, STREAM_APPS),
            "Start or stop recording a room: the named forwarder captures it; stream-apps keeps the recordings' metadata.");

    public static final TopicSpec<byte[]> RECORDING_CHUNKS = new TopicSpec<>(
            "recording.chunk.captured", "recording id", byte[].class,
            6, 96, DELETE, DAY,
            MEDIA_FORWARDER, Set.of(RECORDER),
            "Binary copies of a recorded room's RTP packets, batched, then the recording's end marker (trackId -1,"
                    + " kind end) after its tracks' last chunks; the recorder assembles files from them.");

    public static final TopicSpec<RecordingFile> RECORDING_FILES = new TopicSpec<>(
            "recording.file.stored", "recording id", RecordingFile.class,
            3, 12, DELETE, Duration.ofDays(30),
            RECORDER, Set.of(STREAM_APPS),
            "A playable recording file uploaded to S3.");

    public static final TopicSpec<AnalyticsEvent> ANALYTICS_EVENTS = new TopicSpec<>(
            "analytics.event.recorded", "meeting id", AnalyticsEvent.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, Duration.ofDays(3),
            STREAM_APPS, Set.of(STREAM_APPS),
            "Joins, leaves, host actions and recordings on their way to ClickHouse (a chat message's event is read from "
                    + "chat.message.accepted; quality samples come on media.quality.sampled).");

    public static final TopicSpec<AnalyticsEvent> MEDIA_QUALITY = new TopicSpec<>(
            "media.quality.sampled", "meeting id", AnalyticsEvent.class,
            ROOM_PARTITIONS, ROOM_PARTITIONS_PRODUCTION, DELETE, Duration.ofDays(1),
            MEDIA_FORWARDER, Set.of(STREAM_APPS),
            "Each connected participant's media quality every 5 s (quality_sample analytics events; none for someone "
                    + "nothing was measured for: no media either way, no reports), written by its "
                    + "forwarder; stream-apps' analytics sink copies them into ClickHouse with analytics.event.recorded.");

    public static final TopicSpec<GatewayDelivery> GATEWAY_DELIVERIES = new TopicSpec<>(
            "gateway.delivery.requested", "gateway id", GatewayDelivery.class,
            6, 256, DELETE, HOUR,
            STREAM_APPS, Set.of(EDGE_GATEWAY),
            "Events addressed to the sockets of one gateway, on the partition that gateway reads (not broadcast).");

    public static final TopicSpec<GatewayHeartbeat> GATEWAY_HEARTBEATS = new TopicSpec<>(
            "gateway.heartbeat.reported", "gateway id", GatewayHeartbeat.class,
            1, 3, COMPACT, DAY,
            EDGE_GATEWAY, Set.of(STREAM_APPS),
            "Each gateway process says it is alive every 2 s (and going away at shutdown); the room processor takes "
                    + "the members of a gateway silent for 10 s out of their rooms.");

    /** Every topic, in catalogue order. */
    public static final List<TopicSpec<?>> ALL = List.of(
            CHAT_REQUESTED, CHAT_ACCEPTED, MEMBER_REQUESTED, MEMBERSHIP_CHANGED, HOST_REQUESTED, MEETING_ENDED,
            SIGNAL_REQUESTED, FORWARDER_COMMANDS, FORWARDER_EVENTS, FORWARDER_METRICS, PLACEMENT_ASSIGNED,
            RECORDING_CONTROL, RECORDING_CHUNKS, RECORDING_FILES, ANALYTICS_EVENTS, MEDIA_QUALITY, GATEWAY_DELIVERIES,
            GATEWAY_HEARTBEATS);

    private Topics() {}

    public static Map<String, TopicSpec<?>> byName() {
        Map<String, TopicSpec<?>> m = new LinkedHashMap<>();
        ALL.forEach(t -> m.put(t.name(), t));
        return m;
    }

    /** The topics one service writes. */
    public static List<TopicSpec<?>> writtenBy(Service s) {
        return ALL.stream().filter(t -> t.writer() == s).toList();
    }

    /**
     * The delivery partition a gateway reads when none is configured: the same murmur2 choice the Kafka
     * producer makes for the key. Gateways may be given explicit, distinct partitions instead (a
     * StatefulSet ordinal); collisions only cost filtering by key.
     */
    public static int defaultDeliveryPartition(String gatewayId, int partitions) {
        byte[] key = gatewayId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(key)) % partitions;
    }
}
