package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryRouterTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, List<RoomEvent>> received = new HashMap<>();
    private final Map<String, DeliveryTarget> sockets = new HashMap<>();
    private final DeliveryRouter router = new DeliveryRouter("gw-a", sockets::get, new GatewayMetrics(meters, () -> 0));
    private final RoomEvent event = RoomEvent.participantJoined("m", new Participant("p", "P", Role.GUEST, "s-x"));

    DeliveryRouterTest() {
        for (String id : List.of("s-1", "s-2")) {
            received.put(id, new ArrayList<>());
            sockets.put(id, e -> received.get(id).add(e));
        }
    }

    @Test
    void shouldShowTheObserverEveryEventForThisGatewayOnceAndRouteEvenWhenItFails() {
        List<RoomEvent> observed = new ArrayList<>();
        DeliveryRouter watched = new DeliveryRouter("gw-a", sockets::get, new GatewayMetrics(meters, () -> 0), e -> {
            observed.add(e);
            throw new IllegalStateException("observer down");
        });
        watched.route("gw-b", new GatewayDelivery("gw-b", 0, List.of("s-1"), event));
        watched.route("gw-a", new GatewayDelivery("gw-a", 0, List.of("s-1", "s-2"), event));
        assertThat(observed).containsExactly(event);
        assertThat(received.get("s-1")).containsExactly(event);
        assertThat(received.get("s-2")).containsExactly(event);
    }

    @Test
    void shouldTimeEachAcceptedChatMessageFromItsRequestToItsDelivery() {
        java.time.Instant now = java.time.Instant.parse("2026-12-05T12:00:00Z");
        DeliveryRouter timed = new DeliveryRouter("gw-a", sockets::get,
                new GatewayMetrics(meters, () -> 0, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)));
        RoomEvent chat = RoomEvent.chat(new dev.rendezvous.topics.model.ChatMessage("m", 7, "c-1", "p", "P", "hi",
                now.minusMillis(40)));
        timed.route("gw-a", new GatewayDelivery("gw-a", 0, List.of("s-1", "s-2"), chat));   // one record, two sockets
        timed.route("gw-a", new GatewayDelivery("gw-a", 0, List.of("s-1"), event));         // not a chat message
        timed.route("gw-b", new GatewayDelivery("gw-b", 0, List.of("s-1"), chat));          // not for this gateway

        io.micrometer.core.instrument.Timer latency = meters.get("rendezvous.chat.latency").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(40);
    }

    @Test
    void shouldIgnoreADeliveryKeyedForAnotherGateway() {
        router.route("gw-b", new GatewayDelivery("gw-b", 0, List.of("s-1"), event));
        assertThat(received.get("s-1")).isEmpty();
        assertThat(meters.counter("rendezvous.gateway.deliveries", "outcome", "foreign_key").count()).isEqualTo(1);
    }

    @Test
    void shouldGoByTheRecordKeyNotTheValue() {
        router.route("gw-b", new GatewayDelivery("gw-a", 0, List.of("s-1"), event));
        assertThat(received.get("s-1")).isEmpty();
    }

    @Test
    void shouldPushTheEventToEveryListedLocalSocket() {
        router.route("gw-a", new GatewayDelivery("gw-a", 0, List.of("s-1", "s-2"), event));
        assertThat(received.get("s-1")).containsExactly(event);
        assertThat(received.get("s-2")).containsExactly(event);
        assertThat(meters.counter("rendezvous.gateway.deliveries", "outcome", "routed").count()).isEqualTo(2);
    }

    @Test
    void shouldSkipSocketsThatAreNoLongerOpen() {
        router.route("gw-a", new GatewayDelivery("gw-a", 0, List.of("gone", "s-2"), event));
        assertThat(received.get("s-2")).containsExactly(event);
        assertThat(meters.counter("rendezvous.gateway.deliveries", "outcome", "unknown_socket").count()).isEqualTo(1);
    }

    @Test
    void shouldKeepDeliveringWhenOneSocketFails() {
        sockets.put("s-1", e -> {
            throw new IllegalStateException("boom");
        });
        router.route("gw-a", new GatewayDelivery("gw-a", 0, List.of("s-1", "s-2"), event));
        assertThat(received.get("s-2")).containsExactly(event);
        assertThat(meters.counter("rendezvous.gateway.deliveries", "outcome", "failed").count()).isEqualTo(1);
    }
}
