package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * More media-forwarder processes next to the stack's own ({@code fwd-1}): the stack's forwarder command with another
 * id, HTTP and management port and any free UDP port. Each is a real process; {@link #kill} is SIGKILL,
 * {@link #terminate} SIGTERM (a rolling restart's stop: the forwarder drains and exits by itself); {@link #restart}
 * starts one again with the same id and settings (its log goes on in the same file).
 */
final class ExtraForwarders implements AutoCloseable {

    private final Stack stack;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> settingsById = new LinkedHashMap<>();

    ExtraForwarders(Stack stack) {
        this.stack = stack;
    }

    /** Starts a forwarder with this id and waits until it is ready (its metrics reach Kafka). */
    Process start(String id) throws Exception {
        return start(id, Map.of());
    }

    /** The same with settings of its own, e.g. {@code rendezvous.forwarder.capacity} → {@code 4000}. */
    Process start(String id, Map<String, String> settings) throws Exception {
        List<Integer> ports = Ports.freePorts(2);
        List<String> command = new ArrayList<>();
        for (String a : stack.appCommand(App.MEDIA_FORWARDER)) {
            if (a.startsWith("--server.port=")) {
                a = "--server.port=" + ports.get(0);
            } else if (a.startsWith("--management.server.port=")) {
                a = "--management.server.port=" + ports.get(1);
            } else if (a.startsWith("--rendezvous.forwarder.id=")) {
                a = "--rendezvous.forwarder.id=" + id;
            } else if (a.startsWith("--rendezvous.forwarder.udp-port=")) {
                a = "--rendezvous.forwarder.udp-port=0";
            }
            String key = a.startsWith("--") && a.contains("=") ? a.substring(2, a.indexOf('=')) : null;
            if (key == null || !settings.containsKey(key)) {
                command.add(a);
            }
        }
        settings.forEach((k, v) -> command.add("--" + k + "=" + v));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(id).toFile())).start();
        processes.put(id, p);
        settingsById.put(id, Map.copyOf(settings));
        awaitReady(ports.get(1), p, id);
        return p;
    }

    /** SIGKILL: the forwarder sends nothing more. */
    void kill(String id) throws InterruptedException {
        Process p = processes.get(id);
        p.destroyForcibly();
        assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /** Starts a stopped forwarder again with the same id and settings; waits until it is ready. */
    Process restart(String id) throws Exception {
        Process old = processes.get(id);
        assertThat(old.isAlive()).as("forwarder " + id + " is stopped before its restart").isFalse();
        return start(id, settingsById.get(id));
    }

    /** SIGTERM: the forwarder drains (no new rooms, its rooms moved away) and exits by itself. */
    void terminate(String id) {
        processes.get(id).destroy();
    }

    /** Waits up to {@code within} for the process to end by itself; its exit code. */
    int awaitExit(String id, Duration within) throws InterruptedException {
        Process p = processes.get(id);
        assertThat(p.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                .as("forwarder " + id + " exits by itself within " + within).isTrue();
        return p.exitValue();
    }

    /** The forwarder's log file (all its runs). */
    Path log(String id) {
        return stack.logDir().resolve("media-forwarder-" + id + ".log");
    }

    private static void awaitReady(int managementPort, Process p, String id) {
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        await("forwarder " + id + " ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(p.isAlive()).as("forwarder " + id + " runs").isTrue();
                    return http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
    }
}
