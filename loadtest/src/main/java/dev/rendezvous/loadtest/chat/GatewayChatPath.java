package dev.rendezvous.loadtest.chat;

import dev.rendezvous.loadtest.RestClient;
import dev.rendezvous.loadtest.WsClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The product's path: a chat frame on a sender's WebSocket → gateway → {@code chat.message.requested} → stream-apps
 * (validation, order, the room's state, the store's topic) → the receiving gateway's deliveries → the receiver's
 * WebSocket. Many small rooms (a sender and a receiver each) carry the load, as in the product.
 */
public final class GatewayChatPath implements ChatPath {

    private final HttpClient http;
    private final String baseUrl;
    private final Inflight inflight = new Inflight();
    private final List<WsClient> senders = new ArrayList<>();
    private final List<String> meetings = new ArrayList<>();
    private final List<WsClient> all = new ArrayList<>();

    private GatewayChatPath(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** Registers a user, creates {@code rooms} meetings and joins a sender and a receiver to each. */
    public static GatewayChatPath open(HttpClient http, String baseUrl, int rooms) throws Exception {
        GatewayChatPath p = new GatewayChatPath(http, baseUrl);
        RestClient rest = new RestClient(http, baseUrl);
        String email = "load-" + UUID.randomUUID() + "@example.test";
        rest.post("/api/v1/auth/register", Map.of("email", email, "password", "load-test-password", "displayName", "Load"), null);
        String token = rest.post("/api/v1/auth/login", Map.of("email", email, "password", "load-test-password"), null)
                .path("token").asText();
        System.out.printf("opening %d rooms with a sender and a receiver each%n", rooms);
        for (int i = 0; i < rooms; i++) {
            String meetingId = rest.post("/api/v1/meetings", Map.of("title", "load " + i), token).path("meetingId").asText();
            p.meetings.add(meetingId);
            WsClient sender = p.join(meetingId, token);
            WsClient receiver = p.join(meetingId, token);
            receiver.onFrame(p::onReceiverFrame);
            sender.onFrame(f -> {
                if (f.type().equals("error") && isChatError(f.json())) {
                    p.inflight.error(f.json().toString());
                }
            });
            p.senders.add(sender);
        }
        return p;
    }

    private WsClient join(String meetingId, String token) throws InterruptedException {
        WsClient c = WsClient.connect(http, baseUrl);
        all.add(c);
        c.await("hello", Duration.ofSeconds(10));
        c.send(Map.of("type", "join", "meetingId", meetingId, "token", token));
        c.await("joined", Duration.ofSeconds(20));
        return c;
    }

    private void onReceiverFrame(WsClient.Frame f) {
        switch (f.type()) {
            case "chat" -> inflight.received(f.json().path("clientMsgId").asText(), f.receivedNanos(),
                    f.json().path("sentAt").asText(null));
            case "error" -> {
                if (isChatError(f.json())) {
                    inflight.error(f.json().toString());
                }
            }
            default -> { }
        }
    }

    /**
     * Whether an error frame concerns the chat. Media errors (ref {@code subscribe}, {@code publish}, {@code media})
     * do not: joining starts a subscribe connection, whose offers these sockets (no media) never answer, so the
     * forwarder gives it up with {@code subscribe_timeout}.
     */
    static boolean isChatError(tools.jackson.databind.JsonNode error) {
        String ref = error.path("ref").asText("");
        return !(ref.equals("subscribe") || ref.equals("publish") || ref.equals("media"));
    }

    @Override
    public String name() {
        return "Rendezvous (WebSocket → gateway → Kafka → stream-apps → Kafka → gateway → WebSocket)";
    }

    @Override
    public Inflight inflight() {
        return inflight;
    }

    @Override
    public void send(long n, long scheduledNanos) {
        int room = (int) (n % senders.size());
        String id = UUID.randomUUID().toString();
        inflight.sent(id, scheduledNanos);
        senders.get(room).send(Map.of("type", "chat", "meetingId", meetings.get(room), "clientMsgId", id,
                "text", "load message " + n));
    }

    /** The first sender's socket, for the ping round trip. */
    public WsClient firstSender() {
        return senders.get(0);
    }

    /** The meeting ids, in room order: the bare path keys its records by them. */
    public List<String> meetings() {
        return List.copyOf(meetings);
    }

    @Override
    public void close() {
        all.forEach(WsClient::close);
    }
}
