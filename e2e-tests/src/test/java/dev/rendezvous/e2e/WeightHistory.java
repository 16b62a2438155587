package dev.rendezvous.e2e;

import dev.rendezvous.streams.placement.ForwarderWeight;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The forwarders' placement weights over time, read from their metrics records on {@code forwarder.metrics}: what
 * stream-apps weighed each room by. Placement picks among forwarders in proportion to {@link ForwarderWeight#weight},
 * which includes penalties for CPU, loss, RTT and packet rate; a forwarder busy for a moment (a JIT burst, a GC, the
 * work of its own new rooms on a loaded CI machine) weighs less for that moment. A test of "rooms in proportion to
 * the weights" therefore compares each room with the weights of its own instant, not with the capacities alone.
 */
final class WeightHistory implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, NavigableMap<Instant, ForwarderMetrics>> byForwarder = new HashMap<>();

    WeightHistory(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "group.id", "e2e-weights-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.FORWARDER_METRICS.name()));
    }

    /** Reads what has arrived. */
    void poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            ForwarderMetrics m = Topics.FORWARDER_METRICS.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (m != null && m.forwarderId() != null && m.at() != null) {
                byForwarder.computeIfAbsent(m.forwarderId(), k -> new TreeMap<>()).put(m.at(), m);
            }
        }
    }

    /** Whether every one of {@code forwarders} has reported at or after {@code t}. */
    boolean seenUntil(List<String> forwarders, Instant t) {
        return forwarders.stream().allMatch(f -> byForwarder.containsKey(f) && !byForwarder.get(f).lastKey().isBefore(t));
    }

    /**
     * The probability that a room placed at {@code t} on {@code a} or {@code b} went to {@code a}: their weights'
     * share, from each one's latest metrics taken at or before {@code t}.
     */
    double share(String a, String b, Instant t) {
        double wa = weightAt(a, t);
        double wb = weightAt(b, t);
        return wa / (wa + wb);
    }

    /** The lowest and highest CPU load {@code forwarder} reported in [{@code from}, {@code to}]. */
    String cpuRange(String forwarder, Instant from, Instant to) {
        var window = byForwarder.getOrDefault(forwarder, new TreeMap<>()).subMap(from, true, to, true).values();
        return String.format("cpu %.2f–%.2f", window.stream().mapToDouble(ForwarderMetrics::cpuLoad).min().orElse(-1),
                window.stream().mapToDouble(ForwarderMetrics::cpuLoad).max().orElse(-1));
    }

    private double weightAt(String forwarder, Instant t) {
        NavigableMap<Instant, ForwarderMetrics> series = byForwarder.get(forwarder);
        Map.Entry<Instant, ForwarderMetrics> e = series == null ? null : series.floorEntry(t);
        if (e == null) {
            throw new AssertionError("no metrics of " + forwarder + " at or before " + t);
        }
        return ForwarderWeight.weight(e.getValue());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
