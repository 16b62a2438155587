package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Screen share as a second video track: Alice clicks {@code screen-toggle} (Chromium's fake display capture,
 * picked without a prompt), Bob's grid gets a separate tile for it whose picture keeps moving while Alice's
 * camera tile stays; Alice stops sharing and the screen tile goes from Bob's grid.
 */
class BrowserScreenShareIT {

    private static final List<String> FAKE_SCREEN = List.of(
            "--auto-select-desktop-capture-source=Entire screen", "--auto-accept-this-tab-capture",
            "--enable-usermedia-screen-capturing");

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldShowAScreenShareAsItsOwnTileAndRemoveItWhenSharingStops() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String host = api.newUserToken("ScreenHost");
        Api.Meeting m = api.createMeeting(host, "screen share");
        try (Browser alice = Browser.launch(null, null, FAKE_SCREEN); Browser bob = Browser.launch()) {
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            await("Alice's camera tile on Bob's page").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250))
                    .until(() -> tiles(bob, "Alice", "camera") == 1);

            alice.waitFor("screen-toggle", Duration.ofSeconds(10)).click();
            try {
                await("Alice's screen tile on Bob's page").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .until(() -> tiles(bob, "Alice", "screen") == 1);
                long first = await("the screen picture decoding").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250)).until(() -> framesShown(bob, "screen"), v -> v > 0);
                await("the screen picture moving").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                        .until(() -> framesShown(bob, "screen") > first + 5);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nAlice's browser log: " + alice.consoleLogs()
                        + "\nAlice's notices: " + alice.driver().findElements(By.cssSelector("[data-testid='media-notice']"))
                        .stream().map(x -> x.getText()).toList(), e);
            }
            assertThat(tiles(bob, "Alice", "camera")).as("the camera tile stays").isEqualTo(1);

            alice.waitFor("screen-toggle", Duration.ofSeconds(5)).click();
            await("Alice's screen tile removed from Bob's grid").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> tiles(bob, "Alice", "screen") == 0);
            assertThat(tiles(bob, "Alice", "camera")).isEqualTo(1);
        }
    }

    private static int tiles(Browser b, String name, String source) {
        return b.driver().findElements(By.cssSelector(
                "video[data-participant-name='" + name + "'][data-source='" + source + "']")).size();
    }

    /** Frames the remote tile of that source has presented (the video element's own count). */
    private static long framesShown(Browser b, String source) {
        Object r = ((JavascriptExecutor) b.driver()).executeScript(
                "const v = document.querySelector(\"video[data-participant-name][data-source='\" + arguments[0] + \"']\");"
                        + "return v && v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality().totalVideoFrames : 0;", source);
        return r instanceof Number n ? n.longValue() : 0;
    }
}
