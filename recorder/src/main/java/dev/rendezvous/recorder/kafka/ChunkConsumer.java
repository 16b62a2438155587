package dev.rendezvous.recorder.kafka;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.chunk.ChunkSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.FluxSink;

/**
 * One run of the chunk consumer: a plain {@link KafkaConsumer} on its own thread (so that delivery, rebalances and
 * commits happen in one order, on one thread). Each record goes to the sink, which completes before the next;
 * every {@code commitInterval}, on revocation and at the end, each owned partition's
 * {@linkplain PartitionHolds#safeOffset safe offset} is committed — never beyond what an open file still needs.
 * A revoked, lost or (at the end) still owned partition is dropped from the sink and the holds.
 */
final class ChunkConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ChunkConsumer.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final ChunkSink sink;
    private final PartitionHolds holds;
    private final Consumer<Set<Integer>> onAssigned;
    private final Duration commitInterval;
    private final FluxSink<Chunk> out;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Set<Integer> owned = new TreeSet<>();
    private final Map<Integer, Long> committed = new HashMap<>();

    ChunkConsumer(KafkaConsumer<String, byte[]> consumer, String topic, ChunkSink sink, PartitionHolds holds,
                  Consumer<Set<Integer>> onAssigned, Duration commitInterval, FluxSink<Chunk> out) {
        this.consumer = consumer;
        this.topic = topic;
        this.sink = sink;
        this.holds = holds;
        this.onAssigned = onAssigned;
        this.commitInterval = commitInterval;
        this.out = out;
    }

    /** Asks the loop to end (from any thread): it commits what is safe, drops its partitions and completes. */
    void close() {
        closing.set(true);
        consumer.wakeup();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            consumer.subscribe(List.of(topic), new Listener());
            Instant lastCommit = Instant.now();
            while (!closing.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    deliver(r);
                }
                if (Duration.between(lastCommit, Instant.now()).compareTo(commitInterval) >= 0) {
                    commit(owned);
                    lastCommit = Instant.now();
                }
            }
            commit(owned);
        } catch (WakeupException e) {
            if (!closing.get()) {
                failure = e;
            } else {
                commitQuietly();
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5)); // leaves the group: the listener commits and drops
            } catch (RuntimeException e) {
                log.warn("chunk consumer close: {}", e.toString());
            }
            dropAll(owned);
        }
        if (failure != null) {
            out.error(failure);
        } else {
            out.complete();
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            log.warn("skipping chunk without recording id or data at {}-{}@{}", r.topic(), r.partition(), r.offset());
            holds.processed(r.partition(), r.offset());
            return;
        }
        Chunk chunk = new Chunk(r.key(), r.value(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()));
        sink.accept(chunk).block();
        holds.processed(r.partition(), r.offset());
        out.next(chunk);
    }

    private void commitQuietly() {
        try {
            commit(owned);
        } catch (RuntimeException e) {
            log.warn("chunk offsets not committed at stop: {}", e.toString());
        }
    }

    /** Commits the safe offset of each of {@code partitions} that moved since its last commit. */
    private void commit(Collection<Integer> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p : partitions) {
            holds.safeOffset(p).ifPresent(o -> {
                if (o > committed.getOrDefault(p, -1L)) {
                    offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(o));
                }
            });
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> committed.put(tp.partition(), o.offset()));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // not fatal: the previous commit stands, which means a longer replay after a restart
            log.warn("chunk offsets {} not committed: {}", offsets, e.toString());
        }
    }

    private void dropAll(Collection<Integer> partitions) {
        for (int p : List.copyOf(partitions)) {
            try {
                sink.partitionDropped(p);
            } catch (RuntimeException e) {
                log.warn("dropping partition {}: {}", p, e.toString());
            }
            holds.drop(p);
            committed.remove(p);
            owned.remove(p);
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Integer> ps = partitions.stream().map(TopicPartition::partition).toList();
            if (ps.isEmpty()) {
                return;
            }
            try {
                commit(ps);
            } catch (RuntimeException e) {
                log.warn("chunk offsets of revoked partitions {} not committed: {}", ps, e.toString());
            }
            dropAll(ps);
            log.info("chunk partitions revoked: {}", ps);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            List<Integer> ps = partitions.stream().map(TopicPartition::partition).toList();
            dropAll(ps);
            log.info("chunk partitions lost: {}", ps);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> owned.add(tp.partition()));
            onAssigned.accept(Set.copyOf(owned));
        }
    }
}
