package dev.rendezvous.streams.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets the {@code room-control} record of a room that nobody is in, nobody waits to enter and nothing records,
 * once {@link Settings#retention()} has passed since the record last changed ({@link RoomControl#touchedAt}).
 * Without it the store, its RocksDB and its compacted changelog would keep one record per meeting ever held, each
 * with up to {@value RoomControl#RECENT_REQUESTS} decided requests.
 *
 * <p>What is lost with the record: the co-hosts' rights after the meeting (its analytics, invitations: the creator
 * keeps them, from the meetings table), the removals (a removed participant may join the link again) and the lock.
 * An ended meeting stays ended: the gateway refuses its joins, and answers its creator's host actions, from
 * {@code meetings.ended_at}.
 *
 * <p>A wall-clock punctuator of the room processor's task walks the task's records in key order, one slice every
 * {@link #INTERVAL}: at most {@link Settings#batch()} records or {@link Settings#budget()} of the stream thread,
 * whichever comes first (each record is a JSON decode, and chat waits behind it). A walk starts at a random key
 * and wraps round to it, so a task that moves to another instance before a walk ends (a deploy, a rebalance) does
 * not look at the same first keys again and never at the last ones; after a whole walk the sweep rests
 * {@link Settings#rest()}, so a small store is not decoded again every few seconds. With the defaults a million
 * rooms per task are walked in 14 hours or more: a record may outlive its retention by that much. A record stored
 * before {@code touchedAt} existed is stamped with the walk's time the first time it is seen, and so kept one
 * retention from the upgrade.
 */
final class ControlSweep {

    private static final Logger log = LoggerFactory.getLogger(ControlSweep.class);

    /** How often a slice of the store is walked. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    /**
     * How long an idle room's record is kept, and how the store is walked.
     *
     * @param retention how long after its last change the record of an idle room is forgotten
     * @param batch     records looked at per slice, at most
     * @param budget    stream-thread time per slice, at most (checked after each record; the first is always read)
     * @param rest      pause after a whole walk of the store
     * @param walkStart the key every walk starts at (tests); null: a random one, as in production
     */
    record Settings(Duration retention, int batch, Duration budget, Duration rest, String walkStart) {

        static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

        Settings {
            if (retention == null || retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("the control retention must be positive, was " + retention);
            }
            if (batch < 1 || budget == null || budget.isNegative() || budget.isZero() || rest == null || rest.isNegative()) {
                throw new IllegalArgumentException("bad control sweep settings: " + batch + ", " + budget + ", " + rest);
            }
        }

        /** 30 days; 200 records or 2 ms per slice; 10 minutes' rest after a walk. */
        static Settings defaults() {
            return new Settings(DEFAULT_RETENTION, 200, Duration.ofMillis(2), Duration.ofMinutes(10), null);
        }

        Settings withRetention(Duration d) {
            return new Settings(d, batch, budget, rest, walkStart);
        }
    }

    private final KeyValueStore<String, RoomControl> controls;
    private final RoomMemberStore rooms;
    private final Settings settings;
    private final long retentionMs;
    private final long budgetNanos;
    private final RoomMetrics metrics;
    /** Where the current walk began (a random key); null between walks. */
    private String walkFrom;
    /** The walk has passed the last key and goes on from the first up to {@link #walkFrom}. */
    private boolean wrapped;
    /** The key the next slice starts from; null: from the first (after the wrap). */
    private String cursor;
    /** Wall-clock time (ms) before which no walk starts, after a whole walk. */
    private long restUntil;

    ControlSweep(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomMemberStore rooms) {
        this.controls = ctx.getStateStore(RoomTopology.CONTROL_STORE);
        this.rooms = rooms;
        this.settings = cfg.controlSweep();
        this.retentionMs = settings.retention().toMillis();
        this.budgetNanos = settings.budget().toNanos();
        this.metrics = cfg.metrics();
        ctx.schedule(INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    /** The punctuator: one slice of the walk. */
    void sweep(long now) {
        if (walkFrom == null) {
            if (now < restUntil) {
                return;
            }
            // meeting ids are UUIDs: a uniform start
            walkFrom = settings.walkStart() != null ? settings.walkStart() : UUID.randomUUID().toString();
            wrapped = false;
            cursor = walkFrom;
        }
        List<String> expired = new ArrayList<>();
        List<KeyValue<String, RoomControl>> stamped = new ArrayList<>();
        long deadline = System.nanoTime() + budgetNanos;
        boolean more;
        // before the wrap: from the cursor to the last key; after it: from the first key (or the cursor) to the start
        try (KeyValueIterator<String, RoomControl> it = wrapped ? controls.range(cursor, walkFrom)
                : controls.range(cursor, null)) {
            int seen = 0;
            while (seen < settings.batch() && it.hasNext() && (seen == 0 || System.nanoTime() - deadline < 0)) {
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
            more = it.hasNext();
            cursor = more ? it.peekNextKey() : null;
        }
        if (!more) {
            if (!wrapped) {
                wrapped = true;   // on from the first key (cursor null) up to where the walk began
            } else {
                walkFrom = null;
                restUntil = now + settings.rest().toMillis();
            }
        }
        // written after the iterator is closed: a store's iterator does not promise to see its own writes
        stamped.forEach(kv -> controls.put(kv.key, kv.value));
        expired.forEach(controls::delete);
        if (!expired.isEmpty()) {
            metrics.count(RoomMetrics.Outcome.ROOM_CONTROL_FORGOTTEN, expired.size());
            log.debug("forgot the control of {} room(s) idle for {} or more", expired.size(), settings.retention());
        }
    }

    /** Nobody in the room, nobody in its lobby, no recording running. */
    private boolean idle(String meetingId, RoomControl c) {
        RoomMembers room = rooms.get(meetingId);
        return (room == null || room.isEmpty()) && c.waiting.isEmpty() && c.recording == null;
    }
}
