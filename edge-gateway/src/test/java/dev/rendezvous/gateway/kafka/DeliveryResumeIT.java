package dev.rendezvous.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.ws.DeliveryPump;
import dev.rendezvous.gateway.ws.DeliveryRouter;
import dev.rendezvous.gateway.ws.GatewayMetrics;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.TopicProvisioner;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The gateway's delivery consumer on a real broker: it reads from a given offset, and when its consumer fails inside a
 * running gateway, the deliveries published while it was down still reach the open sockets (it used to restart at the
 * partition's end and skip them).
 */
class DeliveryResumeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PARTITION = 3;

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static KafkaEventBus bus;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        try (var admin = broker.newAdmin()) {
            TopicProvisioner.ensure(admin, 1);
        }
        bus = new KafkaEventBus(broker.bootstrapServers(), "delivery-resume-it");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDeliverWhatWasPublishedWhileTheConsumerWasDown() {
        List<String> received = new CopyOnWriteArrayList<>();
        DeliveryRouter router = routerTo(received);
        FailingOnce failing = new FailingOnce(bus);
        DeliveryPump pump = new DeliveryPump(failing, PARTITION, router, WAIT);
        pump.start();
        try {
            publish("one");
            await().atMost(WAIT).until(() -> received.contains("one"));

            failing.failNow.set(true);   // the consumer fails (as on broker trouble) ...
            await().atMost(WAIT).until(() -> failing.failed.get());
            publish("two");              // ... and these are published before it is back
            publish("three");
            failing.publishedWhileDown.countDown();
            await().atMost(WAIT).until(() -> received.size() >= 3);

            assertThat(received).containsExactly("one", "two", "three");
            assertThat(failing.froms).hasSize(2);
            assertThat(failing.froms.get(0)).isEqualTo(-1);   // a new gateway starts at the end
            assertThat(failing.froms.get(1)).isGreaterThanOrEqualTo(1);
        } finally {
            pump.stop();
        }
    }

    @Test
    void shouldSkipAnUnreadableRecordReadOnAndLetItsThreadGoWhenStopped() {
        List<String> received = new CopyOnWriteArrayList<>();
        DeliveryRouter router = routerTo(received);
        DeliveryPump pump = new DeliveryPump(bus, PARTITION, router, WAIT);
        pump.start();
        try {
            try {
                producer.send(new ProducerRecord<>(Topics.GATEWAY_DELIVERIES.name(), PARTITION, "gw-a",
                        "not a delivery".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            publish("after");
            await().atMost(WAIT).until(() -> received.contains("after"));
            assertThat(received).containsExactly("after");
        } finally {
            pump.stop();
        }
        // the reader's thread closes its consumer and ends
        await().atMost(WAIT).until(() -> readerThreads().isEmpty());
    }

    @Test
    void shouldShowTheReadersClientMetricsWhileItReadsAndRemoveThemWhenItStops() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaEventBus metered = new KafkaEventBus(broker.bootstrapServers(), "delivery-metrics-it")
                .withConsumerMetrics(registry)) {
            DeliveryPump pump = new DeliveryPump(metered, PARTITION, new DeliveryRouter("gw-a", id -> null,
                    new GatewayMetrics(new SimpleMeterRegistry(), () -> 0)), WAIT);
            pump.start();
            try {
                await().atMost(WAIT).until(() -> consumerMeters(registry) > 0);
            } finally {
                pump.stop();
            }
            await().atMost(WAIT).until(() -> consumerMeters(registry) == 0);
        }
    }

    private static long consumerMeters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.consumer")).count();
    }

    /** A router for gateway gw-a whose one socket, s-1, adds each joined participant's id to {@code received}. */
    private static DeliveryRouter routerTo(List<String> received) {
        return new DeliveryRouter("gw-a",
                id -> id.equals("s-1") ? e -> received.add(e.participant().participantId()) : null,
                new GatewayMetrics(new SimpleMeterRegistry(), () -> 0));
    }

    /** The live threads reading this test's delivery partition. */
    private static List<Thread> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("delivery-resume-it-deliveries-" + PARTITION)).toList();
    }

    private static void publish(String participant) {
        GatewayDelivery d = new GatewayDelivery("gw-a", PARTITION, List.of("s-1"),
                RoomEvent.participantJoined("m", new Participant(participant, participant, Role.USER, "s-x")));
        try {
            producer.send(new ProducerRecord<>(Topics.GATEWAY_DELIVERIES.name(), PARTITION, "gw-a",
                    Topics.GATEWAY_DELIVERIES.valueSerde().serializer().serialize(Topics.GATEWAY_DELIVERIES.name(), d))).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The real bus whose consumer can be made to fail once (its Flux errors, as a consumer that lost the broker); the
     * consumer that replaces it waits until the test has published what arrives "while it was down".
     */
    private static final class FailingOnce implements EventBus {

        final AtomicBoolean failNow = new AtomicBoolean();
        final AtomicBoolean failed = new AtomicBoolean();
        final CountDownLatch publishedWhileDown = new CountDownLatch(1);
        final List<Long> froms = new CopyOnWriteArrayList<>();
        private final KafkaEventBus real;

        FailingOnce(KafkaEventBus real) {
            this.real = real;
        }

        @Override
        public <V> Mono<Void> publish(dev.rendezvous.topics.TopicSpec<V> topic, String key, V value, Instant timestamp) {
            return real.publish(topic, key, value, timestamp);
        }

        @Override
        public Flux<KeyedDelivery> deliveries(int partition, long from, LongConsumer onAssigned) {
            froms.add(from);
            if (froms.size() > 1) {
                try {
                    publishedWhileDown.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Flux<KeyedDelivery> failure = Flux.interval(Duration.ofMillis(50))
                    .filter(t -> failNow.get() && failed.compareAndSet(false, true))
                    .take(1)
                    .flatMap(t -> Flux.error(new IllegalStateException("consumer failed")));
            return real.deliveries(partition, from, onAssigned).mergeWith(failure);
        }
    }
}
