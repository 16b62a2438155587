package dev.rendezvous.streams.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets the {@code room-control} record of a room that nobody is in, nobody waits to enter and nothing records,
 * once {@link RoomTopologyConfig#controlRetention()} has passed since the record last changed
 * ({@link RoomControl#touchedAt}). Without it the store, its RocksDB and its compacted changelog would keep one record
 * per meeting ever held, each with up to {@value RoomControl#RECENT_REQUESTS} decided requests.
 *
 * <p>What is lost with the record: the co-hosts' rights after the meeting (its analytics, invitations: the creator
 * keeps them, from the meetings table), the removals (a removed participant may join the link again) and the lock.
 * An ended meeting stays ended: the gateway refuses its joins from {@code meetings.ended_at}.
 *
 * <p>A wall-clock punctuator of the room processor's task walks the task's records in key order from where the last
 * slice stopped: every {@link #INTERVAL} at most {@link #BATCH} records or {@link #BUDGET_NANOS} of the stream thread,
 * whichever comes first (each record is a JSON decode, and chat waits behind it), and after a whole walk it rests
 * {@link #REST_MS} before the next, so a small store is not decoded again every few seconds. A store of a million
 * rooms is walked in 14 hours or more: a record goes up to that long after its retention. A record stored before
 * {@code touchedAt} existed is stamped with the walk's time the first time it is seen, and so kept one retention
 * from the upgrade.
 */
final class ControlSweep {

    private static final Logger log = LoggerFactory.getLogger(ControlSweep.class);

    /** How often a slice of the store is walked. */
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** Records looked at per slice, at most. */
    static final int BATCH = 200;
    /** Stream-thread time per slice, at most (checked after each record). */
    static final long BUDGET_NANOS = 2_000_000;
    /** Rest after a whole walk of the store. */
    static final long REST_MS = Duration.ofMinutes(10).toMillis();

    private final KeyValueStore<String, RoomControl> controls;
    private final RoomMemberStore rooms;
    private final long retentionMs;
    private final RoomMetrics metrics;
    /** The key the next slice starts from; null: from the first. */
    private String cursor;
    /** Wall-clock time (ms) before which no walk starts again, after a whole walk. */
    private long restUntil;

    ControlSweep(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomMemberStore rooms) {
        this.controls = ctx.getStateStore(RoomTopology.CONTROL_STORE);
        this.rooms = rooms;
        this.retentionMs = cfg.controlRetention().toMillis();
        this.metrics = cfg.metrics();
        ctx.schedule(INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    /** The punctuator: one slice of the walk. */
    void sweep(long now) {
        if (cursor == null && now < restUntil) {
            return;
        }
        List<String> expired = new ArrayList<>();
        List<KeyValue<String, RoomControl>> stamped = new ArrayList<>();
        long deadline = System.nanoTime() + BUDGET_NANOS;
        try (KeyValueIterator<String, RoomControl> it = cursor == null ? controls.all() : controls.range(cursor, null)) {
            int seen = 0;
            while (seen < BATCH && it.hasNext() && (seen == 0 || System.nanoTime() - deadline < 0)) {
                KeyValue<String, RoomControl> e = it.next();
                seen++;
                RoomControl c = e.value;
                if (c == null) {
                    continue;
                }
                if (c.touchedAt <= 0) {
                    c.touchedAt = now;
                    stamped.add(KeyValue.pair(e.key, c));
                } else if (now - c.touchedAt >= retentionMs && idle(e.key, c)) {
                    expired.add(e.key);
                }
            }
            cursor = it.hasNext() ? it.peekNextKey() : null;
        }
        if (cursor == null) {
            restUntil = now + REST_MS;
        }
        // written after the iterator is closed: a store's iterator does not promise to see its own writes
        stamped.forEach(kv -> controls.put(kv.key, kv.value));
        expired.forEach(controls::delete);
        if (!expired.isEmpty()) {
            metrics.count(RoomMetrics.Outcome.ROOM_CONTROL_FORGOTTEN, expired.size());
            log.debug("forgot the control of {} room(s) idle for {} or more", expired.size(), Duration.ofMillis(retentionMs));
        }
    }

    /** Nobody in the room, nobody in its lobby, no recording running. */
    private boolean idle(String meetingId, RoomControl c) {
        RoomMembers room = rooms.get(meetingId);
        return (room == null || room.isEmpty()) && c.waiting.isEmpty() && c.recording == null;
    }
}
