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
 * which open new PeerConnections to it; both decode the other's video again, without a reload. The time from the kill
 * is printed; the 5 s target is measured by {@code bench/FailoverBenchmark} over ten kills (docs/benchmarks.md,
 * "Failover"), and this test holds only a bound that tells a failover from none, {@link #FAILOVER_BOUND}.
 */
class ForwarderFailoverBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Far above the 5 s target, which the benchmark measures: a clean-clone {@code .ci/run} on 2026-12-05 took
     * 3.55 s / 3.60 s, of which 2.0–3.1 s is detection (metrics missing for 3 s, sent once a second), but with other
     * builds on the same 2 cores 5.7 s, and 8.7 s at load ~19 (the renegotiation after the decision is CPU-bound).
     * Without a failover the pages would not decode again at all while the forwarder is down.
     */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldDecodeVideoAgainSoonAfterTheRoomsForwarderIsKilled() throws Exception {
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
            watchForTheFirstFrameOnANewConnection(alice, "Bob");
            watchForTheFirstFrameOnANewConnection(bob, "Alice");
            long killed = System.currentTimeMillis();   // before the signal: the figure errs long, never short
            if (stacks) {
                stack.stopApp(App.MEDIA_FORWARDER, true);
            } else {
                extra.kill(primary);
            }
            try {
                // each page notes, with its own clock (this machine's), its first frame decoded on a new subscribe
                // connection: WebDriver round trips do not count
                Map<String, Long> back = new java.util.HashMap<>();
                await("both pages decode again on new connections").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            back.computeIfAbsent("Bob", n -> firstFrameAt(alice));
                            back.computeIfAbsent("Alice", n -> firstFrameAt(bob));
                            return back.size() == 2;
                        });
                Duration slowest = Duration.ofMillis(back.values().stream().mapToLong(t -> t - killed).max().orElseThrow());
                System.out.println("[failover-browser] room moved from " + primary + " to " + standby
                        + "; Alice decodes Bob again after " + (back.get("Bob") - killed)
                        + " ms, Bob decodes Alice after " + (back.get("Alice") - killed) + " ms (from the kill)");
                // and they go on decoding on the new connections
                Map<String, Long> firstOnNew = new java.util.HashMap<>();
                Map<String, Instant> rising = new java.util.HashMap<>();
                await("both pages go on decoding").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            decodingAgain(alice, "Bob", firstOnNew, rising);
                            decodingAgain(bob, "Alice", firstOnNew, rising);
                            return rising.size() == 2;
                        });
                assertThat(mark(alice)).as("Alice's page was not reloaded").isEqualTo(marker);
                assertThat(slowest).as("both pages decode again within %s of the kill", FAILOVER_BOUND)
                        .isLessThanOrEqualTo(FAILOVER_BOUND);
            } finally {
                if (stacks) {
                    stack.startApp(App.MEDIA_FORWARDER);
                }
            }
        }
    }

    /**
     * From now on, {@code viewer} notes in {@code window.__backAt} (epoch ms) the first moment its subscribe connection
     * is a new one with a frame of {@code name}'s camera decoded on it (polled in the page every 20 ms).
     */
    private static void watchForTheFirstFrameOnANewConnection(Browser viewer, String name) {
        ((JavascriptExecutor) viewer.driver()).executeScript("""
                const name = arguments[0]; const m = window.rendezvousMedia;
                window.__backAt = null;
                const tick = async () => {
                  const pc = m.subscribePc;
                  const tile = m.tiles().find(t => t.name === name && t.source === 'camera');
                  if (pc && pc !== window.__oldSubscribePc && tile) {
                    try {
                      const s = await m.inboundStats();
                      if (m.subscribePc === pc && (s[tile.socketId] || {}).framesDecoded > 0) {
                        window.__backAt = Date.now();
                        return;
                      }
                    } catch (e) { /* the connection went away meanwhile: look again */ }
                  }
                  setTimeout(tick, 20);
                };
                tick();
                """, name);
    }

    /** The epoch ms {@link #watchForTheFirstFrameOnANewConnection} noted, or null while not yet. */
    private static Long firstFrameAt(Browser viewer) {
        Object at = ((JavascriptExecutor) viewer.driver()).executeScript("return window.__backAt;");
        return at == null ? null : ((Number) at).longValue();
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

    /**
     * Notes in {@code back} (by the sender's name) when {@code viewer} decodes {@code name}'s video on a new subscribe
     * connection: a connected one that is not the one from before the kill, with frames rising on it.
     */
    private static void decodingAgain(Browser viewer, String name, Map<String, Long> firstOnNew, Map<String, Instant> back) {
        if (back.containsKey(name)) {
            return;
        }
        boolean fresh = Boolean.TRUE.equals(((JavascriptExecutor) viewer.driver()).executeScript(
                "const pc = window.rendezvousMedia.subscribePc;"
                        + " return !!pc && pc !== window.__oldSubscribePc && pc.connectionState === 'connected';"));
        if (!fresh) {
            return;
        }
        long frames = framesDecoded(viewer, name);
        Long first = firstOnNew.get(name);
        if (first == null) {
            if (frames > 0) {
                firstOnNew.put(name, frames);
            }
        } else if (frames > first) {
            back.put(name, Instant.now());
        }
    }

    private static long framesDecoded(Browser b, String name) {
        JsonNode n = JSON.readTree(b.mediaStatsJson(name));
        return n.path("framesDecoded").asLong();
    }
}
