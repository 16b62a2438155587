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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Presence that expires, in browsers: two pages in one meeting, each on its own gateway (the shared stack's, and a
 * second gateway process started here from the same jar and wiring). The second gateway is killed (SIGKILL: no
 * LEAVE is ever sent); the room processor notices its silence and the page on the first gateway sees its peer leave
 * within 15 s.
 */
class GatewayLossBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldShowAPeerLeaveWithin15sWhenItsGatewayIsKilled() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String host = api.newUserToken("Ada");
        Api.Meeting m = api.createMeeting(host, "gateway loss");
        List<Integer> ports = Ports.freePorts(2);
        String second = "http://127.0.0.1:" + ports.get(0);
        Process gateway = startSecondGateway(ports.get(0), ports.get(1), second);
        try (Browser ada = Browser.launch(); Browser ben = Browser.launch()) {
            awaitHealthy(ports.get(1), gateway);
            ada.open(m.joinUrl() + "?token=" + host + "&autojoin=1");
            ben.open(second + "/j/" + m.code() + "?name=Ben&autojoin=1");
            await("Ada sees Ben").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !ada.driver().findElements(By.cssSelector(
                            "[data-testid='participant'][data-participant-name='Ben']")).isEmpty());

            gateway.destroyForcibly();   // SIGKILL: the gateway sends nothing more, not even LEAVEs
            assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Instant killed = Instant.now();
            await("Ben gone from Ada's page").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ada.driver().findElements(By.cssSelector(
                            "[data-testid='participant'][data-participant-name='Ben']")).isEmpty());
            System.out.println("[gateway-loss] Ben left Ada's page " + Duration.between(killed, Instant.now()).toMillis()
                    + " ms after his gateway was killed");
            assertThat(ada.byTestId("participant")).as("Ada is still in her meeting").isNotEmpty();
        } finally {
            gateway.destroyForcibly();
        }
    }

    /** The stack's gateway command with its own ports, id and public URL (its secrets file is the same). */
    private Process startSecondGateway(int port, int managementPort, String publicUrl) throws Exception {
        List<String> command = new ArrayList<>();
        for (String a : stack.appCommand(App.EDGE_GATEWAY)) {
            if (a.startsWith("--server.port=")) {
                a = "--server.port=" + port;
            } else if (a.startsWith("--management.server.port=")) {
                a = "--management.server.port=" + managementPort;
            } else if (a.startsWith("--rendezvous.gateway.id=")) {
                a = "--rendezvous.gateway.id=gw-loss-" + port;
            } else if (a.startsWith("--rendezvous.gateway.public-url=")) {
                a = "--rendezvous.gateway.public-url=" + publicUrl;
            }
            command.add(a);
        }
        Path log = stack.logDir().resolve("edge-gateway-loss-" + port + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitHealthy(int managementPort, Process gateway) {
        HttpClient http = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        await("the second gateway ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(gateway.isAlive()).as("the second gateway runs").isTrue();
                    return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }
}
