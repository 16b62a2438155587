package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The forwarders' latest metrics (global store {@code forwarder-metrics}, one value per forwarder), read for the
 * failover checks of all the instance's room tasks together. Each task checks every 100 ms, and a read scans the
 * store and decodes every value: with six tasks that was 60 scans a second, ~5 % of stream-apps' CPU samples under chat
 * load, for a store that changes once a second per forwarder. A read younger than
 * {@code maxAge} on the caller's clock is handed out again instead. Thread-safe (stream threads share it); a race
 * reads twice, which is harmless.
 */
final class FleetView {

    private record Snapshot(long readAt, Map<String, ForwarderMetrics> fleet) {}

    private final long maxAgeMillis;
    private volatile Snapshot last;

    FleetView(java.time.Duration maxAge) {
        this.maxAgeMillis = maxAge.toMillis();
    }

    /**
     * The fleet as read at most {@code maxAge} before {@code now} (read again when older, or when the clock went back
     * by more than {@code maxAge}: the stream threads' cached times differ by a few milliseconds, and a caller a little
     * behind the last reader takes its read as it is).
     */
    Map<String, ForwarderMetrics> at(ReadOnlyKeyValueStore<String, ValueAndTimestamp<ForwarderMetrics>> store, long now) {
        Snapshot s = last;
        if (s == null || now - s.readAt() >= maxAgeMillis || s.readAt() - now > maxAgeMillis) {
            s = new Snapshot(now, Collections.unmodifiableMap(read(store)));
            last = s;
        }
        return s.fleet();
    }

    /** Every forwarder's latest metrics, read now, in the store's (id) order. */
    static Map<String, ForwarderMetrics> read(ReadOnlyKeyValueStore<String, ValueAndTimestamp<ForwarderMetrics>> store) {
        Map<String, ForwarderMetrics> all = new LinkedHashMap<>();
        try (KeyValueIterator<String, ValueAndTimestamp<ForwarderMetrics>> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.key != null && kv.value != null && kv.value.value() != null) {
                    all.put(kv.key, kv.value.value());
                }
            });
        }
        return all;
    }
}
