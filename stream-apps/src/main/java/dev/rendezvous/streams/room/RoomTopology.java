package dev.rendezvous.streams.room;

import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.serde.JsonSerde;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;

/**
 * The room processor's topology, a pure function of its configuration (no Spring, no I/O, no clock):
 *
 * <pre>
 *  room.member.requested ─▶ member-requests-source ─▶ member-requests-as-commands ─┐
 *                                                                                    ├▶ room-commands-merge ─▶ room-processor
 *  chat.message.requested ─▶ chat-requests-source ─▶ chat-requests-as-commands ────┘      [room-members, chat-rooms]
 *
 *  room-processor ─▶ room-outputs- (split) ─┬▶ deliveries ─▶ deliveries-unwrap ─▶ gateway-deliveries-sink (gateway.delivery.requested, partition from the value)
 *                                            ├▶ chat-accepted ─▶ chat-accepted-unwrap ─▶ chat-accepted-sink (chat.message.accepted)
 *                                            ├▶ membership ─▶ membership-unwrap ─▶ membership-changed-sink (room.membership.changed)
 *                                            └▶ analytics ─▶ analytics-unwrap ─▶ analytics-sink (analytics.event.recorded)
 * </pre>
 *
 * Both inputs are keyed by meeting id with the same partition count (co-partitioned), so one task sees a
 * room's whole control stream in order. Every source, processor, sink and store has a name, so internal
 * topic names (the stores' changelogs, {@code <application.id>-room-members-changelog} and
 * {@code <application.id>-chat-rooms-changelog}) survive refactoring.
 */
public final class RoomTopology {

    /** meetingId → {@link RoomMembers}: the room's sockets and their gateways. */
    public static final String MEMBERS_STORE = "room-members";
    /** meetingId → {@link ChatRoomState}: last chat seq and the recent clientMsgIds, in one value. */
    public static final String CHAT_STORE = "chat-rooms";

    private RoomTopology() {}

    /** Adds the room processor to {@code builder}; returns the builder for chaining. */
    public static StreamsBuilder build(StreamsBuilder builder, RoomTopologyConfig cfg) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(MEMBERS_STORE), Serdes.String(), JsonSerde.of(RoomMembers.class))
                // the cache coalesces a join storm's rewrites of one big member list into one changelog record per commit
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CHAT_STORE), Serdes.String(), new ChatRoomStateSerde())
                .withCachingEnabled());

        KStream<String, RoomCommand> members = source(builder, Topics.MEMBER_REQUESTED, "member-requests")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.Membership(v),
                        Named.as("member-requests-as-commands"));
        KStream<String, RoomCommand> chats = source(builder, Topics.CHAT_REQUESTED, "chat-requests")
                .mapValues(v -> v == null ? null : (RoomCommand) new RoomCommand.Chat(v),
                        Named.as("chat-requests-as-commands"));

        KStream<String, RoomOutput> outputs = members
                .merge(chats, Named.as("room-commands-merge"))
                .process(() -> new RoomProcessor(cfg), Named.as("room-processor"), MEMBERS_STORE, CHAT_STORE);

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
                .noDefaultBranch();
        return builder;
    }

    private static <V> KStream<String, V> source(StreamsBuilder b, TopicSpec<V> topic, String name) {
        return b.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name + "-source"));
    }

    private static <V> void sink(KStream<String, RoomOutput> s, TopicSpec<V> topic, String branch, String sinkName,
                                 StreamPartitioner<String, V> partitioner) {
        Function<RoomOutput, V> unwrap = o -> topic.valueType().cast(o.value());
        Produced<String, V> produced = Produced.with(topic.keySerde(), topic.valueSerde()).withName(sinkName);
        if (partitioner != null) {
            produced = produced.withStreamPartitioner(partitioner);
        }
        s.mapValues(unwrap::apply, Named.as(branch + "-unwrap")).to(topic.name(), produced);
    }
}
