package dev.rendezvous.loadtest;

import dev.rendezvous.topics.serde.Json;
import tools.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The load tools' JSON calls to the gateway's REST API: a POST that must succeed, its body parsed. */
public final class RestClient {

    /**
     * A pool of {@code n} daemon threads named {@code name}, for an {@link HttpClient}: a tool whose run fails (the
     * stack refused a request) then ends with its error instead of being kept alive by the client's idle threads.
     */
    public static java.util.concurrent.ExecutorService daemonThreads(int n, String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }


    private final HttpClient http;
    private final String baseUrl;

    public RestClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** POSTs {@code body} as JSON (with a bearer token unless null); a non-2xx answer is an exception naming it. */
    public JsonNode post(String path, Map<String, ?> body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }
}
