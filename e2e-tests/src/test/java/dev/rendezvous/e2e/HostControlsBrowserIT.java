package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The host controls on the meeting page (issue 8 item 6), in real Chromium against the running system: the lobby
 * (waiting screen, the host's lobby list, admit), host-only controls absent for a guest, raised hands and reactions,
 * mute by the host (the host stops receiving the person's audio), removal (the removed page says so, the others lose
 * the person, the link is refused), end for all, and a guest's hand-made {@code host-action} refused with nothing
 * changed. Every wait polls with a deadline.
 */
class HostControlsBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration MEDIA_UP = Duration.ofSeconds(45);
    private static final List<String> HOST_ONLY = List.of("kick", "mute-participant", "make-cohost", "end-meeting",
            "mute-all", "lock-meeting", "lobby-entry", "lobby-admit", "lobby-deny", "record-toggle");

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldLetTheHostAdmitAGuestFromTheLobbyHideHostControlsFromHimShowHandsAndReactionsAndEndForAll() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String hostToken = api.newUserToken("Lena");
        JsonNode created = Api.expect(201, api.call("POST", "/api/v1/meetings",
                Map.of("title", "lobby page", "lobby", true), hostToken));
        String joinUrl = created.path("joinUrl").asText();
        try (Browser lena = Browser.launch(); Browser walt = Browser.launch()) {
            lena.open(joinUrl + "?token=" + hostToken + "&autojoin=1");
            awaitEntry(lena, "Lena", "host");
            walt.open(joinUrl + "?name=Walt&autojoin=1");

            // Walt waits; Lena sees him in her lobby list and admits him
            walt.waitFor("lobby-waiting", WAIT);
            peopleAndChatInView(lena);
            WebElement entry = await("Walt in Lena's lobby list").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> first(lena, "[data-testid='lobby-entry'][data-participant-name='Walt']"), e -> e != null);
            assertThat(entry.findElements(By.cssSelector("[data-testid='lobby-deny']"))).hasSize(1);
            entry.findElement(By.cssSelector("[data-testid='lobby-admit']")).click();
            awaitEntry(walt, "Lena", "host");
            awaitEntry(walt, "Walt", "guest");
            awaitEntry(lena, "Walt", "guest");
            assertThat(walt.byTestId("lobby-waiting").get(0).isDisplayed()).as("the waiting screen is gone").isFalse();
            await("the lobby list empty").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> lena.byTestId("lobby-entry").isEmpty());

            // host-only controls: in Lena's page, inside Walt's entry; absent (not just disabled) from Walt's page
            peopleAndChatInView(walt);
            WebElement waltAtLena = first(lena, "[data-testid='participant'][data-participant-name='Walt']");
            assertThat(waltAtLena.findElements(By.cssSelector("[data-testid='kick']"))).hasSize(1);
            assertThat(waltAtLena.findElements(By.cssSelector("[data-testid='mute-participant']"))).hasSize(1);
            assertThat(waltAtLena.findElements(By.cssSelector("[data-testid='make-cohost']"))).as("guests cannot be co-hosts").isEmpty();
            assertThat(waltAtLena.findElement(By.cssSelector("[data-testid='kick']")).isDisplayed()).as("kick in view").isTrue();
            for (String id : List.of("end-meeting", "mute-all", "lock-meeting", "record-toggle")) {
                assertThat(lena.byTestId(id)).as(id + " for the host").hasSize(1);
                assertThat(lena.byTestId(id).get(0).isDisplayed()).as(id + " in view without a click").isTrue();
            }
            for (String id : HOST_ONLY) {
                assertThat(walt.byTestId(id)).as(id + " absent for a guest").isEmpty();
            }
            assertThat(walt.waitFor("raise-hand", WAIT).isEnabled()).isTrue();

            // Walt raises his hand: Lena sees it in her list and lowers it
            walt.waitFor("raise-hand", WAIT).click();
            WebElement hand = await("Walt's hand in Lena's list").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> first(lena, "[data-testid='raised-hand'][data-participant-name='Walt']"), e -> e != null);
            await("Walt's button pressed").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> "true".equals(walt.byTestId("raise-hand").get(0).getAttribute("aria-pressed")));
            hand.findElement(By.cssSelector("[data-testid='lower-hand']")).click();
            await("Walt's hand lowered on his page").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> "false".equals(walt.byTestId("raise-hand").get(0).getAttribute("aria-pressed")));

            // a reaction shows on everyone's page
            walt.waitFor("reactions-toggle", WAIT).click();
            walt.waitFor("reaction-clap", WAIT).click();
            await("Walt's clap on Lena's page").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> lena.byTestId("reaction").stream().anyMatch(e -> e.getText().contains("👏")
                            && "Walt".equals(e.getAttribute("data-participant-name"))));

            // Lena records: everyone sees the indicator; she stops it and finds it in the meeting's recordings
            assertThat(walt.byTestId("recording-indicator").get(0).isDisplayed()).isFalse();
            lena.waitFor("record-toggle", WAIT).click();
            for (Browser b : List.of(lena, walt)) {
                await("the recording indicator").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> b.byTestId("recording-indicator").get(0).isDisplayed());
            }
            await("the record button pressed").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> "true".equals(lena.byTestId("record-toggle").get(0).getAttribute("aria-pressed")));
            lena.byTestId("record-toggle").get(0).click();
            await("the indicator gone from Walt's page").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !walt.byTestId("recording-indicator").get(0).isDisplayed());
            // the meeting's recordings are listed in view, without unfolding anything
            await("the stopped recording listed").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> !lena.byTestId("recording").isEmpty() && lena.byTestId("recording").get(0).isDisplayed());

            // end for all: both pages say so
            lena.waitFor("end-meeting", WAIT).click();
            assertThat(walt.waitFor("meeting-ended", WAIT).getText()).contains("ended the meeting");
            assertThat(lena.waitFor("meeting-ended", WAIT).getText()).contains("ended the meeting");
        }
    }

    @Test
    void shouldMuteAndRemoveFromThePageAndRefuseAGuestsHandMadeHostAction() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String hostToken = api.newUserToken("Hana");
        String bobToken = api.newUserToken("Bob");
        Api.Meeting m = api.createMeeting(hostToken, "mute and remove");
        try (Browser hana = Browser.launch(); Browser bob = Browser.launch();
             Peer gus = Peer.connect(api.http, stack.gatewayBaseUrl())) {
            hana.open(m.joinUrl() + "?token=" + hostToken + "&autojoin=1");
            bob.open(m.joinUrl() + "?token=" + bobToken + "&autojoin=1");
            gus.join(m.meetingId(), api.guestToken(m.code(), "Gus"));
            awaitEntry(hana, "Bob", "participant");
            awaitEntry(hana, "Gus", "guest");
            await("Bob's audio arriving at Hana").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(500))
                    .until(() -> audioPackets(hana, "Bob") > 50);

            // a guest's hand-made host actions are refused with an error frame, and nothing changes
            gus.sendRaw("{\"type\":\"host-action\",\"meetingId\":\"" + m.meetingId() + "\",\"action\":\"end\",\"requestId\":\"g1\"}");
            String bobId = first(hana, "[data-testid='participant'][data-participant-name='Bob']").getAttribute("data-participant-id");
            gus.sendRaw("{\"type\":\"host-action\",\"meetingId\":\"" + m.meetingId() + "\",\"action\":\"remove\",\"participantId\":\""
                    + bobId + "\",\"requestId\":\"g2\"}");
            assertThat(gus.awaitError("forbidden", WAIT).path("ref").asText()).isEqualTo("g1");
            Peer.awaitUntil(() -> gus.errors().stream().anyMatch(e -> e.path("ref").asText().equals("g2")), WAIT, "g2 refused");
            assertThat(gus.frames.stream().map(f -> f.path("type").asText()))
                    .doesNotContain("meeting-ended", "removed", "host-result");
            long before = audioPackets(hana, "Bob");
            await("Bob's audio still arriving").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> audioPackets(hana, "Bob") > before + 20);
            assertThat(bob.byTestId("meeting-ended").get(0).isDisplayed()).isFalse();
            assertThat(hana.byTestId("meeting-ended").get(0).isDisplayed()).isFalse();
            awaitEntry(hana, "Bob", "participant");

            // the host mutes Bob from the participants list: Bob is told, and his audio stops arriving at Hana
            peopleAndChatInView(hana);
            inEntry(hana, "Bob", "mute-participant").click();
            await("the host-mute banner on Bob's page").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> bob.byTestId("host-banner").get(0).isDisplayed()
                            && bob.byTestId("host-banner").get(0).getText().contains("turned off your microphone"));
            await("Bob's microphone shown off").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> "false".equals(bob.byTestId("mic-toggle").get(0).getAttribute("aria-pressed")));
            long[] last = {-1};
            await("Bob's audio stops arriving at Hana").atMost(WAIT).pollInterval(Duration.ofMillis(1500))
                    .until(() -> {
                        long now = audioPackets(hana, "Bob");
                        boolean still = now == last[0];
                        last[0] = now;
                        return still;
                    });

            // the host removes Bob: his page says so, Hana's list and stage lose him, his link is refused
            inEntry(hana, "Bob", "kick").click();
            assertThat(bob.waitFor("meeting-ended", WAIT).getText()).contains("removed");
            await("Bob gone from Hana's list and stage").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> first(hana, "[data-testid='participant'][data-participant-name='Bob']") == null
                            && hana.driver().findElements(By.cssSelector("video[data-participant-name='Bob']")).isEmpty());
            Peer.awaitUntil(() -> gus.frames.stream().anyMatch(f -> f.path("type").asText().equals("participant-left")
                    && f.path("participant").path("displayName").asText().equals("Bob")), WAIT, "Gus sees Bob leave");
            bob.open(m.joinUrl() + "?token=" + bobToken + "&autojoin=1");
            await("Bob's link refused").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> !bob.byTestId("meeting-ended").isEmpty() && bob.byTestId("meeting-ended").get(0).isDisplayed()
                            && bob.byTestId("meeting-ended").get(0).getText().contains("removed"));
            assertThat(first(hana, "[data-testid='participant'][data-participant-name='Bob']")).isNull();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static WebElement first(Browser b, String css) {
        List<WebElement> l = b.driver().findElements(By.cssSelector(css));
        return l.isEmpty() ? null : l.get(0);
    }

    private static void awaitEntry(Browser b, String name, String role) {
        await(name + " listed as " + role).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> first(b, "[data-testid='participant'][data-participant-name='" + name
                        + "'][data-participant-role='" + role + "']") != null);
    }

    /**
     * The participants (with a host's controls) and the chat are both in view on a desktop-sized page without a click:
     * a script that knows only the contract's test ids can use them.
     */
    private static void peopleAndChatInView(Browser b) {
        await("the participants panel in view").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> b.driver().findElement(By.id("participants-panel")).isDisplayed());
        assertThat(b.byTestId("participants-toggle").get(0).getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(b.byTestId("chat-input").get(0).isDisplayed()).as("the chat beside the participants").isTrue();
    }

    private static WebElement inEntry(Browser b, String name, String testId) {
        return await(testId + " in " + name + "'s entry").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> first(b, "[data-testid='participant'][data-participant-name='" + name + "'] [data-testid='"
                        + testId + "']"), e -> e != null && e.isDisplayed());
    }

    private static long audioPackets(Browser b, String name) {
        String json = b.mediaStatsJson(name);
        return dev.rendezvous.topics.serde.Json.mapper().readTree(json).path("audioPacketsReceived").asLong();
    }
}
