package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Chat through the real pipeline: WebSocket → edge-gateway → Kafka → stream-apps → Kafka → edge-gateway →
 * WebSocket, persisted in PostgreSQL, on a real broker and database.
 */
class ChatThroughKafkaIT {

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldDeliverAThousandMessagesToBothSocketsInTheSameOrder() throws Exception {
        String hostToken = api.newUserToken("Alice");
        Api.Meeting m = api.createMeeting(hostToken, "thousand");
        String guestToken = api.guestToken(m.code(), "Bob");
        try (Peer alice = Peer.connect(api.http, stack.gatewayBaseUrl()).join(m.meetingId(), hostToken);
             Peer bob = Peer.connect(api.http, stack.gatewayBaseUrl()).join(m.meetingId(), guestToken)) {
            Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> sendMany(alice, m.meetingId(), "a", 500, sent));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> sendMany(bob, m.meetingId(), "b", 500, sent));
            CompletableFuture.allOf(a, b).join();

            Peer.awaitUntil(() -> alice.chats(m.meetingId()).size() >= 1000 && bob.chats(m.meetingId()).size() >= 1000,
                    Duration.ofSeconds(60), "1000 messages on both sockets");
            List<Peer.Chat> seenByAlice = alice.chats(m.meetingId());
            List<Peer.Chat> seenByBob = bob.chats(m.meetingId());

            assertThat(seenByAlice).hasSize(1000).isEqualTo(seenByBob);
            assertThat(seenByAlice.stream().map(Peer.Chat::seq).toList())
                    .as("seq 1..1000 in order, no gaps").isEqualTo(java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
            assertThat(seenByAlice.stream().map(Peer.Chat::clientMsgId).toList()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(alice.errors()).isEmpty();
            assertThat(bob.errors()).isEmpty();

            Peer.awaitUntil(() -> historySize(m.meetingId(), hostToken) == 1000, Duration.ofSeconds(30), "history of 1000");
            JsonNode history = api.history(m.meetingId(), guestToken, 1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(history.get(i).path("seq").asLong()).isEqualTo(seenByAlice.get(i).seq());
                assertThat(history.get(i).path("clientMsgId").asText()).isEqualTo(seenByAlice.get(i).clientMsgId());
                assertThat(history.get(i).path("text").asText()).isEqualTo(seenByAlice.get(i).text());
            }
        }
    }

    @Test
    void shouldKeepHistoryExactlyEqualToWhatWasDeliveredWhenStreamAppsCrashes() throws Exception {
        String hostToken = api.newUserToken("Carol");
        Api.Meeting m = api.createMeeting(hostToken, "crash");
        String guestToken = api.guestToken(m.code(), "Dave");
        int total = 300;
        try (Peer carol = Peer.connect(api.http, stack.gatewayBaseUrl()).join(m.meetingId(), hostToken);
             Peer dave = Peer.connect(api.http, stack.gatewayBaseUrl()).join(m.meetingId(), guestToken)) {
            Set<String> sent = new LinkedHashSet<>();
            for (int i = 0; i < total; i++) {
                String id = UUID.randomUUID().toString();
                sent.add(id);
                carol.chat(m.meetingId(), id, "before-and-after " + i);
                if (i == 100) {
                    // let some be processed, then kill the processor mid-stream (SIGKILL: no clean commit)
                    Peer.awaitUntil(() -> dave.chats(m.meetingId()).size() >= 50, Duration.ofSeconds(30), "50 delivered");
                    stack.stopApp(App.STREAM_APPS, true);
                }
                if (i == 200) {
                    stack.startApp(App.STREAM_APPS);
                }
            }
            try {
                Peer.awaitUntil(() -> distinctIds(dave.chats(m.meetingId())).size() == total
                                && distinctIds(carol.chats(m.meetingId())).size() == total,
                        Duration.ofSeconds(120), "every message delivered after the restart");
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(undelivered(sent, m.meetingId(), hostToken, carol, dave), e);
            }
            Peer.awaitUntil(() -> historySize(m.meetingId(), hostToken) >= total, Duration.ofSeconds(60), "history complete");

            JsonNode history = api.history(m.meetingId(), hostToken, 5000);
            Map<String, Long> seqById = new HashMap<>();
            long lastSeq = 0;
            for (JsonNode h : history) {
                assertThat(h.path("seq").asLong()).as("history strictly ordered").isGreaterThan(lastSeq);
                lastSeq = h.path("seq").asLong();
                assertThat(seqById.put(h.path("clientMsgId").asText(), lastSeq)).as("no duplicate in history").isNull();
            }
            assertThat(seqById.keySet()).as("no loss, nothing extra").isEqualTo(sent);
            for (Peer p : List.of(carol, dave)) {
                for (Peer.Chat c : p.chats(m.meetingId())) {
                    // a replay may deliver a message twice, but always with the seq the history has
                    assertThat(c.seq()).as("seq of " + c.clientMsgId()).isEqualTo(seqById.get(c.clientMsgId()));
                }
                assertThat(distinctIds(p.chats(m.meetingId()))).isEqualTo(sent);
            }
        }
    }

    /** Which of the sent messages (by their index in sending order) each peer lacks, and the errors Carol got. */
    private String undelivered(Set<String> sent, String meetingId, String token, Peer carol, Peer dave) {
        List<String> order = List.copyOf(sent);
        StringBuilder b = new StringBuilder("not every message was delivered after the restart;");
        for (Peer p : List.of(carol, dave)) {
            Set<String> got = distinctIds(p.chats(meetingId));
            List<Integer> missing = new java.util.ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                if (!got.contains(order.get(i))) {
                    missing.add(i);
                }
            }
            b.append(p == carol ? " Carol" : " Dave").append(" lacks ").append(missing.size()).append(": ")
                    .append(missing.subList(0, Math.min(missing.size(), 40)))
                    .append(", socket closed with ").append(p.closedWith())
                    .append(", other frames ").append(p.frames.stream().map(f -> f.path("type").asText())
                            .filter(t -> !t.equals("chat")).toList())
                    .append(';');
        }
        b.append(" the history holds ").append(historySize(meetingId, token)).append("; Carol's errors: ").append(carol.errors().stream().limit(5).toList());
        return b.toString();
    }

    private static Set<String> distinctIds(List<Peer.Chat> chats) {
        Set<String> s = new HashSet<>();
        chats.forEach(c -> s.add(c.clientMsgId()));
        return s;
    }

    private int historySize(String meetingId, String token) {
        try {
            return api.history(meetingId, token, 5000).size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sendMany(Peer p, String meetingId, String prefix, int n, Set<String> sent) {
        for (int i = 0; i < n; i++) {
            String id = prefix + "-" + i + "-" + UUID.randomUUID();
            sent.add(id);
            p.chat(meetingId, id, prefix + " says " + i);
        }
    }
}
