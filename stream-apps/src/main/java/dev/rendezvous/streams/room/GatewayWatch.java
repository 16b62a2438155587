package dev.rendezvous.streams.room;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import dev.rendezvous.topics.model.MemberRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of the room processor, in the same task: passes every room command on unchanged, remembers which
 * sockets each gateway asked to join each room with (from the JOINs and LEAVEs going by, store
 * {@value #SOCKETS_STORE}), and on a wall-clock punctuator reads the gateways' heartbeats (global store
 * {@value #HEARTBEATS_STORE}, from {@code gateway.heartbeat.reported}). When a gateway is lost its sockets are handed
 * to the room processor as {@link RoomCommand.GatewayLost}, one per room, keyed by meeting id, so that each room
 * applies them in its own order like LEAVEs. A gateway is lost
 * <ul>
 *   <li>when its heartbeat has not changed for {@link PresenceSettings#gatewaySilence()}: all its sockets;</li>
 *   <li>when it said it is going away (graceful shutdown): the sockets that joined before that beat;</li>
 *   <li>when it comes back as another process (new {@code instanceId}) or is first seen by this task: the sockets
 *       that joined before that process started (they belonged to an earlier one).</li>
 * </ul>
 * Silence is measured on this task's wall clock, from the moment it saw a beat change, never by comparing clocks
 * of two machines; after a restart or a rebalance every gateway starts with a full silence period. Gateways that never
 * sent a heartbeat are never expired, and nothing is expired while no gateway at all has beaten for the silence period
 * (then this task's view of the heartbeats is stale, e.g. after a broker outage, rather than every gateway dead).
 * The sockets handed over are forgotten here; a gateway that revives after such a silence closes all its sockets
 * itself (their pages reconnect and join again), so none of them stays open believing it is in a room.
 */
final class GatewayWatch implements Processor<String, RoomCommand, String, RoomCommand> {

    /**
     * gatewayId NUL meetingId NUL socketId → when the socket joined (the JOIN record's time): one entry per socket, so
     * that no record grows with a room (a 1,000-socket room is 1,000 small entries, not one large value).
     */
    static final String SOCKETS_STORE = "gateway-socket-index";
    /** Global: gatewayId → its latest {@link GatewayHeartbeat}. */
    static final String HEARTBEATS_STORE = "gateway-heartbeats";

    private static final Logger log = LoggerFactory.getLogger(GatewayWatch.class);
    private static final char SEP = '\u0000';

    private final PresenceSettings settings;
    /** gatewayId → the beat last seen and when (wall clock) it was first seen. In memory: rebuilt with grace. */
    private final Map<String, Seen> seen = new HashMap<>();
    private ProcessorContext<String, RoomCommand> ctx;
    private KeyValueStore<String, Long> sockets;
    private ReadOnlyKeyValueStore<String, ValueAndTimestamp<GatewayHeartbeat>> beats;

    private record Seen(GatewayHeartbeat beat, long since) {}

    GatewayWatch(PresenceSettings settings) {
        this.settings = settings;
    }

    /** Adds this processor's store and the heartbeats' global store to {@code builder}. */
    static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SOCKETS_STORE), Serdes.String(), Serdes.Long()));
        builder.globalTable(Topics.GATEWAY_HEARTBEATS.name(),
                Consumed.with(Topics.GATEWAY_HEARTBEATS.keySerde(), Topics.GATEWAY_HEARTBEATS.valueSerde())
                        .withName("gateway-heartbeats-source"),
                Materialized.<String, GatewayHeartbeat, KeyValueStore<Bytes, byte[]>>as(HEARTBEATS_STORE)
                        .withKeySerde(Topics.GATEWAY_HEARTBEATS.keySerde())
                        .withValueSerde(Topics.GATEWAY_HEARTBEATS.valueSerde()));
    }

    @Override
    public void init(ProcessorContext<String, RoomCommand> context) {
        this.ctx = context;
        this.sockets = context.getStateStore(SOCKETS_STORE);
        this.beats = context.getStateStore(HEARTBEATS_STORE);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    @Override
    public void process(Record<String, RoomCommand> record) {
        if (record.key() != null && record.value() instanceof RoomCommand.Membership m) {
            remember(record.key(), m.request(), record.timestamp());
        }
        ctx.forward(record);
    }

    private void remember(String meetingId, MemberRequest req, long ts) {
        if (req == null || req.action() == null || blank(req.socketId()) || blank(req.gatewayId())
                || meetingId.indexOf(SEP) >= 0 || req.socketId().indexOf(SEP) >= 0) {
            return;   // the room processor counts it as malformed
        }
        String key = key(req.gatewayId(), meetingId) + SEP + req.socketId();
        if (req.action() == MemberRequest.Action.JOIN) {
            sockets.put(key, ts);
        } else {
            sockets.delete(key);
        }
    }

    /** The punctuator: which gateways are lost, and since when. */
    void check(long now) {
        List<Lost> lost = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<GatewayHeartbeat>> it = beats.all()) {
            while (it.hasNext()) {
                KeyValue<String, ValueAndTimestamp<GatewayHeartbeat>> kv = it.next();
                GatewayHeartbeat beat = kv.value == null ? null : kv.value.value();
                if (kv.key != null && beat != null) {
                    judge(kv.key, beat, now, lost);
                }
            }
        }
        boolean anyAlive = seen.values().stream()
                .anyMatch(s -> now - s.since() < settings.gatewaySilence().toMillis());
        lost.stream()
                .filter(l -> anyAlive || !l.silent())   // all silent at once: our view is stale, not every gateway dead
                .forEach(l -> expire(l, now));
    }

    private record Lost(String gatewayId, long joinedBefore, String why, boolean silent) {}

    private void judge(String gatewayId, GatewayHeartbeat beat, long now, List<Lost> lost) {
        Seen before = seen.get(gatewayId);
        if (before == null || !Objects.equals(before.beat().instanceId(), beat.instanceId())) {
            seen.put(gatewayId, new Seen(beat, now));
            if (beat.startedAt() != null) {
                // sockets from before this process started were held by an earlier one: it is gone
                lost.add(new Lost(gatewayId, beat.startedAt().toEpochMilli(), "came back as a new process", false));
            }
        } else if (!beat.equals(before.beat())) {
            seen.put(gatewayId, new Seen(beat, now));
        }
        if (beat.status() == GatewayHeartbeat.Status.GOING_AWAY) {
            // a newer process of the same id may already hold sockets joined after this beat
            lost.add(new Lost(gatewayId, beat.at() == null ? Long.MAX_VALUE : beat.at().toEpochMilli(), "went away", false));
        } else if (now - seen.get(gatewayId).since() >= settings.gatewaySilence().toMillis()) {
            lost.add(new Lost(gatewayId, Long.MAX_VALUE, "silent for " + settings.gatewaySilence(), true));
        }
    }

    private void expire(Lost lost, long now) {
        record Entry(String key, String meetingId, String socketId, long joinedAt) {}
        List<Entry> gone = new ArrayList<>();
        String prefix = lost.gatewayId() + SEP;
        try (KeyValueIterator<String, Long> it = sockets.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                int sep = kv.key.indexOf(SEP, prefix.length());
                if (sep < 0 || kv.value == null || kv.value >= lost.joinedBefore()) {
                    continue;
                }
                gone.add(new Entry(kv.key, kv.key.substring(prefix.length(), sep), kv.key.substring(sep + 1), kv.value));
            }
        }
        // per room, oldest first (then by id, for a stable order), as the LEAVEs would have come
        Map<String, List<Entry>> byRoom = new java.util.TreeMap<>();
        gone.stream().sorted(java.util.Comparator.comparingLong(Entry::joinedAt).thenComparing(Entry::socketId))
                .forEach(e -> byRoom.computeIfAbsent(e.meetingId(), k -> new ArrayList<>()).add(e));
        for (Map.Entry<String, List<Entry>> room : byRoom.entrySet()) {
            room.getValue().forEach(e -> sockets.delete(e.key()));
            List<String> ids = room.getValue().stream().map(Entry::socketId).toList();
            log.info("gateway {} {}: {} socket(s) leave meeting {}", lost.gatewayId(), lost.why(), ids.size(), room.getKey());
            ctx.forward(new Record<>(room.getKey(), new RoomCommand.GatewayLost(lost.gatewayId(), ids), now));
        }
    }

    static String key(String gatewayId, String meetingId) {
        return gatewayId + SEP + meetingId;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
