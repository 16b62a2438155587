package dev.rendezvous.e2e;

import dev.rendezvous.loadtest.WsClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/** A WebSocket participant that records every frame it gets, in arrival order. */
final class Peer implements AutoCloseable {

    record Chat(long seq, String clientMsgId, String text, String from) {}

    private final WsClient ws;
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();

    private Peer(WsClient ws) {
        this.ws = ws;
    }

    static Peer connect(HttpClient http, String baseUrl) throws InterruptedException {
        WsClient ws = WsClient.connect(http, baseUrl);
        ws.await("hello", Duration.ofSeconds(10));
        Peer p = new Peer(ws);
        ws.onFrame(f -> p.frames.add(f.json()));
        return p;
    }

    /** Joins and waits for the processor's {@code joined} reply. */
    Peer join(String meetingId, String token) {
        ws.send(Map.of("type", "join", "meetingId", meetingId, "token", token));
        awaitUntil(() -> frames.stream().anyMatch(f -> f.path("type").asText().equals("joined")
                && f.path("meetingId").asText().equals(meetingId)), Duration.ofSeconds(30), "joined " + meetingId);
        return this;
    }

    void chat(String meetingId, String clientMsgId, String text) {
        ws.send(Map.of("type", "chat", "meetingId", meetingId, "clientMsgId", clientMsgId, "text", text));
    }

    void sendRaw(String text) {
        ws.sendRaw(text);
    }

    void sendBinary(byte[] b) {
        ws.sendBinary(b);
    }

    Integer closedWith() {
        return ws.closedWith();
    }

    List<Chat> chats(String meetingId) {
        List<Chat> out = new ArrayList<>();
        for (JsonNode f : frames) {
            if (f.path("type").asText().equals("chat") && f.path("meetingId").asText().equals(meetingId)) {
                out.add(new Chat(f.path("seq").asLong(), f.path("clientMsgId").asText(), f.path("text").asText(),
                        f.path("from").path("displayName").asText()));
            }
        }
        return out;
    }

    List<JsonNode> errors() {
        return frames.stream().filter(f -> f.path("type").asText().equals("error")).toList();
    }

    JsonNode awaitError(String code, Duration timeout) {
        awaitUntil(() -> errors().stream().anyMatch(e -> e.path("error").asText().equals(code)), timeout, "error " + code);
        return errors().stream().filter(e -> e.path("error").asText().equals(code)).findFirst().orElseThrow();
    }

    static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
        org.awaitility.Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        ws.close();
    }
}
