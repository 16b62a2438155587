package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Two real headless Chromium processes join one meeting by its link and chat with each other. */
class BrowserChatIT {

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldShowEachOthersChatMessagesInTwoBrowsersJoinedByLink() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed (.ci/run installs them)").isTrue();
        String host = api.newUserToken("Host");
        Api.Meeting m = api.createMeeting(host, "browser chat");
        assertThat(m.joinUrl()).startsWith(stack.gatewayBaseUrl() + "/j/");

        try (Browser alice = Browser.launch(); Browser bob = Browser.launch()) {
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            // both see both in the participants list
            for (Browser b : new Browser[] {alice, bob}) {
                new WebDriverWait(b.driver(), Duration.ofSeconds(30)).until(d ->
                        b.byTestId("participant").stream().map(e -> e.getAttribute("data-participant-name")).toList()
                                .containsAll(java.util.List.of("Alice", "Bob")) ? Boolean.TRUE : null);
            }
            String fromAlice = "hello from Alice " + UUID.randomUUID();
            alice.sendChat(fromAlice);
            bob.waitForChatMessage(fromAlice, Duration.ofSeconds(15));
            String fromBob = "hi Alice, Bob here " + UUID.randomUUID();
            bob.sendChat(fromBob);
            alice.waitForChatMessage(fromBob, Duration.ofSeconds(15));

            // same order on both pages, once each page has both confirmed (a sender's own message stays
            // chat-pending until its echo comes back)
            for (Browser b : java.util.List.of(alice, bob)) {
                await("both messages confirmed on each page").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> b.byTestId("chat-message").size() == 2 && b.byTestId("chat-pending").isEmpty());
            }
            var aliceTexts = alice.byTestId("chat-message").stream().map(WebElement::getText).toList();
            var bobTexts = bob.byTestId("chat-message").stream().map(WebElement::getText).toList();
            assertThat(aliceTexts).hasSize(2).isEqualTo(bobTexts);
            assertThat(aliceTexts.get(0)).contains(fromAlice).contains("Alice");
            assertThat(aliceTexts.get(1)).contains(fromBob).contains("Bob");
        }
    }

    @Test
    void shouldServeA404PageForAnUnknownMeetingCode() throws Exception {
        var r = api.call("GET", "/j/zzz-zzzz-zzz", null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("text/html");
    }
}
