package dev.rendezvous.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.RepoHome;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rendezvous up --gateways=2 --forwarders=2} for real (Kafka, PostgreSQL, S3, two gateways, two forwarders and
 * Debian's nginx, all child processes): nginx is the one entry and proxies HTTP and WebSocket upgrades to both
 * gateways, {@code ./rendezvous status --json} (the script) lists every process with the forwarders' ids and the
 * gateways' socket counts, a killed gateway's share goes to the other one and status then exits 1 naming it, and
 * stopping the launcher leaves no process behind, nginx's included.
 */
class FleetIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String QUICK_START = "-XX:TieredStopAtLevel=1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void shouldRunTwoGatewaysBehindNginxAndTwoForwardersAndStopEveryProcess() throws Exception {
        Path data = dir.resolve("data");
        int httpPort = dev.rendezvous.stack.Ports.freePort();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<ProcessHandle> seen = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();

        int code = Launcher.run(new String[] {"--data-dir=" + data, "--http-port=" + httpPort, "--gateways=2", "--forwarders=2"},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
                b -> b.freePorts().apps(App.EDGE_GATEWAY, App.MEDIA_FORWARDER).clickHouse(false).aerospike(false)
                        // C1 only: the JVMs start faster (this test measures nothing)
                        .appJvmOptions(App.EDGE_GATEWAY, QUICK_START).appJvmOptions(App.MEDIA_FORWARDER, QUICK_START)
                        .kafkaJvmOptions(QUICK_START)
                        .listener(new Progress()).appStartupTimeout(Duration.ofMinutes(3)),
                stack -> {
                    try {
                        whileRunning(stack, data, httpPort, seen);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });

        if (failure.get() != null) {
            throw new AssertionError("the running fleet failed a check", failure.get());
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        // stopped cleanly: every process seen while it ran (nginx's workers too) is gone, and so is the run state
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2 + 2 + 1 + 3);
        for (ProcessHandle p : seen) {
            String what = "pid " + p.pid() + " " + p.info().commandLine().orElse("");
            // a process that is not our child (the postmaster, nginx's workers) may take a moment to be reaped
            try {
                p.onExit().get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // asserted below
            }
            assertThat(p.isAlive()).as(what).isFalse();
        }
        assertThat(RunState.file(data)).doesNotExist();
        // nginx logs a request when it ends: the WebSockets too, now that they are closed and nginx has stopped
        assertThat(Files.readString(data.resolve("logs/nginx-access.log"))).contains("GET /ws", "GET /api/v1/me");
        Result after = status(data);
        assertThat(after.code).as(after.stderr).isEqualTo(StatusCommand.EXIT_NOT_RUNNING);
    }

    private void whileRunning(Stack stack, Path data, int httpPort, List<ProcessHandle> seen) throws Exception {
        String base = "http://127.0.0.1:" + httpPort;
        assertThat(stack.publicUrl()).isEqualTo(base);
        long nginxPid = stack.nginxPid();
        assertThat(nginxPid).isPositive();
        assertThat(stack.instances(App.MEDIA_FORWARDER)).extracting(i -> i.id()).containsExactly("fwd-1", "fwd-2");

        // HTTP through nginx: the home page and a REST call answered by a gateway (401 JSON without a token)
        HttpResponse<String> home = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).containsIgnoringCase("<html");
        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.body()).contains("\"error\"");

        // two WebSocket upgrades through nginx land on the two gateways (least_conn): each says hello with its id
        Hello first = new Hello();
        WebSocket a = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws"), first)
                .get(10, TimeUnit.SECONDS);
        String firstGateway = first.gatewayId.get(10, TimeUnit.SECONDS);
        Hello second = new Hello();
        WebSocket b = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws"), second)
                .get(10, TimeUnit.SECONDS);
        String secondGateway = second.gatewayId.get(10, TimeUnit.SECONDS);
        assertThat(Set.of(firstGateway, secondGateway)).containsExactlyInAnyOrder("gw-1", "gw-2");

        // status --json, through the script: every process, both forwarders' ids, one socket on each gateway
        Result r = statusUntil(data, (code, status) -> oneSocketEach(status) && code == StatusCommand.EXIT_ALL_UP);
        JsonNode json = JSON.readTree(r.stdout);
        assertThat(r.code).as(r.stdout + r.stderr).isEqualTo(StatusCommand.EXIT_ALL_UP);
        assertThat(json.get("healthy").asBoolean()).isTrue();
        assertThat(json.get("publicUrl").asString()).isEqualTo(base);
        List<String> forwarderIds = new ArrayList<>();
        json.get("forwarders").forEach(f -> {
            forwarderIds.add(f.get("id").asString());
            assertThat(f.get("rooms").isNumber()).as(f.toString()).isTrue();
            assertThat(f.get("participants").isNumber()).as(f.toString()).isTrue();
        });
        assertThat(forwarderIds).containsExactly("fwd-1", "fwd-2");
        assertThat(oneSocketEach(json)).as(json.toString()).isTrue();
        Set<String> names = new HashSet<>();
        json.get("processes").forEach(p -> {
            names.add(p.get("name").asString());
            assertThat(p.get("health").asString()).as(p.toString()).isEqualTo("UP");
            seen.add(ProcessHandle.of(p.get("pid").asLong()).orElseThrow());
        });
        assertThat(names).contains("kafka", "postgres", "s3-server", "nginx", "edge-gateway-1", "edge-gateway-2",
                "media-forwarder-1", "media-forwarder-2");
        ProcessHandle.of(nginxPid).orElseThrow().descendants().forEach(seen::add); // nginx's workers
        metricsOfEveryApp(stack, names);

        // the human table names the same things
        Result table = status(data);
        assertThat(table.stdout).contains("fwd-1", "fwd-2", "gw-1", "gw-2", "nginx", "all ");
        System.out.println(table.stdout);

        a.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        b.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);

        // a gateway dies: nginx sends the next upgrade to the live one, and status says what is down (exit code 1)
        stack.stopApp("edge-gateway-1", true);
        for (int i = 0; i < 2; i++) {
            Hello again = new Hello();
            WebSocket c = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws"), again)
                    .get(10, TimeUnit.SECONDS);
            assertThat(again.gatewayId.get(10, TimeUnit.SECONDS)).isEqualTo("gw-2");
            c.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        }
        Result down = statusUntil(data, (code, status) -> onlyStopped(status, "edge-gateway-1"));
        JsonNode downJson = JSON.readTree(down.stdout);
        assertThat(down.code).as(down.stdout + down.stderr).isEqualTo(StatusCommand.EXIT_SOMETHING_DOWN);
        assertThat(downJson.get("healthy").asBoolean()).isFalse();
        downJson.get("processes").forEach(p -> assertThat(p.get("health").asString()).as(p.toString())
                .isEqualTo(p.get("name").asString().equals("edge-gateway-1") ? "STOPPED" : "UP"));
    }

    /**
     * {@code status --json}, asked again for up to 30 s until {@code done} holds for its exit code and answer (a health
     * probe has 3 s, and a loaded machine may answer one late); the last answer.
     */
    private static Result statusUntil(Path data, java.util.function.BiPredicate<Integer, JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        Result r;
        do {
            r = status(data, "--json");
        } while (!done.test(r.code, JSON.readTree(r.stdout)) && Instant.now().isBefore(deadline));
        return r;
    }

    /** True when {@code stopped} is STOPPED and every other process UP. */
    private static boolean onlyStopped(JsonNode status, String stopped) {
        boolean[] ok = {status.has("processes")};
        status.path("processes").forEach(p -> ok[0] &= p.path("health").asString()
                .equals(p.path("name").asString().equals(stopped) ? "STOPPED" : "UP"));
        return ok[0];
    }

    /**
     * With Debian's victoria-metrics installed (.ci/run installs it) the launcher runs it, and it scrapes every app
     * process of the run: each one is {@code up}, and each gateway's own series carry its instance name.
     */
    private static void metricsOfEveryApp(Stack stack, Set<String> names) {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/victoria-metrics"))
                || System.getenv("RENDEZVOUS_VICTORIA_METRICS") != null;
        if (System.getenv("CI") != null) {
            assertThat(installed).as("CI installs victoria-metrics (.ci/run): the launcher's metrics must be tested").isTrue();
        }
        if (!installed) {
            assertThat(stack.victoriaMetricsUrl()).isNull();
            return;
        }
        String vm = stack.victoriaMetricsUrl();
        assertThat(vm).as("VictoriaMetrics running").isNotNull();
        assertThat(names).contains("victoria-metrics");
        org.awaitility.Awaitility.await("VictoriaMetrics has scraped all four app processes").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                        query(vm, "count(up{component=~\"edge-gateway|media-forwarder\"} == 1)").contains("\"4\"")
                                && query(vm, "rendezvous_gateway_sockets_open").contains("\"pod\":\"edge-gateway-1\"")
                                && query(vm, "rendezvous_gateway_sockets_open").contains("\"pod\":\"edge-gateway-2\""));
    }

    private static String query(String vm, String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(vm + "/api/v1/query?query="
                        + java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The stack's progress on the test's output, with the time: where a slow start spends it. */
    private static final class Progress implements StackListener {
        @Override
        public void onProgress(String message) {
            System.out.println(Instant.now() + " " + message);
        }

        @Override
        public void onWarning(String message) {
            System.out.println(Instant.now() + " WARNING " + message);
        }
    }

    private static boolean oneSocketEach(JsonNode json) {
        if (json == null || json.get("gateways") == null || json.get("gateways").size() != 2) {
            return false;
        }
        for (JsonNode g : json.get("gateways")) {
            if (!g.get("openSockets").isNumber() || g.get("openSockets").asInt() != 1) {
                return false;
            }
        }
        return true;
    }

    private record Result(int code, String stdout, String stderr) {
    }

    /** {@code ./rendezvous status ARGS --data-dir=DATA}, the script at the repository root. */
    private static Result status(Path data, String... args) throws Exception {
        Path root = RepoHome.require();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("rendezvous").toString(), "status", "--data-dir=" + data));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> errOut = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("status finished").isTrue();
        return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(errOut.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    /** Completes with the gatewayId of the first frame (the gateway's hello). */
    private static final class Hello implements WebSocket.Listener {
        final CompletableFuture<String> gatewayId = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                if (!gatewayId.isDone()) {
                    JsonNode frame = JSON.readTree(text.toString());
                    gatewayId.complete(frame.get("type").asString().equals("hello") ? frame.get("gatewayId").asString() : null);
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }
}
