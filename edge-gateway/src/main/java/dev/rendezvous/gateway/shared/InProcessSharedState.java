package dev.rendezvous.gateway.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The shared state of a gateway that has no Aerospike: maps in this JVM with the same expiry rules, so it is right
 * for exactly one gateway (a second gateway keeps its own counters, and does not see this one's revocations).
 * Each map holds at most {@link #MAX_ENTRIES} entries: past that, expired entries are swept, and if none has
 * expired the oldest-expiring ones go first.
 */
public final class InProcessSharedState implements SharedState, RateCounters, Revocations, SocketPresence {

    static final int MAX_ENTRIES = 100_000;

    private record Entry(long count, String text, Instant expires) {}

    private final Clock clock;
    private final Map<String, Entry> counters = new ConcurrentHashMap<>();
    private final Map<String, Entry> revoked = new ConcurrentHashMap<>();
    private final Map<String, Entry> presence = new ConcurrentHashMap<>();

    public InProcessSharedState(Clock clock) {
        this.clock = clock;
    }

    @Override
    public RateCounters counters() {
        return this;
    }

    @Override
    public Revocations revocations() {
        return this;
    }

    @Override
    public SocketPresence presence() {
        return this;
    }

    @Override
    public String describe() {
        return "in-process (this gateway only: set rendezvous.aerospike.hosts to share it between gateways)";
    }

    // ---- counters

    @Override
    public Mono<Long> add(String key, long delta, Duration ttl) {
        return Mono.fromSupplier(() -> {
            Instant now = clock.instant();
            Entry e = counters.compute(key, (k, old) -> new Entry(
                    (old == null || !old.expires().isAfter(now) ? 0 : old.count()) + delta, null, now.plus(ttl)));
            bound(counters, now);
            return e.count();
        });
    }

    @Override
    public Mono<Long> get(String key) {
        return Mono.fromSupplier(() -> {
            Entry e = live(counters, key);
            return e == null ? 0L : e.count();
        });
    }

    // ---- revocations

    @Override
    public Mono<Void> revoke(String key, Instant until) {
        return Mono.fromRunnable(() -> {
            Instant now = clock.instant();
            if (until.isAfter(now)) {
                revoked.merge(key, new Entry(0, null, until),
                        (a, b) -> a.expires().isAfter(b.expires()) ? a : b);
                bound(revoked, now);
            }
        });
    }

    @Override
    public Mono<Set<String>> revokedAmong(Collection<String> keys) {
        return Mono.fromSupplier(() -> keys.stream().filter(k -> live(revoked, k) != null)
                .collect(Collectors.toUnmodifiableSet()));
    }

    // ---- presence

    @Override
    public Mono<Void> put(String socketId, String gatewayId, Duration ttl) {
        return Mono.fromRunnable(() -> {
            Instant now = clock.instant();
            presence.put(socketId, new Entry(0, gatewayId, now.plus(ttl)));
            bound(presence, now);
        });
    }

    @Override
    public Mono<Void> remove(String socketId) {
        return Mono.fromRunnable(() -> presence.remove(socketId));
    }

    @Override
    public Mono<String> gatewayOf(String socketId) {
        return Mono.fromSupplier(() -> live(presence, socketId)).map(Entry::text);
    }

    // ----

    private Entry live(Map<String, Entry> map, String key) {
        Entry e = map.get(key);
        if (e == null) {
            return null;
        }
        if (!e.expires().isAfter(clock.instant())) {
            map.remove(key, e);
            return null;
        }
        return e;
    }

    private static void bound(Map<String, Entry> map, Instant now) {
        if (map.size() <= MAX_ENTRIES) {
            return;
        }
        map.values().removeIf(e -> !e.expires().isAfter(now));
        if (map.size() > MAX_ENTRIES) {
            List<Map.Entry<String, Entry>> soonest = map.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue((a, b) -> a.expires().compareTo(b.expires())))
                    .limit(map.size() - MAX_ENTRIES + MAX_ENTRIES / 10)
                    .toList();
            for (Iterator<Map.Entry<String, Entry>> it = soonest.iterator(); it.hasNext(); ) {
                Map.Entry<String, Entry> e = it.next();
                map.remove(e.getKey(), e.getValue());
            }
        }
    }

    int size() {
        return counters.size() + revoked.size() + presence.size();
    }

    @Override
    public void close() {
        counters.clear();
        revoked.clear();
        presence.clear();
    }
}
