package dev.rendezvous.loadtest;

import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * A small client of the gateway's WebSocket protocol (docs/protocol.md) on the JDK's WebSocket. Frames are
 * handed to a callback on the client's thread together with the nanoTime they completed at; sends are
 * serialised per socket, as the JDK requires.
 */
public final class WsClient implements WebSocket.Listener {

    private final WebSocket ws;
    private final StringBuilder partial = new StringBuilder();
    private volatile Consumer<Frame> onFrame;
    private final LinkedBlockingQueue<Frame> backlog = new LinkedBlockingQueue<>();
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);
    private volatile String socketId;
    private volatile Integer closeCode;

    public String socketId() {
        return socketId;
    }

    public record Frame(JsonNode json, long receivedNanos) {
        public String type() {
            return json.path("type").asText();
        }
    }

    private WsClient(HttpClient http, URI uri) {
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this).join();
    }

    public static WsClient connect(HttpClient http, String baseUrl) {
        return new WsClient(http, URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws"));
    }

    /** Until a handler is set, frames queue up so that nothing is missed; {@link #await} reads that queue. */
    public void onFrame(Consumer<Frame> handler) {
        this.onFrame = handler;
        backlog.clear();
    }

    public Frame await(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no '" + type + "' frame within " + timeout);
            }
            Frame f = backlog.poll(left, TimeUnit.NANOSECONDS);
            if (f != null && f.type().equals(type)) {
                return f;
            }
            if (f != null && f.type().equals("error")) {
                throw new IllegalStateException("error frame while waiting for " + type + ": " + f.json());
            }
        }
    }

    /** Waits for the next queued frame that matches, discarding others; error frames do not throw here. */
    public Frame awaitMatching(java.util.function.Predicate<Frame> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no matching frame within " + timeout);
            }
            Frame f = backlog.poll(left, TimeUnit.NANOSECONDS);
            if (f != null && match.test(f)) {
                return f;
            }
        }
    }

    public synchronized void send(Map<String, ?> frame) {
        sendRaw(Json.mapper().writeValueAsString(frame));
    }

    /** Sends any text, valid or not (tests of the gateway's error handling). */
    public synchronized void sendRaw(String text) {
        lastSend = lastSend.thenCompose(w -> ws.sendText(text, true));
    }

    public synchronized void sendBinary(byte[] bytes) {
        lastSend = lastSend.thenCompose(w -> ws.sendBinary(java.nio.ByteBuffer.wrap(bytes), true));
    }

    /** Null while open; the close code once the server closed the socket. */
    public Integer closedWith() {
        return closeCode;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode = -1;
    }

    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.nanoTime();
        partial.append(data);
        if (last) {
            JsonNode json = Json.mapper().readTree(partial.toString());
            partial.setLength(0);
            Frame f = new Frame(json, now);
            if (f.type().equals("hello")) {
                socketId = json.path("socketId").asText();
            }
            Consumer<Frame> h = onFrame;
            if (h == null) {
                backlog.offer(f);
            } else {
                h.accept(f);
            }
        }
        webSocket.request(1);
        return null;
    }
}
