package dev.rendezvous.e2e;

import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The public REST API (API.md) as tests use it. */
public final class Api {

    public record Meeting(String meetingId, String code, String joinUrl) {}

    private final String base;
    final HttpClient http = HttpClient.newHttpClient();

    public Api(String base) {
        this.base = base;
    }

    /** Registers a fresh user and returns a login token. */
    public String newUserToken(String displayName) throws Exception {
        String email = displayName.toLowerCase() + "-" + UUID.randomUUID() + "@example.test";
        expect(201, call("POST", "/api/v1/auth/register", Map.of("email", email, "password", "correct horse battery", "displayName", displayName), null));
        return expect(200, call("POST", "/api/v1/auth/login", Map.of("email", email, "password", "correct horse battery"), null)).path("token").asText();
    }

    public Meeting createMeeting(String token, String title) throws Exception {
        JsonNode n = expect(201, call("POST", "/api/v1/meetings", Map.of("title", title), token));
        return new Meeting(n.path("meetingId").asText(), n.path("code").asText(), n.path("joinUrl").asText());
    }

    String guestToken(String code, String name) throws Exception {
        return expect(200, call("POST", "/api/v1/meetings/" + code + "/guest", Map.of("displayName", name), null)).path("token").asText();
    }

    JsonNode history(String meetingId, String token, int limit) throws Exception {
        return expect(200, call("GET", "/api/v1/meetings/" + meetingId + "/messages?limit=" + limit, null, token));
    }

    HttpResponse<String> call(String method, String path, Object body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (body != null) {
            b.header("Content-Type", "application/json")
             .method(method, HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + r.request().uri() + " but got " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }
}
