package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The rooms' members, one store entry per socket: key {@code <meetingId>|<socketId>}, value a {@link MemberEntry}.
 * A room is read with a prefix scan of {@code <meetingId>|} and handed out as the {@link RoomMembers} view the
 * decision code works on; writing a view back puts only the entries that changed and deletes the sockets that are
 * gone (tombstones on the changelog), so no record grows with the room. (One value per room grew past the producer's
 * size limit at ~1,600 joins with long names, and the stream thread then failed on it for ever.)
 *
 * <p>It also keeps each departed socket for {@link #DEPARTURE_RETENTION} of stream time (store
 * {@code room-departures}, same key), so that a LEAVE read again after a crash can repeat its effects. Every access to
 * both stores goes through this class.
 *
 * <p>The rooms read recently are also kept in memory (at most {@link #CACHED_ROOMS}), so that a chat message or a
 * signal does not scan and decode its room's entries again. The room processor makes one instance per task and hands
 * it to its parts; every write goes through it, so memory and store agree (a task's processor is initialised anew
 * whenever its stores may have changed under it: restore, revival).
 *
 * <p>Meeting ids never contain {@code |} (the processor drops such records as malformed), so one room's prefix never
 * matches another room's keys.
 */
final class RoomMemberStore {

    static final char SEPARATOR = '|';
    /** How long a departed socket is remembered: far longer than a commit interval plus a restore. */
    static final Duration DEPARTURE_RETENTION = Duration.ofMinutes(10);

    private static final StringSerializer KEYS = new StringSerializer();

    /** Rooms kept in memory (their entries and view); a room of 1,000 sockets is a few hundred KB. */
    static final int CACHED_ROOMS = 1024;

    /** A room as stored (entries in join order) and as the decision code sees it. */
    private record Room(List<MemberEntry> entries, RoomMembers view) {}

    private final KeyValueStore<String, MemberEntry> sockets;
    private final KeyValueStore<String, MemberEntry> departures;
    /** null: nothing kept (a view over stores someone else writes, e.g. a test driver's). */
    private final Map<String, Room> cached;

    private RoomMemberStore(KeyValueStore<String, MemberEntry> sockets, KeyValueStore<String, MemberEntry> departures,
                            boolean cache) {
        this.sockets = sockets;
        this.departures = departures;
        this.cached = !cache ? null : new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Room> eldest) {
                return size() > CACHED_ROOMS;
            }
        };
    }

    /** The stores of the processor's task: one instance per task, shared by the processor's parts (it keeps rooms). */
    static RoomMemberStore in(ProcessorContext<?, ?> ctx) {
        return new RoomMemberStore(ctx.getStateStore(RoomTopology.MEMBERS_STORE),
                ctx.getStateStore(RoomTopology.DEPARTURES_STORE), true);
    }

    /** Over the given stores, keeping nothing in memory (tests read a driver's stores through this). */
    static RoomMemberStore over(KeyValueStore<String, MemberEntry> sockets, KeyValueStore<String, MemberEntry> departures) {
        return new RoomMemberStore(sockets, departures, false);
    }

    /** Whether a meeting id can be a key prefix here. */
    static boolean usableMeetingId(String meetingId) {
        return meetingId.indexOf(SEPARATOR) < 0;
    }

    /** The room's sockets in join order, or null when it has none (as a missing store value). */
    RoomMembers get(String meetingId) {
        return room(meetingId).view();
    }

    /**
     * Makes the room's stored sockets those of {@code after}: new sockets are added after the others, changed ones
     * rewritten in place, missing ones deleted. An empty view deletes the room.
     */
    void put(String meetingId, RoomMembers after) {
        Map<String, MemberEntry> current = new LinkedHashMap<>();
        long next = 0;
        for (MemberEntry e : room(meetingId).entries()) {
            current.put(e.member().socketId(), e);
            next = Math.max(next, e.order() + 1);
        }
        List<MemberEntry> now = new ArrayList<>(after.members().size());
        for (Member m : after.members()) {
            MemberEntry was = current.remove(m.socketId());
            MemberEntry is = was == null ? MemberEntry.present(next++, m)
                    : was.member().equals(m) ? was : MemberEntry.present(was.order(), m);
            if (is != was) {
                sockets.put(key(meetingId, m.socketId()), is);
            }
            now.add(is);
        }
        current.keySet().forEach(socketId -> sockets.delete(key(meetingId, socketId)));
        remember(meetingId, now);
    }

    /** Deletes every socket of the room. */
    void delete(String meetingId) {
        room(meetingId).entries().forEach(e -> sockets.delete(key(meetingId, e.member().socketId())));
        remember(meetingId, List.of());
    }

    // ---- departures ---------------------------------------------------------------------------------

    /** Remembers that {@code m} left at {@code ts}, from the room on {@code forwarderId} (for a replay of its LEAVE). */
    void departed(String meetingId, Member m, long ts, String forwarderId) {
        departures.put(key(meetingId, m.socketId()), new MemberEntry(0, m, ts, forwarderId));
    }

    /** The socket's recent departure, if it left within the retention. */
    Optional<MemberEntry> departure(String meetingId, String socketId) {
        return Optional.ofNullable(departures.get(key(meetingId, socketId)));
    }

    /** The socket is back (a replayed JOIN): its departure is no longer news. */
    void forgetDeparture(String meetingId, String socketId) {
        if (departures.get(key(meetingId, socketId)) != null) {
            departures.delete(key(meetingId, socketId));
        }
    }

    /** Forgets departures older than the retention, every minute of stream time. */
    void scheduleExpiry(ProcessorContext<?, ?> ctx) {
        ctx.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::expireDepartures);
    }

    void expireDepartures(long streamTime) {
        long before = streamTime - DEPARTURE_RETENTION.toMillis();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, MemberEntry> it = departures.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value == null || kv.value.leftAt() < before) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(departures::delete);
    }

    // ---- keys ---------------------------------------------------------------------------------------

    private Room room(String meetingId) {
        Room r = cached == null ? null : cached.get(meetingId);
        if (r == null) {
            r = roomOf(entries(meetingId));
            if (cached != null) {
                cached.put(meetingId, r);
            }
        }
        return r;
    }

    private void remember(String meetingId, List<MemberEntry> entries) {
        if (cached != null) {
            List<MemberEntry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparingLong(MemberEntry::order));
            cached.put(meetingId, roomOf(sorted));
        }
    }

    private static Room roomOf(List<MemberEntry> sorted) {
        return new Room(List.copyOf(sorted),
                sorted.isEmpty() ? null : new RoomMembers(sorted.stream().map(MemberEntry::member).toList()));
    }

    private List<MemberEntry> entries(String meetingId) {
        List<MemberEntry> l = new ArrayList<>();
        try (KeyValueIterator<String, MemberEntry> it = sockets.prefixScan(meetingId + SEPARATOR, KEYS)) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    l.add(kv.value);
                }
            });
        }
        l.sort(Comparator.comparingLong(MemberEntry::order));
        return l;
    }

    static String key(String meetingId, String socketId) {
        return meetingId + SEPARATOR + socketId;
    }
}
