package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.NginxConfig;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.Stack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * A gateway dies under a meeting, in browsers. Two gateways run: the shared stack's, and a second process started here
 * from the same jar and wiring; Debian's nginx (its configuration rendered by the launcher's {@link NginxConfig}, in a
 * temporary folder, on a free port) stands in front of both. Ada and Ben open the meeting through nginx ({@code
 * least_conn} puts their sockets on different gateways; Ben opens the link again when it did not); Cy opens it on the
 * second gateway directly. The second gateway is SIGKILLed (no LEAVE is ever sent):
 * <ul>
 *   <li>the page that was on it reconnects through nginx to the survivor and joins again without a reload, under the
 *       same identity; its peer sees it stay (one entry, no "left"/"joined" notice: the new socket took the old one's
 *       place);</li>
 *   <li>chat typed on that page while its socket was down and chat sent by the other page during the switch appear
 *       exactly once on both pages, in the same order; both pages decode each other's video again;</li>
 *   <li>Cy's page, which has no way back, leaves the others' pages within 20 s (presence expiry, ~10 s).</li>
 * </ul>
 */
class GatewayLossBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    /** Well inside stream-apps' gateway silence (10 s): a page back by then finds its old socket still in the room. */
    private static final Duration SWAP_WINDOW = Duration.ofSeconds(8);
    /**
     * Presence expiry: stream-apps' gateway silence (10 s) after the dead gateway's last heartbeat (every 2 s), its
     * check (every 1 s), then Kafka to the survivor and its pages. Measured 9.9–10.6 s; the bound leaves a loaded
     * machine room (nothing else would ever take Cy off: the survivor never held Cy's socket).
     */
    private static final Duration CY_GONE = Duration.ofSeconds(20);

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    private record Page(String name, Browser browser) {
        Object js(String script, Object... args) {
            return ((JavascriptExecutor) browser.driver()).executeScript(script, args);
        }
    }

    @Test
    void shouldBringAPageBackThroughNginxWithItsChatWholeAndDropAPageThatCannotComeBack() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        assertThat(Files.isExecutable(NGINX)).as("Debian nginx installed (.ci/run installs it)").isTrue();
        String host = api.newUserToken("Ada");
        Api.Meeting m = api.createMeeting(host, "gateway loss");
        List<Integer> ports = Ports.freePorts(3);
        String secondId = "gw-loss-" + ports.get(0);
        String second = "http://127.0.0.1:" + ports.get(0);
        Process gateway = startSecondGateway(ports.get(0), ports.get(1), secondId, second);
        Path nginxDir = Files.createTempDirectory("gateway-loss-nginx");
        Process nginx = null;
        try (Browser adaB = Browser.launch(); Browser benB = Browser.launch(); Browser cyB = Browser.launch()) {
            awaitHealthy(ports.get(1), gateway);
            URI first = URI.create(stack.gatewayBaseUrl());
            nginx = startNginx(nginxDir, ports.get(2),
                    List.of(first.getHost() + ":" + first.getPort(), "127.0.0.1:" + ports.get(0)));
            String entry = "http://127.0.0.1:" + ports.get(2) + "/j/" + m.code();
            Page ada = new Page("Ada", adaB);
            Page ben = new Page("Ben", benB);
            Page cy = new Page("Cy", cyB);
            // Cy first: the second gateway's JVM is warm (the page's files and calls served once) before nginx
            // weighs it for Ada and Ben, so a slow first answer there does not hold a connection open at their turn
            cy.browser().open(second + "/j/" + m.code() + "?name=Cy&autojoin=1");
            awaitJoined(cy);
            ada.browser().open(entry + "?token=" + host + "&autojoin=1");
            String adaGateway = awaitJoined(ada);
            String benGateway = openOnTheOtherGateway(ben, entry + "?name=Ben&autojoin=1", adaGateway);
            for (Page p : List.of(ada, ben)) {
                await(p.name() + " sees everyone").atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> entries(p, "Ada").size() + entries(p, "Ben").size() + entries(p, "Cy").size() == 3);
            }
            List<Page> cut = Stream.of(ada, ben).filter(p -> secondId.equals(p == ada ? adaGateway : benGateway)).toList();
            List<Page> stay = Stream.of(ada, ben).filter(p -> !cut.contains(p)).toList();
            System.out.println("[gateway-loss] through nginx: Ada on " + adaGateway + ", Ben on " + benGateway);
            assertThat(cut).as("one of the pages on the second gateway (nginx's least_conn)").hasSize(1);
            assertThat(stay).as("the other page on the stack's gateway").hasSize(1);

            ada.browser().sendChat("before, from Ada");
            ben.browser().waitForChatMessage("before, from Ada", WAIT);
            Map<Page, String> identity = new LinkedHashMap<>();
            Map<Page, Object> marks = new LinkedHashMap<>();
            for (Page p : List.of(ada, ben)) {
                marks.put(p, p.js("window.__gwMark = Math.random().toString(36); return window.__gwMark;"));
                identity.put(p, entries(p, p.name()).get(0).getAttribute("data-participant-id"));
            }
            for (Page p : cut) {
                armTypingWhileDown(p, List.of(p.name() + " typed while down 1", p.name() + " typed while down 2"));
            }
            for (Page p : List.of(ada, ben)) {
                noteWhenGone(p, "Cy");
            }
            for (Page p : stay) {
                cut.forEach(c -> watchCount(p, c.name()));
            }
            Map<Page, Integer> noticesBefore = new LinkedHashMap<>();
            for (Page p : stay) {
                noticesBefore.put(p, p.browser().byTestId("chat-notice").size());
            }

            gateway.destroyForcibly();   // SIGKILL: the gateway sends nothing more, not even LEAVEs
            assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Instant killed = Instant.now();
            List<String> expected = new ArrayList<>(List.of("before, from Ada"));
            for (Page p : stay) {
                for (int i = 1; i <= 2; i++) {
                    p.browser().sendChat(p.name() + " during the switch " + i);
                    expected.add(p.name() + " during the switch " + i);
                }
            }

            Map<Page, Boolean> backBeforeExpiry = new LinkedHashMap<>();
            for (Page p : cut) {
                await(p.name() + " typed while its socket was down").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> typedWhileDown(p).size() == 2);
                assertThat(typedWhileDown(p)).as("%s's messages were typed while the page was reconnecting", p.name())
                        .allSatisfy(t -> assertThat(t).containsEntry("state", "reconnecting").containsEntry("pending", true));
                String back = await(p.name() + " joined again through nginx").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> awaitedGateway(p), g -> g != null && !g.equals(secondId));
                long closedAt = ((Number) p.js("return window.__closedAt;")).longValue();
                long backAt = await(p.name() + "'s return noted").atMost(WAIT)
                        .until(() -> ((Number) p.js("return window.__backAt;")).longValue(), t -> t > 0);
                System.out.println("[gateway-loss] " + p.name() + "'s socket closed " + (closedAt - killed.toEpochMilli())
                        + " ms after the kill; back on " + back + " (joined) " + (backAt - killed.toEpochMilli()) + " ms after it");
                backBeforeExpiry.put(p, backAt - killed.toEpochMilli() < SWAP_WINDOW.toMillis());
                expected.add(p.name() + " typed while down 1");
                expected.add(p.name() + " typed while down 2");
            }
            // the page that came back is the same person, once, and its peer was told no leave or join
            for (Page p : cut) {
                String socket = (String) p.js("return window.rendezvousMedia.socketId;");
                for (Page viewer : List.of(ada, ben)) {
                    await(viewer.name() + " shows " + p.name() + " once, on the new socket").atMost(WAIT)
                            .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                            .until(() -> entries(viewer, p.name()).stream().map(e -> e.getAttribute("data-socket-id")).toList(),
                                    l -> l.equals(List.of(socket)));
                    assertThat(entries(viewer, p.name()).get(0).getAttribute("data-participant-id"))
                            .as("%s's identity", p.name()).isEqualTo(identity.get(p));
                }
            }
            for (Page p : cut) {
                p.browser().sendChat(p.name() + " after the switch");
                expected.add(p.name() + " after the switch");
            }

            // every message exactly once on both pages, nothing left pending, in the same (seq) order
            for (Page p : List.of(ada, ben)) {
                await(p.name() + " shows every message").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> chatTexts(p).containsAll(expected) && pendingCount(p) == 0);
            }
            List<String> adaChat = chatTexts(ada);
            assertThat(adaChat).as("each message once on Ada's page").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(chatTexts(ben)).as("Ben's page in Ada's order").isEqualTo(adaChat);
            for (Page p : cut) {
                List<String> typed = List.of(p.name() + " typed while down 1", p.name() + " typed while down 2");
                assertThat(adaChat.stream().filter(typed::contains).toList()).as("in the order typed").isEqualTo(typed);
            }

            for (Page p : List.of(ada, ben)) {
                assertThat(p.js("return window.__gwMark;")).as("%s's page was not reloaded", p.name()).isEqualTo(marks.get(p));
            }
            for (Page p : stay) {
                for (Page c : cut) {
                    if (!backBeforeExpiry.get(c)) {
                        // so slow (a loaded machine) that the dead gateway's silence took the old socket out first:
                        // then the peer rightly saw a leave and a join
                        System.out.println("[gateway-loss] " + c.name() + " came back after the old socket could expire;"
                                + " the swap is not checked");
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> seen = (Map<String, Object>) p.js("return window.__seen[arguments[0]];", c.name());
                    assertThat(((Number) seen.get("min")).intValue()).as("%s never lost %s from its list", p.name(), c.name())
                            .isEqualTo(1);
                    assertThat(((Number) seen.get("max")).intValue()).as("%s never showed %s twice", p.name(), c.name())
                            .isEqualTo(1);
                    List<String> notices = p.browser().byTestId("chat-notice").stream().map(WebElement::getText).toList();
                    assertThat(notices.subList(noticesBefore.get(p), notices.size()))
                            .as("%s's page told of no leave or join of %s", p.name(), c.name())
                            .noneMatch(n -> n.startsWith(c.name() + " "));
                }
            }

            // Cy's page has no way back: presence expiry takes Cy off the others' pages
            for (Page p : List.of(ada, ben)) {
                long goneAt = await("Cy gone from " + p.name() + "'s page").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> ((Number) p.js("return window.__goneAt || 0;")).longValue(), t -> t > 0);
                Duration cyGone = Duration.ofMillis(goneAt - killed.toEpochMilli());
                System.out.println("[gateway-loss] Cy left " + p.name() + "'s page " + cyGone.toMillis() + " ms after the kill");
                assertThat(cyGone).as("Cy off %s's page within 20 s of the kill", p.name())
                        .isLessThanOrEqualTo(CY_GONE);
                assertThat(entries(p, "Cy")).isEmpty();
            }

            // media came back too: each page decodes the other's camera on the new connections
            for (Page viewer : List.of(ada, ben)) {
                Page other = viewer == ada ? ben : ada;
                String socket = (String) other.js("return window.rendezvousMedia.socketId;");
                long first0 = await(viewer.name() + " decodes " + other.name() + "'s video").atMost(WAIT)
                        .pollInterval(Duration.ofMillis(250)).until(() -> framesDecoded(viewer, socket), f -> f > 0);
                await(viewer.name() + " decodes more of " + other.name() + "'s video").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250)).until(() -> framesDecoded(viewer, socket) > first0);
            }
        } finally {
            gateway.destroyForcibly();
            stopNginx(nginx);
            keepLogs(ports.get(0), ports.get(2), nginxDir);
            deleteQuietly(nginxDir);
        }
    }

    // ---- the page

    /**
     * Opens {@code p} through nginx and returns its gateway. least_conn counts every open upstream connection, the
     * short requests of a page loading as well as sockets, so a page can land beside the first one when a request to
     * the other gateway (a cold JVM) is still open at the moment its socket connects. The test is about what follows a
     * gateway's death, not about nginx's choice: when both pages are on the same gateway, this page leaves and opens
     * the link again, at most five times.
     */
    private static String openOnTheOtherGateway(Page p, String url, String firstGateway) {
        String gateway = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            p.browser().open(url);
            gateway = awaitJoined(p);
            if (!gateway.equals(firstGateway)) {
                return gateway; // one page on each gateway
            }
            System.out.println("[gateway-loss] nginx put " + p.name() + " beside the first page on " + gateway
                    + " (attempt " + attempt + "); opening the link again");
            p.browser().open("about:blank");
        }
        return gateway;
    }

    /** The gateway of {@code p}'s socket once the page is in the meeting. */
    private static String awaitJoined(Page p) {
        return await(p.name() + " in the meeting").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> awaitedGateway(p), g -> g != null);
    }

    private static String awaitedGateway(Page p) {
        return (String) p.js("const m = window.rendezvousMedia; const c = document.getElementById('connection');"
                + " return m && c && c.dataset.state === 'connected' && m.socketId ? m.gatewayId : null;");
    }

    private static List<WebElement> entries(Page p, String name) {
        return p.browser().driver().findElements(By.cssSelector(
                "[data-testid='participant'][data-participant-name='" + name + "']"));
    }

    /**
     * On the page's first switch to "reconnecting" (its socket closed, the next attempt is a backoff away), types each
     * text into the chat field and sends it, noting the connection state and whether it stayed pending.
     */
    private static void armTypingWhileDown(Page p, List<String> texts) {
        p.js("""
                const texts = arguments[0];
                window.__typedWhileDown = [];
                const c = document.getElementById('connection');
                window.__closedAt = 0;
                window.__backAt = 0;
                const back = new MutationObserver(() => {
                  if (c.dataset.state !== 'connected') return;
                  back.disconnect();
                  window.__backAt = Date.now();
                });
                const obs = new MutationObserver(() => {
                  if (c.dataset.state !== 'reconnecting') return;
                  obs.disconnect();
                  window.__closedAt = Date.now();
                  back.observe(c, { attributes: true, attributeFilter: ['data-state'] });
                  for (const t of texts) {
                    document.getElementById('chat-input').value = t;
                    document.getElementById('chat-form').requestSubmit();
                    const pending = Array.from(document.querySelectorAll('[data-testid=chat-pending]'))
                      .some((li) => li.textContent.includes(t));
                    window.__typedWhileDown.push({ text: t, state: c.dataset.state, pending });
                  }
                });
                obs.observe(c, { attributes: true, attributeFilter: ['data-state'] });
                """, texts);
    }

    /** Notes in {@code window.__seen[name]} the fewest and most participant entries of that name shown from now on. */
    private static void watchCount(Page p, String name) {
        p.js("""
                const name = arguments[0];
                window.__seen = window.__seen || {};
                const count = () => Array.from(document.querySelectorAll('[data-testid=participant]'))
                  .filter((e) => e.dataset.participantName === name).length;
                const seen = window.__seen[name] = { min: count(), max: count() };
                new MutationObserver(() => {
                  const n = count();
                  seen.min = Math.min(seen.min, n);
                  seen.max = Math.max(seen.max, n);
                }).observe(document.getElementById('participants'), { childList: true, subtree: true, attributes: true });
                """, name);
    }

    /** Notes in {@code window.__goneAt} (epoch ms) the moment the participant list first shows nobody of that name. */
    private static void noteWhenGone(Page p, String name) {
        p.js("""
                const name = arguments[0];
                window.__goneAt = 0;
                const check = () => {
                  if (window.__goneAt) return;
                  const here = Array.from(document.querySelectorAll('[data-testid=participant]'))
                    .some((e) => e.dataset.participantName === name);
                  if (!here) window.__goneAt = Date.now();
                };
                new MutationObserver(check).observe(document.getElementById('participants'), { childList: true, subtree: true });
                """, name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> typedWhileDown(Page p) {
        Object r = p.js("return window.__typedWhileDown || [];");
        return r == null ? List.of() : (List<Map<String, Object>>) r;
    }

    /** The chat's messages in the page's order (by seq), their texts only. */
    @SuppressWarnings("unchecked")
    private static List<String> chatTexts(Page p) {
        return (List<String>) p.js("return Array.from(document.querySelectorAll('[data-testid=chat-message] .text'))"
                + ".map((e) => e.textContent);");
    }

    private static long pendingCount(Page p) {
        return ((Number) p.js("return document.querySelectorAll('[data-testid=chat-pending]').length;")).longValue();
    }

    private static long framesDecoded(Page viewer, String socketId) {
        Object r = ((JavascriptExecutor) viewer.browser().driver()).executeAsyncScript("""
                const id = arguments[0]; const done = arguments[arguments.length - 1];
                window.rendezvousMedia.inboundStats().then((s) => done((s[id] || {}).framesDecoded || 0)).catch(() => done(0));
                """, socketId);
        return r instanceof Number n ? n.longValue() : 0;
    }

    // ---- the processes

    /** The stack's gateway command with its own ports, id and public URL (its secrets file is the same). */
    private Process startSecondGateway(int port, int managementPort, String id, String publicUrl) throws Exception {
        List<String> command = new ArrayList<>();
        for (String a : stack.appCommand(App.EDGE_GATEWAY)) {
            if (a.startsWith("--server.port=")) {
                a = "--server.port=" + port;
            } else if (a.startsWith("--management.server.port=")) {
                a = "--management.server.port=" + managementPort;
            } else if (a.startsWith("--rendezvous.gateway.id=")) {
                a = "--rendezvous.gateway.id=" + id;
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
        // generous: on a loaded machine (2 cores, other builds) a JVM can take minutes to come up
        await("the second gateway ready").atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!gateway.isAlive()) {
                        throw new IllegalStateException("the second gateway exited with " + gateway.exitValue());
                    }
                    return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** nginx with the launcher's configuration for these gateways, in the foreground ({@code daemon off}). */
    private Process startNginx(Path dir, int port, List<String> upstreams) throws IOException {
        String user = "root".equals(System.getProperty("user.name")) ? "root" : null;
        NginxConfig config = new NginxConfig(dir, Ports.HOST + ":" + port, upstreams, dir.resolve("access.log"), user);
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config.render());
        Path log = stack.logDir().resolve("nginx-gateway-loss-" + port + ".log");
        Process nginx = new ProcessBuilder(NGINX.toString(), "-p", dir + "/", "-c", conf.toString(), "-e", "stderr")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        URI home = URI.create("http://" + Ports.HOST + ":" + port + "/");
        await("nginx in front of both gateways").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!nginx.isAlive()) {
                        throw new IllegalStateException("nginx exited with " + nginx.exitValue() + " (see " + log + ")");
                    }
                    return http.send(HttpRequest.newBuilder(home).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        return nginx;
    }

    /** SIGTERM (nginx's fast shutdown: the master takes its worker with it), SIGKILL if that does not end it. */
    private static void stopNginx(Process nginx) throws InterruptedException {
        if (nginx == null) {
            return;
        }
        nginx.destroy();
        if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
            nginx.descendants().forEach(ProcessHandle::destroyForcibly);
            nginx.destroyForcibly();
        }
    }

    /** The second gateway's and nginx's logs, kept beside the test reports (the stack's folder goes with the JVM). */
    private void keepLogs(int gatewayPort, int nginxPort, Path nginxDir) {
        Path to = Path.of("target", "gateway-loss-logs");
        Map<Path, String> logs = Map.of(
                stack.logDir().resolve("edge-gateway-loss-" + gatewayPort + ".log"), "edge-gateway-loss-" + gatewayPort + ".log",
                stack.logDir().resolve("nginx-gateway-loss-" + nginxPort + ".log"), "nginx-gateway-loss-" + nginxPort + ".log",
                // every request with the gateway that took it: which one each page's socket went to, and why
                nginxDir.resolve("access.log"), "nginx-access-" + nginxPort + ".log");
        logs.forEach((from, name) -> {
            try {
                Files.createDirectories(to);
                Files.copy(from, to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException ignored) {
                // diagnostics only
            }
        });
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Collections.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temporary folder: best effort
        }
    }
}
