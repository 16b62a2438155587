package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The media path breaks under two pages in a call — the forwarder process is killed (SIGKILL) and started
 * again, so every ICE/DTLS session the pages had is gone — and the pages recover without a reload: their
 * PeerConnections fail, they publish again, the new forwarder process answers through Kafka, and each page
 * decodes the other's video again.
 */
class BrowserMediaRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldResumeVideoWithoutAReloadAfterTheForwarderWasKilledAndRestarted() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String host = api.newUserToken("RecoveryHost");
        Api.Meeting m = api.createMeeting(host, "recovery");
        try (Browser alice = Browser.launch(); Browser bob = Browser.launch()) {
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            awaitDecoding(alice, "Bob");
            awaitDecoding(bob, "Alice");
            Object pageMarker = mark(alice);

            long before = stack.appPid(App.MEDIA_FORWARDER);
            stack.stopApp(App.MEDIA_FORWARDER, true);
            stack.startApp(App.MEDIA_FORWARDER);
            assertThat(stack.appPid(App.MEDIA_FORWARDER)).isNotEqualTo(before);

            // new PeerConnections (the old ones failed), frames flowing again on both sides
            awaitDecodingOnNewConnection(alice, "Bob");
            awaitDecodingOnNewConnection(bob, "Alice");
            assertThat(mark(alice)).as("the page was not reloaded").isEqualTo(pageMarker);
        }
    }

    /** A value kept in the page's window: a reload would lose it. */
    private static Object mark(Browser b) {
        return ((JavascriptExecutor) b.driver()).executeScript(
                "window.__recoveryMark = window.__recoveryMark || Math.random().toString(36); return window.__recoveryMark;");
    }

    private static void awaitDecoding(Browser viewer, String name) {
        long first = await(name + "'s frames at " + name).atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                .until(() -> framesDecoded(viewer, name), v -> v > 0);
        await(name + "'s frames rising").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> framesDecoded(viewer, name) > first + 5);
        ((JavascriptExecutor) viewer.driver()).executeScript("window.__oldSubscribePc = window.rendezvousMedia.subscribePc;");
    }

    private static void awaitDecodingOnNewConnection(Browser viewer, String name) {
        await("a new subscribe connection at the viewer of " + name).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Boolean.TRUE.equals(((JavascriptExecutor) viewer.driver()).executeScript(
                        "const pc = window.rendezvousMedia.subscribePc;"
                                + " return !!pc && pc !== window.__oldSubscribePc && pc.connectionState === 'connected';")));
        long first = await(name + "'s frames on the new connection").atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(250)).until(() -> framesDecoded(viewer, name), v -> v > 0);
        await(name + "'s frames rising again").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> framesDecoded(viewer, name) > first + 5);
    }

    private static long framesDecoded(Browser b, String name) {
        JsonNode n = JSON.readTree(b.mediaStatsJson(name));
        return n.path("framesDecoded").asLong();
    }
}
