package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

class FleetViewTest {

    private final CountingStore store = new CountingStore();
    private final FleetView view = new FleetView(Duration.ofMillis(100));

    @Test
    void shouldReadTheStoreOncePerIntervalForEveryCaller() {
        store.put("fwd-a", 10);

        assertThat(view.at(store, 1_000)).containsOnlyKeys("fwd-a");
        store.put("fwd-b", 20);
        // the other tasks' checks within the interval get the same read
        assertThat(view.at(store, 1_040)).containsOnlyKeys("fwd-a");
        assertThat(view.at(store, 1_099)).containsOnlyKeys("fwd-a");
        assertThat(store.scans).isEqualTo(1);

        assertThat(view.at(store, 1_100)).containsOnlyKeys("fwd-a", "fwd-b");
        assertThat(store.scans).isEqualTo(2);
        assertThat(view.at(store, 1_100).get("fwd-b").capacity()).isEqualTo(20);
    }

    @Test
    void shouldReadAgainWhenTheClockGoesBackByMoreThanTheIntervalButNotForAThreadALittleBehind() {
        store.put("fwd-a", 10);
        view.at(store, 5_000);
        store.put("fwd-a", 30);

        // another stream thread's cached time, a few milliseconds behind the last reader's
        assertThat(view.at(store, 4_990).get("fwd-a").capacity()).isEqualTo(10);
        assertThat(store.scans).isEqualTo(1);

        assertThat(view.at(store, 4_000).get("fwd-a").capacity()).isEqualTo(30);
        assertThat(store.scans).isEqualTo(2);
    }

    /** The global store's read side over a map, counting full scans. */
    private static final class CountingStore implements ReadOnlyKeyValueStore<String, ValueAndTimestamp<ForwarderMetrics>> {
        final TreeMap<String, ValueAndTimestamp<ForwarderMetrics>> values = new TreeMap<>();
        int scans;

        void put(String id, int capacity) {
            values.put(id, ValueAndTimestamp.make(new ForwarderMetrics(id, "local", Instant.EPOCH, capacity,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0));
        }

        @Override
        public ValueAndTimestamp<ForwarderMetrics> get(String key) {
            return values.get(key);
        }

        @Override
        public KeyValueIterator<String, ValueAndTimestamp<ForwarderMetrics>> range(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<String, ValueAndTimestamp<ForwarderMetrics>> all() {
            scans++;
            Iterator<Map.Entry<String, ValueAndTimestamp<ForwarderMetrics>>> it = Map.copyOf(values).entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, ValueAndTimestamp<ForwarderMetrics>> next() {
                    var e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {}

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return values.size();
        }
    }
}
