package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.Stack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The home page in real Chromium: log in, create a scheduled meeting with settings, find it in the upcoming list,
 * copy its link (the clipboard holds the joinUrl), open the recordings panel, follow the join link and join, log out in
 * another tab (the meeting tab is signed out of the meeting); and a meeting's report, reached from the home page.
 */
class BrowserHomePageIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Stack stack = TestSystem.get();
    private final String base = stack.gatewayBaseUrl();
    private final Api api = new Api(base);

    @Test
    void shouldCreateAMeetingFromTheHomePageAndListItWithACopyableJoinLink() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed (.ci/run installs them)").isTrue();
        String email = "home-" + UUID.randomUUID() + "@example.test";
        Api.expect(201, api.call("POST", "/api/v1/auth/register",
                Map.of("email", email, "password", "correct horse battery", "displayName", "Homer"), null));
        String title = "Planning " + UUID.randomUUID().toString().substring(0, 8);

        try (Browser b = Browser.launch()) {
            ChromeDriver driver = (ChromeDriver) b.driver();
            JavascriptExecutor js = driver;
            driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", base,
                    "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
            b.open(base + "/");

            // log in through the form
            b.waitFor("login-email", WAIT).sendKeys(email);
            b.waitFor("login-password", WAIT).sendKeys("correct horse battery");
            b.waitFor("login-submit", WAIT).click();
            assertThat(b.waitFor("whoami", WAIT).getText()).contains("Homer").contains(email);
            b.waitFor("meetings-status", WAIT);
            new WebDriverWait(driver, WAIT).until(d -> b.waitFor("meetings-status", WAIT).getText().contains("No meetings yet"));

            // create: title, a start tomorrow at 10:00 in the browser's zone, lobby, a cap of 8
            b.waitFor("meeting-title", WAIT).sendKeys(title);
            String expectedStart = (String) js.executeScript("""
                    const d = new Date(Date.now() + 86400000); d.setHours(10, 0, 0, 0);
                    const p = (n) => String(n).padStart(2, '0');
                    arguments[0].value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:00`;
                    return d.toISOString();""", b.waitFor("meeting-starts-at", WAIT));
            b.waitFor("meeting-lobby", WAIT).click();
            b.waitFor("meeting-max-participants", WAIT).sendKeys("8");
            b.waitFor("create-meeting", WAIT).click();

            WebElement item = new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector(
                    "[data-testid='upcoming-meetings'] [data-testid='meeting-item']")).stream()
                    .filter(e -> e.getText().contains(title)).findFirst().orElse(null));
            assertThat(item.getText()).contains("Host").contains("Tomorrow, 10:00").contains("lobby").contains("up to 8");

            // what the page shows is what the API says
            String token = (String) js.executeScript("return localStorage.getItem('rendezvous.token')");
            JsonNode listed = null;
            for (JsonNode n : Api.expect(200, api.call("GET", "/api/v1/me/meetings", null, token))) {
                if (n.path("title").asString().equals(title)) {
                    listed = n;
                }
            }
            assertThat(listed).as("the new meeting in GET /api/v1/me/meetings").isNotNull();
            String joinUrl = listed.path("joinUrl").asString();
            assertThat(joinUrl).startsWith(base + "/j/");
            assertThat(Instant.parse(listed.path("startsAt").asString())).isEqualTo(Instant.parse(expectedStart));
            assertThat(listed.path("lobby").asBoolean()).isTrue();
            assertThat(listed.path("maxParticipants").asInt()).isEqualTo(8);
            assertThat(item.getAttribute("data-meeting-id")).isEqualTo(listed.path("meetingId").asString());
            assertThat(b.waitFor("join-link", WAIT).getAttribute("href")).isEqualTo(joinUrl);

            // copy-link puts the joinUrl on the clipboard and says so
            WebElement copy = item.findElement(By.cssSelector("[data-testid='copy-link']"));
            copy.click();
            new WebDriverWait(driver, WAIT).until(d ->
                    item.findElement(By.cssSelector("[data-testid='copy-status']")).getText().contains("Link copied"));
            Object clipboard = js.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    navigator.clipboard.readText().then(done, (e) => done('clipboard error: ' + e));""");
            assertThat(clipboard).isEqualTo(joinUrl);

            // recordings: none yet
            item.findElement(By.cssSelector("[data-testid='recordings'] summary")).click();
            new WebDriverWait(driver, WAIT).until(d ->
                    !item.findElements(By.cssSelector("[data-testid='no-recordings']")).isEmpty());

            // fits a 390-pixel phone without sideways scrolling
            driver.manage().window().setSize(new Dimension(390, 844));
            new WebDriverWait(driver, WAIT).until(d -> ((Number) js.executeScript("return window.innerWidth")).intValue() <= 400);
            assertThat(((Number) js.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue())
                    .as("horizontal overflow at 390 px").isLessThanOrEqualTo(0);
            assertThat(copy.isDisplayed()).isTrue();

            // the join link is the joinUrl and opens the meeting page
            WebElement join = item.findElement(By.cssSelector("[data-testid='join-meeting']"));
            assertThat(join.getAttribute("href")).isEqualTo(joinUrl);
            join.click();
            new WebDriverWait(driver, WAIT).until(d -> joinUrl.equals(d.getCurrentUrl()));
            assertThat(driver.getPageSource()).contains(listed.path("code").asString()).contains(title);

            // join it, then log out on the home page in another tab: the token is gone, the login form is back, and
            // the meeting tab is put out of the meeting (the gateway ends the token's membership) and says why
            b.waitFor("join-now", WAIT).click();
            new WebDriverWait(driver, WAIT).until(d -> b.byTestId("participant").stream()
                    .anyMatch(e -> "Homer".equals(e.getAttribute("data-participant-name"))));
            String meetingTab = driver.getWindowHandle();
            driver.switchTo().newWindow(WindowType.TAB);
            b.open(base + "/");
            b.waitFor("logout", WAIT).click();
            b.waitFor("login-email", WAIT);
            assertThat(js.executeScript("return localStorage.getItem('rendezvous.token')")).isNull();
            assertThat(b.byTestId("meeting-item")).isEmpty();
            driver.switchTo().window(meetingTab);
            new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> b.waitFor("prejoin", WAIT).isDisplayed()
                            && d.findElement(By.id("join-error")).getText().contains("You were signed out"));
        }
    }

    /**
     * The meeting report: a host meets and chats (a WebSocket client), the analytics reach ClickHouse through
     * stream-apps' sink, and the host follows the report link on the home page to charts drawn from them; someone
     * else's token gets a refusal on the same page.
     */
    @Test
    void shouldShowTheHostAReportWithChartsOfTheMeetingFromItsAnalytics() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(stack.clickHouseUrl()).as("CI installs clickhouse-server: the report must be tested").isNotNull();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(stack.clickHouseUrl() != null, "clickhouse-server is not installed");
        String token = api.newUserToken("Rhea");
        Api.Meeting m = api.createMeeting(token, "Reported " + UUID.randomUUID().toString().substring(0, 8));
        try (Peer rhea = Peer.connect(api.http, base).join(m.meetingId(), token)) {
            rhea.chat(m.meetingId(), "report-1", "for the report");
            Peer.awaitUntil(() -> rhea.chats(m.meetingId()).size() == 1, WAIT, "own message echoed");
        }
        // the events reach ClickHouse through the sink (batches of up to 1 s)
        org.awaitility.Awaitility.await("the meeting's analytics in ClickHouse").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300)).until(() -> {
                    JsonNode a = Api.expect(200, api.call("GET", "/api/v1/meetings/" + m.meetingId() + "/analytics",
                            null, token));
                    return a.path("chatMessages").asInt() == 1 && a.path("participants").size() == 1
                            && !a.path("endedAt").isNull();
                });

        try (Browser b = Browser.launch()) {
            ChromeDriver driver = (ChromeDriver) b.driver();
            b.open(base + "/");
            driver.executeScript("localStorage.setItem('rendezvous.token', arguments[0])", token);
            b.open(base + "/");
            WebElement item = new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector(
                    "[data-testid='meeting-item'][data-meeting-id='" + m.meetingId() + "']")).stream().findFirst().orElse(null));
            item.findElement(By.cssSelector("[data-testid='meeting-report']")).click();
            new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().endsWith("/meetings/" + m.meetingId() + "/report"));

            List<WebElement> charts = new WebDriverWait(driver, WAIT).until(d -> {
                List<WebElement> found = d.findElements(By.cssSelector("svg[data-testid='analytics-chart']"));
                return found.size() >= 5 ? found : null;
            });
            // participants over time: a line; time per person: bars; chat: a column in its minute; loss and RTT: "No
            // samples" (this participant sent no media, so the forwarder sampled nobody)
            assertThat(charts.get(0).findElements(By.cssSelector("path.line"))).hasSize(1);
            assertThat(charts.get(1).findElements(By.cssSelector("rect.bar"))).hasSize(1);
            assertThat(charts.get(2).getAttribute("aria-label")).isEqualTo("Chat messages per minute");
            assertThat(charts.get(2).findElements(By.cssSelector("rect.bar"))).hasSize(1);
            assertThat(charts.get(2).findElement(By.cssSelector("rect.bar title")).getAttribute("textContent"))
                    .isEqualTo("1 message");
            assertThat(charts.get(3).getText()).contains("No samples");
            String summary = b.waitFor("report-summary", WAIT).getText();
            assertThat(summary).contains("Chat messages\n1").contains("People\n1").contains("Duration");
            assertThat(driver.getPageSource()).contains("Rhea");   // her bar in "Time in the meeting"

            // another person's token in the link: a 403 page that says who may see it, and draws nothing
            String nosy = api.newUserToken("Nosy");
            assertThat(api.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/meetings/"
                    + m.meetingId() + "/report?token=" + nosy)).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(403);
            b.open(base + "/meetings/" + m.meetingId() + "/report?token=" + nosy);
            new WebDriverWait(driver, WAIT).until(d -> b.waitFor("report-status", WAIT).getText().contains("Only the meeting's host"));
            assertThat(b.byTestId("analytics-chart")).isEmpty();
        }
        // an id that is no meeting's: the not-found page
        assertThat(api.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/meetings/"
                + UUID.randomUUID() + "/report")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(404);
    }
}
