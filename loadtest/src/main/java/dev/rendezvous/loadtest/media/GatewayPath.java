package dev.rendezvous.loadtest.media;

import dev.rendezvous.webrtc.signaling.GatewaySignaling;
import dev.rendezvous.webrtc.signaling.Signaling;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real path, through a running stack: a fresh host account (register, login), one meeting per room
 * ({@code POST /api/v1/meetings}), and each participant a guest of its meeting with its own WebSocket
 * ({@link GatewaySignaling}: guest token, {@code join}, media frames). Media goes to whichever forwarder
 * stream-apps placed the room on; the forwarder's figures come from {@code metricsUrl}.
 */
public final class GatewayPath implements SignalingPath {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String metricsUrl;
    private final ExecutorService pool = dev.rendezvous.loadtest.RestClient.daemonThreads(4, "gateway-io");
    private final HttpClient http = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String[]> meetings = new ArrayList<>(); // {meetingId, code}

    public GatewayPath(String baseUrl, String metricsUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.metricsUrl = metricsUrl;
    }

    @Override
    public void openRooms(int n) throws IOException, InterruptedException {
        String email = "media-load-" + UUID.randomUUID() + "@example.test";
        String password = "media-load-password";
        post("/api/v1/auth/register", Map.of("email", email, "password", password, "displayName", "Media load"), null, 201);
        String token = post("/api/v1/auth/login", Map.of("email", email, "password", password), null, 200)
                .path("token").asText();
        for (int i = 0; i < n; i++) {
            JsonNode m = post("/api/v1/meetings", Map.of("title", "media load " + i), token, 201);
            meetings.add(new String[] {m.path("meetingId").asText(), m.path("code").asText()});
        }
    }

    private JsonNode post(String path, Map<String, ?> body, String bearer, int expect)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IllegalStateException("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public String meetingId(int room) {
        return meetings.get(room)[0];
    }

    @Override
    public Signaling signaling(int room, int index, String socketId) {
        String[] m = meetings.get(room);
        return new GatewaySignaling(http, baseUrl, m[0], m[1], "Load " + room + "-" + index, null);
    }

    @Override
    public ForwarderProbe probe() {
        return new PrometheusProbe(http, metricsUrl);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
