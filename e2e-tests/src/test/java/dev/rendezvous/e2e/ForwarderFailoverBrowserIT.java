package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.RoomPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Failover in browsers, with two forwarders (the stack's and a second process): two pages in a call, the room's
 * primary forwarder is killed (SIGKILL); stream-apps moves the room to its standby and tells the pages (media-moved),
 * which open new PeerConnections to it; both decode the other's video again within 5 s of the kill, without a reload.
 */
class ForwarderFailoverBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FAILOVER_BUDGET = Duration.ofSeconds(5);

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldDecodeVideoAgainWithin5sOfTheRoomsForwarderBeingKilled() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String host = api.newUserToken("FailoverHost");
        Api.Meeting m = api.createMeeting(host, "failover");
        try (ExtraForwarders extra = new ExtraForwarders(stack);
             KafkaConsumer<String, byte[]> placements = new KafkaConsumer<>(Map.of("bootstrap.servers",
                     stack.kafkaBootstrapServers(), "group.id", "e2e-failover-browser-" + UUID.randomUUID(),
                     "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
             Browser alice = Browser.launch(); Browser bob = Browser.launch()) {
            extra.start("fwd-fo-2");
            placements.subscribe(List.of(Topics.PLACEMENT_ASSIGNED.name()));
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            awaitDecoding(alice, "Bob");
            awaitDecoding(bob, "Alice");
            Object marker = mark(alice);

            AtomicReference<RoomPlacement> placed = new AtomicReference<>();
            await("the room's placement").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : placements.poll(Duration.ofMillis(100))) {
                            if (m.meetingId().equals(r.key()) && r.value() != null) {
                                placed.set(Topics.PLACEMENT_ASSIGNED.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                            }
                        }
                        return placed.get() != null;
                    });
            String primary = placed.get().primaryForwarderId();
            String standby = placed.get().standbyForwarderIds().get(0);
            boolean stacks = primary.equals("fwd-1");
            if (stacks) {
                stack.stopApp(App.MEDIA_FORWARDER, true);
            } else {
                extra.kill(primary);
            }
            Instant killed = Instant.now();
            try {
                awaitDecodingOnNewConnection(alice, "Bob", killed);
                awaitDecodingOnNewConnection(bob, "Alice", killed);
                System.out.println("[failover-browser] room moved from " + primary + " to " + standby
                        + "; both pages decode again " + Duration.between(killed, Instant.now()).toMillis() + " ms after the kill");
                assertThat(mark(alice)).as("Alice's page was not reloaded").isEqualTo(marker);
                assertThat(mark(bob)).as("Bob's page was not reloaded").isNotNull();
            } finally {
                if (stacks) {
                    stack.startApp(App.MEDIA_FORWARDER);
                }
            }
        }
    }

    private static Object mark(Browser b) {
        return ((JavascriptExecutor) b.driver()).executeScript(
                "window.__failoverMark = window.__failoverMark || Math.random().toString(36); return window.__failoverMark;");
    }

    private static void awaitDecoding(Browser viewer, String name) {
        long first = await(name + "'s frames").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                .until(() -> framesDecoded(viewer, name), v -> v > 0);
        await(name + "'s frames rising").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> framesDecoded(viewer, name) > first + 5);
        ((JavascriptExecutor) viewer.driver()).executeScript("window.__oldSubscribePc = window.rendezvousMedia.subscribePc;");
    }

    /** A new subscribe connection, and frames rising on it, within the failover budget from the kill. */
    private static void awaitDecodingOnNewConnection(Browser viewer, String name, Instant killed) {
        Duration left = FAILOVER_BUDGET.minus(Duration.between(killed, Instant.now()));
        long first = await(name + "'s frames on a new connection within " + FAILOVER_BUDGET + " of the kill")
                .atMost(atLeastAMoment(left)).pollInterval(Duration.ofMillis(100))
                .until(() -> Boolean.TRUE.equals(((JavascriptExecutor) viewer.driver()).executeScript(
                        "const pc = window.rendezvousMedia.subscribePc;"
                                + " return !!pc && pc !== window.__oldSubscribePc && pc.connectionState === 'connected';"))
                        ? framesDecoded(viewer, name) : 0L, v -> v > 0);
        Duration rest = FAILOVER_BUDGET.minus(Duration.between(killed, Instant.now()));
        await(name + "'s frames rising again").atMost(atLeastAMoment(rest))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> framesDecoded(viewer, name) > first);
    }

    private static Duration atLeastAMoment(Duration d) {
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }

    private static long framesDecoded(Browser b, String name) {
        JsonNode n = JSON.readTree(b.mediaStatsJson(name));
        return n.path("framesDecoded").asLong();
    }
}
