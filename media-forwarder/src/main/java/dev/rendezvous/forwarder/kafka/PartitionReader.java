package dev.rendezvous.forwarder.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads some partitions of one topic without a consumer group, on a thread of its own, and hands each record to a
 * {@link Listener}: the forwarder's commands (its own partition) and recording controls (every partition).
 *
 * <p>The first consumer starts at the end of each partition: a record from before the process started addressed a
 * process that is gone. A consumer that fails (the broker unreachable for the partition lookup's 30 s, a fatal client
 * error) is closed and, after a pause (1 s, doubling up to 30 s while consumers fail before a poll succeeds), replaced by one that
 * goes on from the next offset of each partition: after the last record handed over, or where the failed one was
 * positioned. So a record sent while no consumer runs is neither lost nor handed over twice. The partition count is
 * read each time; a partition not seen before starts at its end. An offset no longer kept (an outage longer than the
 * topic's retention) falls back to the end ({@code auto.offset.reset=latest}).
 */
final class PartitionReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionReader.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    /** What the reader tells its owner; called on the reader's thread, one call at a time. */
    interface Listener {
        /** One record; an exception is logged and the record counts as read. */
        void onRecord(ConsumerRecord<String, byte[]> record);

        /** A consumer is positioned (the first, and each replacement): a record sent after this is read. */
        void onPositioned(List<TopicPartition> partitions);

        /** A consumer failed; a new one follows after the pause (unless {@code e} is an Error: the reader ends). */
        void onFailed(Throwable e);
    }

    private final String topic;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final IntFunction<List<Integer>> choose;
    private final Listener listener;
    /** The next offset to read of each partition; the reader thread's only. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Object wake = new Object();
    private final Thread thread;
    private volatile Consumer<String, byte[]> consumer;
    private volatile boolean closed;

    /**
     * @param consumers a new consumer (no group; auto.offset.reset latest) each time one is needed
     * @param choose    from the topic's partition count, the partitions to read
     */
    PartitionReader(String threadName, String topic, Supplier<Consumer<String, byte[]>> consumers,
                    IntFunction<List<Integer>> choose, Listener listener) {
        this.topic = topic;
        this.consumers = consumers;
        this.choose = choose;
        this.listener = listener;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    PartitionReader start() {
        thread.start();
        return this;
    }

    private void run() {
        int failedInARow = 0;
        while (!closed) {
            try (Consumer<String, byte[]> c = consumers.get()) {
                consumer = c;
                if (closed) {
                    return;
                }
                List<TopicPartition> parts = position(c);
                if (closed) {
                    return;
                }
                listener.onPositioned(parts);
                while (!closed) {
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofSeconds(1));
                    failedInARow = 0; // the pauses grow only while consumers fail before they can read
                    for (ConsumerRecord<String, byte[]> r : records) {
                        try {
                            listener.onRecord(r);
                        } catch (RuntimeException e) {
                            log.warn("{}: record {}-{}@{} failed", thread.getName(), r.topic(), r.partition(), r.offset(), e);
                        }
                        positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                Thread.interrupted(); // only close() ends the reader (Kafka's InterruptException sets the flag again)
                failedInARow++;
                Duration pause = pause(failedInARow);
                log.warn("{}: consumer failed, a new one goes on in {} ms: {}", thread.getName(), pause.toMillis(),
                        e.toString());
                tellFailed(e);
                if (!sleep(pause)) {
                    return;
                }
            } catch (Throwable e) {
                // an Error: nothing to restart safely; say it loudly (and to the listener: health goes down)
                log.error("{}: reader ended, {} is no longer read", thread.getName(), topic, e);
                tellFailed(e);
                throw e;
            }
        }
    }

    private void tellFailed(Throwable e) {
        try {
            listener.onFailed(e);
        } catch (Throwable t) {
            log.warn("{}: the listener failed on a failure: {}", thread.getName(), t.toString());
        }
    }

    /** Every partition (for {@code choose}). */
    static List<Integer> all(int partitionCount) {
        List<Integer> all = new ArrayList<>(partitionCount);
        for (int p = 0; p < partitionCount; p++) {
            all.add(p);
        }
        return all;
    }

    static Duration pause(int failedInARow) {
        long millis = FIRST_PAUSE.toMillis() << Math.min(failedInARow - 1, 10);
        return Duration.ofMillis(Math.min(millis, LONGEST_PAUSE.toMillis()));
    }

    /** Assigns the chosen partitions: where the last consumer stopped, the end for one not seen before. */
    private List<TopicPartition> position(Consumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        while (infos == null || infos.isEmpty()) { // the topic is not there yet
            if (!sleep(FIRST_PAUSE)) {
                throw new WakeupException(); // closing
            }
            infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        }
        List<TopicPartition> parts = new ArrayList<>();
        for (int p : choose.apply(infos.size())) {
            parts.add(new TopicPartition(topic, p));
        }
        c.assign(parts);
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : parts) {
            Long next = positions.get(tp);
            if (next != null) {
                c.seek(tp, next);
            } else {
                fresh.add(tp);
            }
        }
        if (!fresh.isEmpty()) {
            c.seekToEnd(fresh); // an empty list would mean every assigned partition
        }
        for (TopicPartition tp : parts) {
            positions.put(tp, c.position(tp)); // resolve the end now: a record sent after this is read
        }
        return parts;
    }

    /** Waits; false when the reader is closed meanwhile (an interrupt does not end it: only close() does). */
    private boolean sleep(Duration pause) {
        long until = System.nanoTime() + pause.toNanos();
        synchronized (wake) {
            long left;
            while (!closed && (left = until - System.nanoTime()) > 0) {
                try {
                    wake.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // not ours to end on: close() sets closed and notifies
                }
            }
        }
        return !closed;
    }

    /** Stops the reader and waits up to 5 s for its thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
