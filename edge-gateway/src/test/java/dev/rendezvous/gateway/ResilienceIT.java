package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.TestInfra;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.stack.Postgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL going away under a running gateway (the real server of the test stack, stopped or frozen mid-test): REST
 * calls that need it answer 503 {@code dependency_unavailable} within 2 s each (measured per request, bounded at 3 s
 * for a loaded 2-core machine: a lost deadline would take 3.1 s, a hung call the client's 10 s), none hangs, a WebSocket join gets an {@code unavailable} error frame as quickly, the
 * circuit breaker's state shows in the metrics, and the calls work again by themselves once PostgreSQL is back. The gateway runs with the default {@code rendezvous.resilience.*}.
 */
class ResilienceIT {

    /**
     * The bound REST promises while a dependency is down (2 s: the guard's 1.8 s deadline and the answer), plus the
     * margin of a loaded 2-core test machine (scheduling of a gateway that runs inside the test JVM). Below 3.1 s, what
     * a lost deadline would take (an attempt's 1.5 s time limit, a retry, another 1.5 s).
     */
    private static final Duration BOUND = Duration.ofSeconds(3);

    private static RunningGateway gw;
    private static Map<String, String> user;
    private static String meetingId;
    /** A request longer than this is a hung request: the client gives up and the test fails. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_resilience");
        user = gw.newUser("Rhea");
        meetingId = gw.newMeeting(user.get("token"), "through an outage").get("meetingId");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void shouldAnswer503WithinTwoSecondsWhilePostgresIsStoppedAndRecoverWhenItIsBack() throws Exception {
        Postgres pg = TestInfra.stack().postgres();
        pg.stop();
        try {
            for (int i = 0; i < 3; i++) {
                for (HttpRequest r : calls()) {
                    assertDependencyUnavailable(timed(r));
                }
            }
            assertThat(breakerState()).isEqualTo("open");
            // an open breaker answers at once, even for many callers at the same moment
            assertAllDependencyUnavailable(concurrently(12));
        } finally {
            pg.start(Duration.ofSeconds(60));
        }
        awaitRecovery();
    }

    @Test
    void shouldNotHangWhilePostgresIsFrozen() throws Exception {
        // SIGSTOP: connections are accepted by the kernel and queries sent, but nothing ever answers — the outage that
        // made requests hang before there were time limits
        List<ProcessHandle> pg = new ArrayList<>();
        TestInfra.stack().postgres().postmaster().ifPresent(p -> {
            pg.add(p);
            p.descendants().forEach(pg::add);
        });
        assertThat(pg).as("the embedded PostgreSQL's processes").isNotEmpty();
        signal("STOP", pg);
        try {
            // the first ones wait for their time limit; together they open the breaker
            assertAllDependencyUnavailable(concurrently(8));
            assertThat(breakerState()).isEqualTo("open");
            for (HttpRequest r : calls()) {
                assertDependencyUnavailable(timed(r));
            }
            // the WebSocket side: a join needs the meeting (and the user) from PostgreSQL; it gets an error frame
            try (WsClient ws = WsClient.connect(gw)) {
                ws.next("hello");
                long t0 = System.nanoTime();
                ws.send(Map.of("type", "join", "meetingId", meetingId, "token", user.get("token")));
                JsonNode error = ws.next("error");
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(error.path("error").asString()).isEqualTo("unavailable");
                assertThat(took).as("join refused after " + took.toMillis() + " ms").isLessThanOrEqualTo(BOUND);
                assertThat(ws.isOpen()).as("the socket stays usable").isTrue();
            }
        } finally {
            signal("CONT", pg);
        }
        awaitRecovery();
    }

    /** One call of each kind that needs PostgreSQL: a meeting, the user's meetings, a login. */
    private static List<HttpRequest> calls() {
        String token = user.get("token");
        return List.of(
                HttpRequest.newBuilder(gw.uri("/api/v1/meetings/" + meetingId)).header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(10)).GET().build(),
                HttpRequest.newBuilder(gw.uri("/api/v1/me/meetings")).header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(10)).GET().build(),
                HttpRequest.newBuilder(gw.uri("/api/v1/auth/login")).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + user.get("email")
                                + "\",\"password\":\"password-123\"}")).build());
    }

    private record Timed(HttpResponse<String> response, Duration took, String call) {}

    private Timed timed(HttpRequest r) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        return new Timed(resp, Duration.ofNanos(System.nanoTime() - t0), r.method() + " " + r.uri().getPath());
    }

    /** {@code n} calls at once (cycling through {@link #calls()}), each timed from its own start. */
    private List<Timed> concurrently(int n) {
        List<HttpRequest> kinds = calls();
        List<CompletableFuture<Timed>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpRequest r = kinds.get(i % kinds.size());
            long t0 = System.nanoTime();
            all.add(http.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                    .thenApply(resp -> new Timed(resp, Duration.ofNanos(System.nanoTime() - t0),
                            r.method() + " " + r.uri().getPath())));
        }
        return all.stream().map(CompletableFuture::join).toList();
    }

    private static void assertDependencyUnavailable(Timed t) {
        assertThat(t.response().statusCode()).as(t.call() + " → " + t.response().body()).isEqualTo(503);
        JsonNode body = Jsons.tree(t.response().body());
        assertThat(body.path("error").asString()).as(t.call()).isEqualTo("dependency_unavailable");
        assertThat(body.path("message").asString()).as(t.call()).isNotBlank();
        assertThat(t.took()).as(t.call() + " took " + t.took().toMillis() + " ms").isLessThanOrEqualTo(BOUND);
    }

    private static void assertAllDependencyUnavailable(List<Timed> all) {
        all.forEach(ResilienceIT::assertDependencyUnavailable);
    }

    /** Every call works again, without anything restarted in the gateway, and the breaker is closed. */
    private void awaitRecovery() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (HttpRequest r : calls()) {
                Timed t = timed(r);
                assertThat(t.response().statusCode()).as(t.call() + " → " + t.response().body()).isEqualTo(200);
            }
        });
        assertThat(Jsons.field(gw.get("/api/v1/meetings/" + meetingId, user.get("token")).body(), "meetingId"))
                .isEqualTo(meetingId);
        assertThat(breakerState()).isEqualTo("closed");
    }

    /** The PostgreSQL breaker's state as the Prometheus endpoint shows it (the state whose gauge is 1). */
    private static String breakerState() {
        String metrics = gw.managementGet("/actuator/prometheus").body();
        return Stream.of(metrics.split("\n"))
                .filter(l -> l.startsWith("resilience4j_circuitbreaker_state{") && l.contains("name=\"postgresql\"")
                        && l.endsWith(" 1.0"))
                .map(l -> l.replaceAll(".*state=\"([a-z_]+)\".*", "$1"))
                .findFirst().orElse("absent");
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> cmd.add(Long.toString(p.pid())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }
}
