package dev.rendezvous.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;

/**
 * Not a test: makes the README's screenshots of the home page (a signed-in host with upcoming and past
 * meetings) and of a meeting (three people, one without a camera; a phone-sized window) in headless Chromium
 * against the test stack, into {@code docs/screenshots/}. Its name does not end in
 * IT, so {@code mvn verify} never runs it:
 *
 * <pre>mvn -B -o -pl e2e-tests -am verify -Dit.test=MeetingScreenshots -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false</pre>
 */
class MeetingScreenshots {

    @Test
    void takeScreenshots() throws Exception {
        var stack = TestSystem.get();
        Api api = new Api(stack.gatewayBaseUrl());
        Api.Meeting m = api.createMeeting(api.newUserToken("Host"), "Weekly design review");
        Path out = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "screenshots");
        Files.createDirectories(out);
        homePage(api, stack.gatewayBaseUrl(), out);
        try (Browser alice = Browser.launch(); Browser bob = Browser.launch();
             Peer carol = Peer.connect(api.http, stack.gatewayBaseUrl())) {
            alice.driver().manage().window().setSize(new Dimension(1280, 800));
            alice.open(m.joinUrl());
            alice.waitFor("join-now", Duration.ofSeconds(20));
            alice.byTestId("join-name").get(0).sendKeys("Alice Martin");
            awaitFrames(alice, "[data-testid=prejoin-preview]");
            shoot(alice, out.resolve("prejoin.png"));
            alice.byTestId("join-now").get(0).click();
            bob.open(m.joinUrl() + "?name=Bob%20Chen&autojoin=1");
            carol.join(m.meetingId(), api.guestToken(m.code(), "Carol Diaz"));
            awaitFrames(alice, "video[data-participant-name='Bob Chen']");
            bob.waitFor("mic-toggle", Duration.ofSeconds(20)).click();
            alice.sendChat("Morning! Slides are in the shared folder.");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> alice.driver()
                    .findElements(org.openqa.selenium.By.cssSelector("figure.audio-off video[data-participant-name='Bob Chen']"))
                    .size() == 1);
            shoot(alice, out.resolve("meeting-grid.png"));
            alice.waitFor("view-toggle", Duration.ofSeconds(5)).click();
            shoot(alice, out.resolve("meeting-speaker.png"));
            bob.driver().manage().window().setSize(new Dimension(390, 844));
            bob.open(m.joinUrl() + "?name=Bob%20Chen&autojoin=1");
            awaitFrames(bob, "video[data-participant-name='Alice Martin']");
            shoot(bob, out.resolve("meeting-phone.png"));
        }
    }

    /** A host with two upcoming meetings and a past one, signed in through the form. */
    private static void homePage(Api api, String base, Path out) throws Exception {
        String email = "dana-" + java.util.UUID.randomUUID() + "@example.test";
        Api.expect(201, api.call("POST", "/api/v1/auth/register",
                java.util.Map.of("email", email, "password", "correct horse battery", "displayName", "Dana Okafor"), null));
        String token = Api.expect(200, api.call("POST", "/api/v1/auth/login",
                java.util.Map.of("email", email, "password", "correct horse battery"), null)).path("token").asString();
        java.time.Instant now = java.time.Instant.now();
        for (Object[] m : new Object[][] {{"Quarterly planning", now.plus(Duration.ofDays(2))},
                {"Design review", now.plus(Duration.ofHours(3))}, {"Kick-off", now.minus(Duration.ofMinutes(50))}}) {
            Api.expect(201, api.call("POST", "/api/v1/meetings", java.util.Map.of("title", m[0],
                    "startsAt", m[1].toString(), "lobby", true), token));
        }
        try (Browser b = Browser.launch()) {
            b.driver().manage().window().setSize(new Dimension(1280, 800));
            b.open(base + "/");
            b.waitFor("login-email", Duration.ofSeconds(20)).sendKeys(email);
            b.waitFor("login-password", Duration.ofSeconds(5)).sendKeys("correct horse battery");
            b.waitFor("login-submit", Duration.ofSeconds(5)).click();
            await("meetings listed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> b.byTestId("meeting-item").size() == 3);
            shoot(b, out.resolve("home.png"));
        }
    }

    private static void awaitFrames(Browser b, String css) {
        await(css).atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Object r = ((JavascriptExecutor) b.driver()).executeScript(
                    "const v = document.querySelector(arguments[0]); return !!v && v.videoWidth > 0"
                            + " && v.getVideoPlaybackQuality().totalVideoFrames > 5;", css);
            return Boolean.TRUE.equals(r);
        });
    }

    private static void shoot(Browser b, Path file) throws Exception {
        // let the layout settle (a frame or two) before the picture: poll for two animation frames
        ((JavascriptExecutor) b.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(1)));");
        Files.write(file, ((TakesScreenshot) b.driver()).getScreenshotAs(OutputType.BYTES));
    }
}
