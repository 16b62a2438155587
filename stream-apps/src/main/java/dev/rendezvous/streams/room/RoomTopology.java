package dev.rendezvous.streams.room;

import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.serde.JsonSerde;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The room processor's topology, a pure function of its configuration (no Spring, no I/O, no clock):
 *
 * <pre>
 *  room.member.requested   ─▶ member-requests-source   ─▶ member-requests-as-commands   ─┐
 *  chat.message.requested  ─▶ chat-requests-source     ─▶ chat-requests-as-commands     ─┼▶ room-commands-merge,
 *  signal.client.requested ─▶ signal-requests-source   ─▶ signal-requests-as-commands   ─┤  signal-commands-merge,
 *  forwarder.event.emitted ─▶ forwarder-events-source  ─▶ forwarder-events-as-commands  ─┤  forwarder-commands-merge,
 *  room.host.requested     ─▶ host-requests-source     ─▶ host-requests-as-commands     ─┘  host-commands-merge
 *                                                                                              ─▶ gateway-watch ─▶ room-processor
 *                       [room-sockets, room-departures, chat-recent, chat-closed, chat-rooms, room-placements, room-control;
 *                        global: forwarder-metrics]
 *
 *  forwarder.metrics.reported ─▶ forwarder-metrics-source ─▶ (global store forwarder-metrics, one value per forwarder)
 *  gateway.heartbeat.reported ─▶ gateway-heartbeats-source ─▶ (global store gateway-heartbeats, read by gateway-watch,
 *                                which keeps gateway-socket-index and adds GatewayLost commands for the sockets of lost gateways)
 *
 *  room-processor ─▶ room-outputs- (split) ─┬▶ deliveries ─▶ deliveries-unwrap ─▶ gateway-deliveries-sink (gateway.delivery.requested, partition from the value)
 *                                            ├▶ chat-accepted ─▶ chat-accepted-unwrap ─▶ chat-accepted-sink (chat.message.accepted)
 *                                            ├▶ membership ─▶ membership-unwrap ─▶ membership-changed-sink (room.membership.changed)
 *                                            ├▶ analytics ─▶ analytics-unwrap ─▶ analytics-sink (analytics.event.recorded)
 *                                            ├▶ forwarder-commands ─▶ forwarder-commands-unwrap ─▶ forwarder-commands-sink (forwarder.command.issued, key = forwarder id, default partitioner)
 *                                            ├▶ placements ─▶ placements-unwrap ─▶ placements-sink (room.placement.assigned)
 *                                            └▶ meeting-ended ─▶ meeting-ended-unwrap ─▶ meeting-ended-sink (room.meeting.ended)
 * </pre>
 *
 * The five inputs are keyed by meeting id with the same partition count (co-partitioned), so one task sees
 * a room's whole control stream in order. Forwarder metrics are keyed by forwarder and have their own
 * partition count: every instance reads all of them into a global store (its source topic is its
 * changelog). Every source, processor, sink and store has a name, so internal topic names (the stores'
 * changelogs, {@code <application.id>-room-sockets-changelog}, {@code <application.id>-room-departures-changelog}, {@code <application.id>-chat-recent-changelog}, {@code <application.id>-chat-closed-changelog}, {@code <application.id>-chat-rooms-changelog},
 * {@code <application.id>-room-placements-changelog}, {@code <application.id>-room-control-changelog},
 * {@code <application.id>-gateway-socket-index-changelog}) survive refactoring.
 */
public final class RoomTopology {

