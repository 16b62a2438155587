package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * The meeting page as people use it (issue 15), in real Chromium: the pre-join screen (camera preview, a clear
 * page when the camera is blocked, "Join now"), {@code ?autojoin=1} skipping it, the copy-link button really
 * filling the clipboard, the video-first layout (the other person's tile covers a large part of the window; pin and
 * speaker view change the sizes), another person's muted microphone shown on their tile, and a phone-sized window
 * with the toolbar in view. The third person in the layout test is a WebSocket participant without media: their
 * tile shows their initials.
 */
class BrowserMeetingPageIT {

    private static final Duration MEDIA_UP = Duration.ofSeconds(45);

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @Test
    void shouldPreviewTheCameraBeforeJoiningExplainABlockedCameraCopyTheLinkAndSkipThePreviewWithAutojoin() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String prejoinHost = api.newUserToken("PrejoinHost");
        Api.Meeting m = api.createMeeting(prejoinHost, "pre-join");
        try (Browser dana = Browser.launch()) {
            ChromeDriver cdp = (ChromeDriver) dana.driver();
            String origin = stack.gatewayBaseUrl();
            // the browser refuses the camera and microphone (as after "Block" in its prompt; the test browsers'
            // fake prompt always allows, so getUserMedia is made to answer as a refusal does while the flag is set)
            cdp.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
                    navigator.mediaDevices.getUserMedia = (c) => sessionStorage.getItem('refuseCamera') === '1'
                        ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) : real(c);
                    """));
            dana.open(origin + "/");
            ((JavascriptExecutor) dana.driver()).executeScript("sessionStorage.setItem('refuseCamera', '1');");
            dana.open(m.joinUrl());
            dana.waitFor("prejoin", Duration.ofSeconds(15));
            WebElement denied = dana.waitFor("camera-denied", Duration.ofSeconds(15));
            assertThat(denied.getText()).contains("Allow").contains("Try again");

            // allowed again: "Try again" brings the preview, with a moving picture
            ((JavascriptExecutor) dana.driver()).executeScript("sessionStorage.removeItem('refuseCamera');");
            dana.driver().findElement(By.id("camera-retry")).click();
            await("the camera preview playing").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> number(dana, "const v = document.querySelector('[data-testid=prejoin-preview]');"
                            + " return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0;") > 3);
            assertThat(dana.byTestId("camera-denied").get(0).isDisplayed()).isFalse();
            assertThat(dana.waitFor("prejoin-cam", Duration.ofSeconds(5)).getAttribute("aria-pressed")).isEqualTo("true");

            // a guest name and "Join now"
            WebElement name = dana.waitFor("join-name", Duration.ofSeconds(5));
            name.clear();
            name.sendKeys("Dana");
            dana.waitFor("join-now", Duration.ofSeconds(5)).click();
            await("Dana in the participants list").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dana.byTestId("participant").stream()
                            .anyMatch(e -> "Dana".equals(e.getAttribute("data-participant-name"))));
            assertThat(dana.byTestId("prejoin").stream().noneMatch(WebElement::isDisplayed)).as("pre-join screen gone").isTrue();

            // copy-link puts the meeting link on the clipboard and says so
            cdp.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
                    "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
            dana.waitFor("copy-link", Duration.ofSeconds(5)).click();
            await("the page saying the link was copied").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> dana.byTestId("copy-status").get(0).getText().contains("copied"));
            Object clip = ((JavascriptExecutor) dana.driver()).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + " navigator.clipboard.readText().then(done, e => done('cannot read: ' + e));");
            assertThat(clip).isEqualTo(m.joinUrl());

            // autojoin: no pre-join screen at all
            dana.open(m.joinUrl() + "?name=Dana2&autojoin=1");
            await("joined without a click").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> dana.byTestId("participant").stream()
                            .anyMatch(e -> "Dana2".equals(e.getAttribute("data-participant-name"))));
            assertThat(dana.byTestId("prejoin")).as("absent with autojoin=1").isEmpty();

            // an autojoin link the gateway refuses (guests not allowed): the pre-join screen comes back with the
            // reason, not an empty page
            JsonNode members = Api.expect(201, api.call("POST", "/api/v1/meetings",
                    Map.of("title", "members only", "allowGuests", false), prejoinHost));
            dana.open(members.path("joinUrl").asText() + "?name=Dana3&autojoin=1");
            await("the pre-join screen back, saying why").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> dana.byTestId("prejoin").get(0).isDisplayed()
                            && dana.driver().findElement(By.id("join-error")).getText().contains("signed-in people only"));
            assertThat(dana.driver().findElement(By.id("join-name")).getAttribute("value")).as("the name kept").isEqualTo("Dana3");
        }
    }

    @Test
    void shouldGiveTheOthersTheWindowChangeSizesOnPinAndSpeakerViewShowMutesAndFitAPhone() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        Api.Meeting m = api.createMeeting(api.newUserToken("LayoutHost"), "layout");
        try (Browser alice = Browser.launch(); Browser bob = Browser.launch()) {
            alice.driver().manage().window().setSize(new Dimension(1280, 800));
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            await("Bob's picture on Alice's page").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(250))
                    .until(() -> number(alice, "const v = document.querySelector(\"video[data-participant-name='Bob']\");"
                            + " return v && v.videoWidth > 0 ? 1 : 0;") == 1);

            // two people: Bob's tile covers at least a third of Alice's window
            await("Bob's tile covering a third of the window").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> share(alice, "Bob") >= 1.0 / 3);

            // Bob mutes his microphone: Alice's page shows the muted icon on his tile
            assertThat(mutedIconShown(alice, "Bob")).as("not muted yet").isFalse();
            bob.waitFor("mic-toggle", Duration.ofSeconds(10)).click();
            await("the muted icon on Bob's tile at Alice").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> mutedIconShown(alice, "Bob"));

            // a third person (no camera): grid of two equal tiles
            try (Peer carol = Peer.connect(api.http, stack.gatewayBaseUrl())) {
                carol.join(m.meetingId(), api.guestToken(m.code(), "Carol Peer"));
                await("Carol's tile with her initials").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tileText(alice, "Carol Peer").contains("CP"));
                // the grid makes tiles as large as the stage allows: with 16:9 tiles and the side panel open the stage
                // (940 × 549 here) fits two stacked tiles a little larger than two side by side
                await("two equal tiles, side by side or one above the other").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            double[] b = rect(alice, "Bob");
                            double[] c = rect(alice, "Carol Peer");
                            boolean equal = b[2] > 0 && Math.abs(b[2] - c[2]) < 2 && Math.abs(b[3] - c[3]) < 2;
                            boolean apart = Math.abs(b[0] - c[0]) > b[2] / 2 || Math.abs(b[1] - c[1]) > b[3] / 2;
                            return equal && apart;
                        });
                double gridArea = area(rect(alice, "Bob"));

                // pin Carol: she takes the stage, Bob goes to the filmstrip
                click(alice, tile(alice, "Carol Peer"), "tile-pin");
                await("Carol pinned and large").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> area(rect(alice, "Carol Peer")) > 3 * area(rect(alice, "Bob")));
                assertThat(area(rect(alice, "Bob"))).as("Bob smaller than in the grid").isLessThan(gridArea / 2);
                click(alice, tile(alice, "Carol Peer"), "tile-pin");
                await("unpinned: equal again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Math.abs(area(rect(alice, "Bob")) - area(rect(alice, "Carol Peer"))) < 100);

                // speaker view: one of them on the stage, the other small
                alice.waitFor("view-toggle", Duration.ofSeconds(5)).click();
                await("speaker view: one large, one small").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            double b = area(rect(alice, "Bob"));
                            double c = area(rect(alice, "Carol Peer"));
                            return Math.max(b, c) > 3 * Math.min(b, c);
                        });
                alice.waitFor("view-toggle", Duration.ofSeconds(5)).click();
            }

            // a phone-sized window: the toolbar in view without scrolling, at most two columns, chat as a sheet
            bob.driver().manage().window().setSize(new Dimension(390, 844));
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            bob.waitFor("leave", Duration.ofSeconds(30));
            assertThat(number(bob, "return window.innerWidth;")).isLessThanOrEqualTo(600);
            await("Alice's tile on the phone").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(250))
                    .until(() -> !bob.driver().findElements(By.cssSelector("video[data-participant-name='Alice']")).isEmpty());
            for (String id : List.of("mic-toggle", "cam-toggle", "chat-toggle", "participants-toggle", "copy-link", "leave")) {
                double[] r = rectOf(bob, "[data-testid='" + id + "']");
                assertThat(r[1]).as(id + " top in view").isGreaterThanOrEqualTo(0);
                assertThat(r[1] + r[3]).as(id + " bottom in view").isLessThanOrEqualTo(number(bob, "return window.innerHeight;"));
                assertThat(r[0] + r[2]).as(id + " right edge in view").isLessThanOrEqualTo(number(bob, "return window.innerWidth;"));
            }
            assertThat(number(bob, "return document.scrollingElement.scrollHeight - window.innerHeight;"))
                    .as("nothing to scroll").isLessThanOrEqualTo(0);
            assertThat(bob.byTestId("chat-input").get(0).isDisplayed()).as("chat closed on a phone").isFalse();
            assertThat(number(bob, "return Number(getComputedStyle(document.getElementById('grid')).getPropertyValue('--cols')) || 1;"))
                    .isLessThanOrEqualTo(2);
            bob.waitFor("chat-toggle", Duration.ofSeconds(5)).click();
            WebElement input = bob.waitFor("chat-input", Duration.ofSeconds(5));
            double[] panel = rectOf(bob, "#chat-panel");
            assertThat(panel[2]).as("the chat sheet is as wide as the screen").isEqualTo(number(bob, "return window.innerWidth;"));
            assertThat(input.isDisplayed()).isTrue();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static long number(Browser b, String script) {
        Object r = ((JavascriptExecutor) b.driver()).executeScript(script);
        return r instanceof Number n ? n.longValue() : 0;
    }

    private static WebElement tile(Browser b, String name) {
        return b.driver().findElement(By.xpath("//figure[video[@data-participant-name='" + name + "' and @data-source='camera']]"));
    }

    private static String tileText(Browser b, String name) {
        List<WebElement> l = b.driver().findElements(
                By.xpath("//figure[video[@data-participant-name='" + name + "' and @data-source='camera']]"));
        return l.isEmpty() ? "" : l.get(0).getText();
    }

    /** Hovers the tile (its buttons show on hover or focus), then clicks its button. */
    private static void click(Browser b, WebElement tile, String testId) {
        new Actions(b.driver()).moveToElement(tile).perform();
        WebElement button = tile.findElement(By.cssSelector("[data-testid='" + testId + "']"));
        await("the tile's " + testId + " button").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(button::isDisplayed);
        button.click();
    }

    private static boolean mutedIconShown(Browser b, String name) {
        List<WebElement> l = b.driver().findElements(By.xpath(
                "//figure[video[@data-participant-name='" + name + "' and @data-source='camera']]//*[@data-testid='tile-muted']"));
        return !l.isEmpty() && l.get(0).isDisplayed();
    }

    /** [x, y, width, height] of the camera tile shown under that name. */
    private static double[] rect(Browser b, String name) {
        return rectOf(b, "figure[data-source='camera']:has(> video[data-participant-name='" + name + "'])");
    }

    @SuppressWarnings("unchecked")
    private static double[] rectOf(Browser b, String css) {
        Object r = ((JavascriptExecutor) b.driver()).executeScript(
                "const e = document.querySelector(arguments[0]); if (!e) return [0, 0, 0, 0];"
                        + " const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height];", css);
        List<Number> l = (List<Number>) r;
        return new double[] {l.get(0).doubleValue(), l.get(1).doubleValue(), l.get(2).doubleValue(), l.get(3).doubleValue()};
    }

    private static double area(double[] r) {
        return r[2] * r[3];
    }

    /** The share of the window the camera tile of that name covers. */
    private static double share(Browser b, String name) {
        double[] r = rect(b, name);
        double window = number(b, "return window.innerWidth * window.innerHeight;");
        return window == 0 ? 0 : area(r) / window;
    }
}
