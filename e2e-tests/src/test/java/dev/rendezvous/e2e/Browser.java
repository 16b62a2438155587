package dev.rendezvous.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium process driven by Debian's chromedriver (nothing downloads a browser).
 * Each instance is its own browser process, so each can later get its own fake camera file.
 */
public final class Browser implements AutoCloseable {

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static boolean available() {
        return Files.isExecutable(Path.of(chromeDriverPath())) && chromiumBinary() != null;
    }

    static Browser launch() throws Exception {
        return launch(null);
    }

    private static Path defaultCamera;

    /**
     * The camera of a browser launched without one: a moving test pattern, 640×360 at 15 fps. Chromium's built-in fake
     * camera follows the page's request (1280×720, three simulcast layers to encode), which costs every browser test
     * on the 2-core CI machine far more CPU than what it checks needs; this one gives two layers (320 and 640 px wide).
     * Tests of the full layer set bring their own (BrowserVideoIT). Made once per test JVM with Debian's ffmpeg.
     */
    static synchronized Path defaultCamera() throws Exception {
        if (defaultCamera == null) {
            Path file = Files.createTempDirectory("rdv-camera-").resolve("pattern-640x360.y4m");
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc=size=640x360:rate=15", "-t", "2", "-pix_fmt", "yuv420p", file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg (Debian's, installed by .ci/run) could not make " + file);
            }
            defaultCamera = file;
        }
        return defaultCamera;
    }

    /**
     * @param fakeCamera a y4m file this browser's fake camera plays (one per process: distinct files give
     *                   distinct pictures), or null for {@link #defaultCamera()}
     */
    static Browser launch(Path fakeCamera) throws Exception {
        return launch(fakeCamera, null);
    }

    /**
     * @param fakeMicrophone a 16-bit PCM WAV file this browser's fake microphone plays in a loop, or null for
     *                       Chromium's built-in beep (quiet, and how loud it arrives depends on the gain control)
     */
    static Browser launch(Path fakeCamera, Path fakeMicrophone) throws Exception {
        return launch(fakeCamera, fakeMicrophone, List.of());
    }

    /**
     * @param fakeCamera     a y4m file, or null for {@link #defaultCamera()}
     * @param extraArguments more Chromium switches (e.g. for a fake screen to share)
     */
    static Browser launch(Path fakeCamera, Path fakeMicrophone, List<String> extraArguments) throws Exception {
        Path profile = Files.createTempDirectory("rdv-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.addArguments(extraArguments);
        o.addArguments("--use-file-for-fake-video-capture="
                + (fakeCamera != null ? fakeCamera : defaultCamera()).toAbsolutePath());
        if (fakeMicrophone != null) {
            o.addArguments("--use-file-for-fake-audio-capture=" + fakeMicrophone.toAbsolutePath());
        }
        headless(o, profile);
        return new Browser(new ChromeDriver(driverService(), o), profile);
    }

    /**
     * Debian's Chromium binary and the switches every test browser gets: headless, fake camera and microphone
     * devices without a permission prompt, no background throttling, its own profile directory. Callers add
     * their fake media files.
     */
    public static ChromeOptions headless(ChromeOptions o, Path profile) {
        o.setBinary(chromiumBinary());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required", "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + profile);
        return o;
    }

    /** Debian's chromedriver on a free port. */
    public static ChromeDriverService driverService() {
        return new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromeDriverPath()))
                .usingAnyFreePort()
                .build();
    }

    private static String chromeDriverPath() {
        return System.getProperty("rendezvous.chromedriver", "/usr/bin/chromedriver");
    }

    /** The real binary: /usr/bin/chromium on Debian is a shell wrapper around /usr/lib/chromium/chromium. */
    private static String chromiumBinary() {
        for (String p : List.of(System.getProperty("rendezvous.chromium", ""), "/usr/lib/chromium/chromium", "/usr/bin/chromium")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    List<WebElement> byTestId(String id) {
        return driver.findElements(By.cssSelector("[data-testid='" + id + "']"));
    }

    WebElement waitFor(String testId, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(d -> {
            List<WebElement> l = byTestId(testId);
            return l.isEmpty() || !l.get(0).isDisplayed() ? null : l.get(0);
        });
    }

    /** Polls (with a deadline) until the chat shows a message whose text contains {@code text}. */
    void waitForChatMessage(String text, Duration timeout) {
        new WebDriverWait(driver, timeout).until(d ->
                byTestId("chat-message").stream().anyMatch(e -> e.getText().contains(text)) ? Boolean.TRUE : null);
    }

    void sendChat(String text) {
        WebElement input = waitFor("chat-input", Duration.ofSeconds(15));
        input.sendKeys(text);
        waitFor("chat-send", Duration.ofSeconds(5)).click();
    }

    /**
     * The page's subscribe-side {@code inboundStats()} for the camera tile shown under {@code name}, as JSON
     * ({@code framesDecoded}, {@code audioPacketsReceived}, …), or {@code {}} while there is no such tile.
     */
    String mediaStatsJson(String name) {
        Object r = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript("""
                const name = arguments[0]; const done = arguments[arguments.length - 1];
                const m = window.rendezvousMedia;
                if (!m) { done('{}'); return; }
                const tile = m.tiles().find(t => t.name === name && t.source === 'camera');
                if (!tile) { done('{}'); return; }
                m.inboundStats().then(s => done(JSON.stringify(s[tile.socketId] || {}))).catch(e => done('{}'));
                """, name);
        return String.valueOf(r);
    }

    String consoleLogs() {
        try {
            return driver.manage().logs().get("browser").getAll().toString();
        } catch (RuntimeException e) {
            return "(no browser log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var s = Files.walk(profile)) {
                s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