    /**
     * {@code <meetingId>|<socketId>} → {@link MemberEntry}: one entry per socket in a room, with its gateway; a room is
     * read by prefix scan ({@link RoomMemberStore}). It replaced {@code room-members} (one value per room, which grew
     * without bound); that store's changelog is no longer read.
     */
    public static final String MEMBERS_STORE = "room-sockets";
    /** {@code <meetingId>|<socketId>} → {@link MemberEntry}: sockets that left in the last 10 minutes (replayed LEAVEs). */
    public static final String DEPARTURES_STORE = "room-departures";
    /**
     * {@code <meetingId>|<seq mod window>} → {@link ChatRoomState.Recent}: a room's chat window, one small record per
     * accepted message ({@link ChatWindows}); deleted after the room closes, once PostgreSQL holds its last message.
     */
    public static final String CHAT_RECENT_STORE = "chat-recent";
    /**
     * meetingId → {@link ClosedChat}: rooms that closed with a chat window. The window stays until PostgreSQL holds the
     * room's last message, so a room that opens again at once continues its seqs ({@link ChatWindows}).
     */
    public static final String CHAT_CLOSED_STORE = "chat-closed";
    /**
     * meetingId → {@link ChatRoomState}: the first releases' chat window, one value per room. Only read now (a room
     * active across the upgrade) and deleted with the room's window.
     */
    public static final String CHAT_STORE = "chat-rooms";
    /** meetingId → {@link RoomPlacement}: the room's forwarders, while it has members. */
    public static final String PLACEMENTS_STORE = "room-placements";
    /** meetingId → {@link RoomControl}: host, co-hosts, lock, lobby, removals, hands, decided host requests. */
    public static final String CONTROL_STORE = "room-control";
    /** Global: forwarderId → its latest {@link ForwarderMetrics} (timestamped). */
    public static final String FORWARDER_METRICS_STORE = "forwarder-metrics";

    private RoomTopology() {}

    /** Adds the room processor to {@code builder} with the default {@link PresenceSettings}. */
    public static StreamsBuilder build(StreamsBuilder builder, RoomTopologyConfig cfg) {
        return build(builder, cfg, PresenceSettings.defaults());
    }

