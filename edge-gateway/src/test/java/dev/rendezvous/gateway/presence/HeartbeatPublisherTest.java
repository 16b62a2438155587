package dev.rendezvous.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class HeartbeatPublisherTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<GatewayHeartbeat> beats = new CopyOnWriteArrayList<>();
    private final AtomicInteger revived = new AtomicInteger();
    private volatile boolean brokerDown;

    private final EventBus bus = new EventBus() {
        @Override
        public <V> Mono<Void> publish(TopicSpec<V> topic, String key, V value, Instant timestamp) {
            return Mono.defer(() -> {
                if (brokerDown) {
                    return Mono.error(new IllegalStateException("broker unreachable"));
                }
                assertThat(topic).isEqualTo(Topics.GATEWAY_HEARTBEATS);
                assertThat(key).isEqualTo("gw-1");
                beats.add((GatewayHeartbeat) value);
                return Mono.empty();
            });
        }

        @Override
        public Flux<KeyedDelivery> deliveries(int partition, long from, java.util.function.LongConsumer onAssigned) {
            return Flux.never();
        }
    };

    private final HeartbeatPublisher publisher = new HeartbeatPublisher(bus, "gw-1", clock, Duration.ofMillis(20),
            Duration.ofSeconds(8), revived::incrementAndGet);

    @Test
    void shouldBeatAtStartThenPeriodicallyAndSayGoingAwayAtStop() {
        publisher.start();
        assertThat(beats).isNotEmpty();
        GatewayHeartbeat first = beats.get(0);
        assertThat(first.gatewayId()).isEqualTo("gw-1");
        assertThat(first.instanceId()).isEqualTo(publisher.instanceId());
        assertThat(first.startedAt()).isEqualTo(clock.instant());
        assertThat(first.status()).isEqualTo(GatewayHeartbeat.Status.ALIVE);
        await().atMost(Duration.ofSeconds(10)).until(() -> beats.size() >= 4);

        publisher.stop();

        assertThat(beats.get(beats.size() - 1).status()).isEqualTo(GatewayHeartbeat.Status.GOING_AWAY);
        assertThat(beats).extracting(GatewayHeartbeat::instanceId).containsOnly(publisher.instanceId());
        assertThat(publisher.isRunning()).isFalse();
        assertThat(revived).hasValue(0);
    }

    @Test
    void shouldCloseItsSocketsWhenBeatsGetThroughAgainAfterASilenceLongEnoughToBeDeclaredDead() {
        publisher.beat(GatewayHeartbeat.Status.ALIVE).block();
        clock.advance(Duration.ofSeconds(3));
        publisher.beat(GatewayHeartbeat.Status.ALIVE).block();
        assertThat(revived).hasValue(0);   // a short gap: nobody declared it dead

        brokerDown = true;
        clock.advance(Duration.ofSeconds(5));
        publisher.beat(GatewayHeartbeat.Status.ALIVE).onErrorResume(e -> Mono.empty()).block();
        clock.advance(Duration.ofSeconds(5));
        brokerDown = false;
        publisher.beat(GatewayHeartbeat.Status.ALIVE).block();

        assertThat(revived).hasValue(1);
        publisher.beat(GatewayHeartbeat.Status.ALIVE).block();
        assertThat(revived).hasValue(1);
    }
}
