package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The pump keeps its position across a failure of its consumer inside a running gateway: records published while the
 * consumer was down reach the sockets still open (it used to restart at the partition's end and skip them).
 */
class DeliveryPumpTest {

    private final PartitionLog log = new PartitionLog();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final DeliveryRouter router = new DeliveryRouter("gw-a",
            id -> id.equals("s-1") ? e -> received.add(e.participant().participantId()) : null,
            new GatewayMetrics(new SimpleMeterRegistry(), () -> 0));
    private final DeliveryPump pump = new DeliveryPump(log, 0, router, Duration.ofSeconds(10));

    @AfterEach
    void stop() {
        pump.stop();
    }

    @Test
    void shouldResumeAfterAConsumerFailureFromTheNextUnreadRecord() {
        log.append("before-start");   // published before this gateway started: not for its sockets
        pump.start();
        assertThat(log.subscriptions).containsExactly(-1L);   // a new process starts at the end
        assertThat(pump.position()).isEqualTo(1);

        log.append("one");
        log.append("two");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);

        log.failConsumer();                 // the consumer fails (broker trouble) ...
        log.append("three");                // ... and these are published before it is back
        log.append("four");
        await().atMost(Duration.ofSeconds(15)).until(() -> received.size() == 4);
        log.append("five");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);

        assertThat(received).containsExactly("one", "two", "three", "four", "five");
        assertThat(log.subscriptions).containsExactly(-1L, 3L);
    }

    @Test
    void shouldPassARecordTheRouterCannotHandleWithoutStoppingTheConsumer() {
        DeliveryRouter throwing = new DeliveryRouter("gw-a", id -> {
            if (id.equals("bad")) {
                throw new IllegalStateException("bug");
            }
            return id.equals("s-1") ? e -> received.add(e.participant().participantId()) : null;
        }, new GatewayMetrics(new SimpleMeterRegistry(), () -> 0));
        DeliveryPump p = new DeliveryPump(log, 0, throwing, Duration.ofSeconds(10));
        p.start();
        try {
            log.append("bad", "x");
            log.append("after");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
            assertThat(log.subscriptions).hasSize(1);
        } finally {
            p.stop();
        }
    }

    /**
     * One partition of {@code gateway.delivery.requested}: an append-only list of records read from a position, whose
     * current reader can be made to fail.
     */
    static final class PartitionLog implements EventBus {

        final List<GatewayDelivery> records = new CopyOnWriteArrayList<>();
        final List<Long> subscriptions = new CopyOnWriteArrayList<>();
        private volatile Sinks.Many<EventBus.KeyedDelivery> reader;
        private volatile long readerNext;

        synchronized void append(String participant) {
            append("s-1", participant);
        }

        synchronized void append(String socket, String participant) {
            records.add(new GatewayDelivery("gw-a", 0, List.of(socket),
                    RoomEvent.participantJoined("m", new Participant(participant, participant, Role.USER, "s-x"))));
            pushNew();
        }

        synchronized void failConsumer() {
            Sinks.Many<EventBus.KeyedDelivery> r = reader;
            reader = null;
            r.tryEmitError(new IllegalStateException("consumer failed"));
        }

        private void pushNew() {
            Sinks.Many<EventBus.KeyedDelivery> r = reader;
            while (r != null && readerNext < records.size()) {
                int i = (int) readerNext++;
                r.tryEmitNext(new EventBus.KeyedDelivery("gw-a", records.get(i), i));
            }
        }

        @Override
        public <V> Mono<Void> publish(TopicSpec<V> topic, String key, V value, Instant timestamp) {
            return Mono.empty();
        }

        @Override
        public Flux<KeyedDelivery> deliveries(int partition, long from, LongConsumer onAssigned) {
            return Flux.defer(() -> {
                synchronized (this) {
                    subscriptions.add(from);
                    Sinks.Many<EventBus.KeyedDelivery> r = Sinks.many().unicast().onBackpressureBuffer();
                    readerNext = from < 0 || from > records.size() ? records.size() : from;
                    onAssigned.accept(readerNext);
                    reader = r;
                    pushNew();
                    return r.asFlux();
                }
            });
        }
    }
}