    /** Adds the room processor to {@code builder}; returns the builder for chaining. */
    public static StreamsBuilder build(StreamsBuilder builder, RoomTopologyConfig cfg, PresenceSettings presence) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(MEMBERS_STORE), Serdes.String(), JsonSerde.of(MemberEntry.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DEPARTURES_STORE), Serdes.String(), JsonSerde.of(MemberEntry.class))
                .withCachingEnabled());
        // Not cached: every entry has a key of its own (seq mod window), so a cache would merge nothing, and it would
        // hold the window back from RocksDB and the changelog until the commit, then write it in one burst while the
        // task processes nothing. Uncached, an entry is written as its message is accepted.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CHAT_RECENT_STORE), Serdes.String(), new ChatRecentSerde())
                .withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CHAT_CLOSED_STORE), Serdes.String(), JsonSerde.of(ClosedChat.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CHAT_STORE), Serdes.String(), new ChatRoomStateSerde())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PLACEMENTS_STORE), Serdes.String(), JsonSerde.of(RoomPlacement.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CONTROL_STORE), Serdes.String(), JsonSerde.of(RoomControl.class))
                .withCachingEnabled());
        builder.globalTable(Topics.FORWARDER_METRICS.name(),
                Consumed.with(Topics.FORWARDER_METRICS.keySerde(), Topics.FORWARDER_METRICS.valueSerde())
                        .withName("forwarder-metrics-source"),
                Materialized.<String, ForwarderMetrics, KeyValueStore<Bytes, byte[]>>as(FORWARDER_METRICS_STORE)
                        .withKeySerde(Topics.FORWARDER_METRICS.keySerde())
                        .withValueSerde(Topics.FORWARDER_METRICS.valueSerde()));

        GatewayWatch.addStores(builder);
        // one read of the forwarders' metrics per check interval for all the instance's room tasks (FleetView), and
        // for the placements of large fleets one per skeleton refresh (MediaSignaling)
        FleetView fleetView = new FleetView(cfg.failover().checkInterval());
        FleetView placementView = new FleetView(cfg.placement().skeletonRefresh());

        KStream<String, RoomCommand> members = source(builder, Topics.MEMBER_REQUESTED, "member-requests")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.Membership(v),
                        Named.as("member-requests-as-commands"));
        KStream<String, RoomCommand> chats = source(builder, Topics.CHAT_REQUESTED, "chat-requests")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.Chat(v),
                        Named.as("chat-requests-as-commands"));

        KStream<String, RoomCommand> signals = source(builder, Topics.SIGNAL_REQUESTED, "signal-requests")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.Signal(v),
                        Named.as("signal-requests-as-commands"));
        KStream<String, RoomCommand> forwarderEvents = source(builder, Topics.FORWARDER_EVENTS, "forwarder-events")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.FromForwarder(v),
                        Named.as("forwarder-events-as-commands"));

        KStream<String, RoomCommand> hostRequests = source(builder, Topics.HOST_REQUESTED, "host-requests")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.HostAction(v),
                        Named.as("host-requests-as-commands"));

        KStream<String, RoomOutput> outputs = members
                .merge(chats, Named.as("room-commands-merge"))
                .merge(signals, Named.as("signal-commands-merge"))
                .merge(forwarderEvents, Named.as("forwarder-commands-merge"))
                .merge(hostRequests, Named.as("host-commands-merge"))
                // adds the sockets of lost gateways as GatewayLost commands, in the same task
                .process(() -> new GatewayWatch(presence), Named.as("gateway-watch"), GatewayWatch.SOCKETS_STORE)
                .process(() -> new RoomProcessor(cfg, fleetView, placementView), Named.as("room-processor"),
                        MEMBERS_STORE, DEPARTURES_STORE, CHAT_RECENT_STORE, CHAT_CLOSED_STORE, CHAT_STORE, PLACEMENTS_STORE,
                        CONTROL_STORE);

        outputs.split(Named.as("room-outputs-"))
                .branch((k, v) -> v instanceof RoomOutput.Delivery,
                        Branched.withConsumer(s -> sink(s, Topics.GATEWAY_DELIVERIES, "deliveries", "gateway-deliveries-sink",
                                new GatewayDeliveryPartitioner(cfg.metrics())), "deliveries"))
                .branch((k, v) -> v instanceof RoomOutput.Accepted,
                        Branched.withConsumer(s -> sink(s, Topics.CHAT_ACCEPTED, "chat-accepted", "chat-accepted-sink", null),
                                "chat-accepted"))
                .branch((k, v) -> v instanceof RoomOutput.MembershipChanged,
                        Branched.withConsumer(s -> sink(s, Topics.MEMBERSHIP_CHANGED, "membership", "membership-changed-sink", null),
                                "membership"))
                .branch((k, v) -> v instanceof RoomOutput.Analytics,
                        Branched.withConsumer(s -> sink(s, Topics.ANALYTICS_EVENTS, "analytics", "analytics-sink", null),
                                "analytics"))
                .branch((k, v) -> v instanceof RoomOutput.Command,
                        // key = forwarder id, default partitioner: the forwarder reads murmur2(id) % partitions
                        Branched.withConsumer(s -> sink(s, Topics.FORWARDER_COMMANDS, "forwarder-commands",
                                "forwarder-commands-sink", null), "forwarder-commands"))
                .branch((k, v) -> v instanceof RoomOutput.Placement,
                        Branched.withConsumer(s -> sink(s, Topics.PLACEMENT_ASSIGNED, "placements", "placements-sink", null),
                                "placements"))
                .branch((k, v) -> v instanceof RoomOutput.Ended,
                        Branched.withConsumer(s -> sink(s, Topics.MEETING_ENDED, "meeting-ended", "meeting-ended-sink", null),
                                "meeting-ended"))
                .branch((k, v) -> v instanceof RoomOutput.RecordingRequested,
                        Branched.withConsumer(s -> sink(s, Topics.RECORDING_CONTROL, "recording-control",
                                "recording-control-sink", null), "recording-control"))
                .noDefaultBranch();
        return builder;
    }

    private static <V> KStream<String, V> source(StreamsBuilder b, TopicSpec<V> topic, String name) {
        return b.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name + "-source"));
    }

    private static <V> void sink(KStream<String, RoomOutput> s, TopicSpec<V> topic, String branch, String sinkName,
                                 StreamPartitioner<String, V> partitioner) {
        Function<RoomOutput, V> unwrap = o -> topic.valueType().cast(o.value());   // null: a tombstone
        Produced<String, V> produced = Produced.with(topic.keySerde(), topic.valueSerde()).withName(sinkName);
        if (partitioner != null) {
            produced = produced.withStreamPartitioner(partitioner);
        }
        s.mapValues(unwrap::apply, Named.as(branch + "-unwrap")).to(topic.name(), produced);
    }
}
