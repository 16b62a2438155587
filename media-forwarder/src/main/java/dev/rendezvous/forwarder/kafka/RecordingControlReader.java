package dev.rendezvous.forwarder.kafka;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.RecordingControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code recording.control.requested} on a thread of its own and hands the requests for this forwarder to
 * its handler. Every partition, no group: the first start reads from the end (a request from before it addressed
 * a process that is gone). A consumer that fails (the broker unreachable for the partition lookup's 30 s, a fatal
 * client error) is closed and a new one goes on, a second later, from the record after the last one read of
 * each partition: a host's start or stop sent meanwhile is not lost, nor handled twice.
 */
final class RecordingControlReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordingControlReader.class);
    static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private final String forwarderId;
    private final Consumer<RecordingControl> handler;
    private final Runnable onReady;
    /** The next offset to read of each partition; the reader thread's only. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Deserializer<RecordingControl> values = Topics.RECORDING_CONTROL.valueSerde().deserializer();
    private final AtomicInteger restarts = new AtomicInteger();
    private final Object wake = new Object();
    private final Thread thread;
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private volatile boolean closed;

    /**
     * @param consumers a new consumer (no group, manual assignment) each time one is needed
     * @param onReady   runs once, when the first consumer is positioned: a request sent after it is seen
     */
    RecordingControlReader(Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
                           String forwarderId, Consumer<RecordingControl> handler, Runnable onReady) {
        this.consumers = consumers;
        this.forwarderId = forwarderId;
        this.handler = handler;
        this.onReady = onReady;
        this.thread = new Thread(this::run, "forwarder-recording-control");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** How many times a failed consumer was replaced. */
    int restarts() {
        return restarts.get();
    }

    private void run() {
        boolean ready = false;
        while (!closed) {
            try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> c = consumers.get()) {
                consumer = c;
                if (closed) {
                    return;
                }
                position(c);
                if (closed) {
                    return;
                }
                if (!ready) {
                    ready = true;
                    onReady.run();
                }
                while (!closed) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                        handle(r);
                        positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                restarts.incrementAndGet();
                log.warn("recording control consumer failed, a new one goes on in {} ms: {}",
                        RESTART_DELAY.toMillis(), e.toString());
                if (!pause()) {
                    return;
                }
            } catch (Throwable e) {
                // an Error: nothing to restart safely; say it loudly, the forwarder no longer hears recording requests
                log.error("recording control reader ended: this forwarder ignores recording starts and stops", e);
                throw e;
            }
        }
    }

    /** Assigns every partition: where the last consumer stopped, the end for one not seen before. */
    private void position(org.apache.kafka.clients.consumer.Consumer<String, byte[]> c) {
        String topic = Topics.RECORDING_CONTROL.name();
        List<TopicPartition> parts = new ArrayList<>();
        while (parts.isEmpty() && !closed) {
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            if (parts.isEmpty() && !pause()) { // the topic is not there yet
                throw new WakeupException();
            }
        }
        c.assign(parts);
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : parts) {
            Long next = positions.get(tp);
            if (next != null) {
                c.seek(tp, next); // below the log start (an outage longer than a day): auto.offset.reset, the end
            } else {
                fresh.add(tp);
            }
        }
        if (!fresh.isEmpty()) {
            c.seekToEnd(fresh); // an empty list would mean every assigned partition
        }
        for (TopicPartition tp : parts) {
            positions.put(tp, c.position(tp)); // resolve the end now: a request sent after this is seen
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        RecordingControl control;
        try {
            control = values.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            log.warn("unreadable recording control at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return;
        }
        if (control != null && forwarderId.equals(control.forwarderId())) {
            try {
                handler.accept(control);
            } catch (RuntimeException e) {
                log.warn("recording control {} failed", control, e);
            }
        }
    }

    /** Waits {@link #RESTART_DELAY}; false when the reader is to end (closed, or its thread interrupted). */
    private boolean pause() {
        long until = System.nanoTime() + RESTART_DELAY.toNanos();
        synchronized (wake) {
            long left;
            while (!closed && (left = until - System.nanoTime()) > 0) {
                try {
                    wake.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !closed;
    }

    /** Stops the reader and waits up to 5 s for its thread. */
    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> c = consumer;
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
