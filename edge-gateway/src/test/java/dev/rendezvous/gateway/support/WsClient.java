package dev.rendezvous.gateway.support;

import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** A WebSocket client on the JDK's {@link java.net.http.WebSocket}, collecting the frames it receives in order. */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private StringBuilder partial = new StringBuilder();
    private volatile Throwable lastError;

    private WsClient(URI uri) {
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener()).join();
    }

    public static WsClient connect(RunningGateway gw) {
        return connect(gw, "/ws");
    }

    public static WsClient connect(RunningGateway gw, String pathAndQuery) {
        return new WsClient(URI.create("ws://127.0.0.1:" + gw.port + pathAndQuery));
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void send(Object frame) {
        send(Json.mapper().writeValueAsString(frame));
    }

    /** The next frame, whatever it is. */
    public JsonNode next() {
        try {
            JsonNode f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame of a type, skipping others of no interest (pongs, participant notices…). */
    public JsonNode next(String type) {
        return next(f -> type.equals(f.get("type").asString()), type);
    }

    public JsonNode next(Predicate<JsonNode> wanted, String what) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                JsonNode f = frames.poll(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS);
                if (f != null && wanted.test(f)) {
                    return f;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no " + what + " frame within " + WAIT);
    }

    /** The next error frame; fails if the next frame is something else. */
    public JsonNode nextError() {
        JsonNode f = next();
        if (!"error".equals(f.get("type").asString())) {
            throw new AssertionError("expected an error frame, got " + f);
        }
        return f;
    }

    /** Frames received and not yet taken. */
    public int pending() {
        return frames.size();
    }

    public boolean isOpen() {
        return !closed.isDone() && !ws.isOutputClosed();
    }

    /** The close code the server sent (-1: the connection failed), or null while open. */
    public Integer closeCode() {
        return closed.getNow(null);
    }

    /** Why the connection failed, if it did. */
    public Throwable error() {
        return lastError;
    }

    /** The close code the server sent, waiting for it. */
    public int awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial = new StringBuilder();
                try {
                    frames.add(Json.mapper().readTree(text));
                } catch (RuntimeException e) {
                    // the server sent something that is not JSON: keep it, for the test to see and fail on
                    frames.add(Json.mapper().createObjectNode().put("type", "not-json").put("raw", text));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lastError = error;
            closed.complete(-1);
        }
    }
}
