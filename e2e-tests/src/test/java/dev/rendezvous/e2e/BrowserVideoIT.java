package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Real headless Chromium processes, each with its own fake camera (a y4m file of one solid colour), join a
 * meeting by its link and see and hear each other through the media-forwarder: signaling browser → gateway
 * → Kafka → stream-apps → Kafka → forwarder and back; media browser ⇄ forwarder over UDP on loopback (over
 * ICE-TCP for a page opened with {@code ?ice=tcp}).
 *
 * <p>"Sees" means: the remote participant's tile exists, its decoded frame count (getStats) rises, and the
 * picture's colour is the one that participant's camera sends. "Hears" means audio packets from that
 * participant keep arriving.
 */
class BrowserVideoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MEDIA_UP = Duration.ofSeconds(45);
    /** A participant who leaves is gone from the others' grids: at once, bounded loosely for a loaded CI machine. */
    private static final Duration TILE_GONE = Duration.ofSeconds(10);
    private static Path cameras;

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    /** Colours the fake cameras show, as RGB, and the channel each is dominant in. */
    enum Colour {
        RED("red", 0), GREEN("lime", 1), BLUE("blue", 2);

        final String ffmpegName;
        final int channel;

        Colour(String ffmpegName, int channel) {
            this.ffmpegName = ffmpegName;
            this.channel = channel;
        }
    }

    @BeforeAll
    static void makeCameras() throws Exception {
        cameras = Files.createTempDirectory("rdv-cameras-");
        for (Colour c : Colour.values()) {
            Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                    "-i", "color=c=" + c.ffmpegName + ":size=320x240:rate=15", "-t", "2", "-pix_fmt", "yuv420p",
                    camera(c).toString())
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
            assertThat(p.exitValue()).as("ffmpeg (Debian's, installed by .ci/run) made " + camera(c)).isZero();
        }
        // a camera large enough for three simulcast layers (1280×720, as the page asks for), red with moving
        // noise: a flat picture would need so few bits that Chromium's bandwidth estimate never grows enough for
        // the top layer (a real camera's picture does)
        Process hd = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi",
                "-i", "color=c=red:size=1280x720:rate=15,noise=alls=40:allf=t+u", "-t", "1", "-pix_fmt", "yuv420p",
                hdCamera().toString())
                .redirectErrorStream(true).start();
        assertThat(hd.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
        assertThat(hd.exitValue()).as("ffmpeg made " + hdCamera()).isZero();
        // microphones: a talker (a 220 Hz tone switched on and off four times a second, loud enough that the
        // browser's noise suppression and gain control keep it well above the detector's threshold) and silence
        ffmpeg("aevalsrc=0.5*sin(2*PI*220*t)*gt(sin(2*PI*2*t)\\,0):s=48000:d=4", talker());
        ffmpeg("anullsrc=r=48000:cl=mono:d=4", silence());
    }

    private static void ffmpeg(String source, Path out) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-t", "4",
                "-ac", "1", "-c:a", "pcm_s16le", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
        assertThat(p.exitValue()).as("ffmpeg made " + out + ": " + output).isZero();
    }

    private static Path talker() {
        return cameras.resolve("talker.wav");
    }

    private static Path silence() {
        return cameras.resolve("silence.wav");
    }

    @AfterAll
    static void removeCameras() throws Exception {
        if (cameras != null) {
            try (var s = Files.walk(cameras)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Path camera(Colour c) {
        return cameras.resolve(c.name().toLowerCase() + ".y4m");
    }

    /** A red 1280×720 camera. */
    private static Path hdCamera() {
        return cameras.resolve("red-1280x720.y4m");
    }

    @Test
    void shouldSeeAndHearEachOtherThenStopHearingAMutedMicAndLoseTheTileOfWhoLeft() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed (.ci/run installs them)").isTrue();
        String host = api.newUserToken("Host");
        Api.Meeting m = api.createMeeting(host, "two in a call");
        try (Browser alice = Browser.launch(hdCamera(), talker());
             Browser bob = Browser.launch(camera(Colour.BLUE), silence())) {
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            // Alice talks alone first: the forwarder makes her the room's speaker before Bob is there (a
            // speaker is announced when it changes, so Bob must be told the current one when he joins)
            await("Alice is the active speaker while alone").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> speakerState(alice).contains("\"signals\":") && !speakerState(alice).contains("\"speaker\":null"));
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");

            awaitSeesAndHears(alice, "Bob", Colour.BLUE);
            awaitSeesAndHears(bob, "Alice", Colour.RED);

            // the forwarder answered Alice's publish offer with transport-cc and feeds it back: Chromium's own
            // congestion control runs on that feedback, and its send-side estimate stays usable (feedback that
            // reported packets lost or late would drive it to the floor)
            assertThat(publishAnswer(alice)).as("the forwarder's publish answer").contains("transport-cc");
            // RTX both ways: the forwarder takes Alice's rtx (and the repaired rid of her simulcast layers) and offers
            // Bob rtx on an SSRC of its own beside Alice's camera, which Bob's browser keeps in its answer
            assertThat(publishAnswer(alice)).as("the forwarder's publish answer")
                    .contains("rtx/90000", "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
            assertThat(subscribeDescription(bob, "remoteDescription")).as("the forwarder's subscribe offer to Bob")
                    .contains("a=ssrc-group:FID ", "rtx/90000");
            assertThat(subscribeDescription(bob, "localDescription")).as("Bob's answer").contains("rtx/90000");
            double[] estimate = {0};
            await("Alice's send-side estimate from the forwarder's feedback").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> (estimate[0] = outgoingEstimate(alice)) >= 150_000);
            System.out.printf("[twcc] Alice's availableOutgoingBitrate %.0f bit/s%n", estimate[0]);

            // simulcast: Alice's 1280×720 camera goes out in three encodings (rid q, h, f), the forwarder takes
            // all three (its answer receives them) and gives Bob, who asked for nothing smaller, the full one;
            // Bob's 320×240 camera is one stream
            assertThat(publishAnswer(alice)).as("the forwarder's answer to the simulcast offer")
                    .contains("a=simulcast:recv q;h;f");
            assertThat(publishAnswer(bob)).as("a small camera offers no simulcast").doesNotContain("a=simulcast");
            long simulcastStart = System.nanoTime();
            try {
                await("Alice sends three encodings").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> sentLayers(alice).matches("f=[1-9]\\d* h=[1-9]\\d* q=[1-9]\\d*"));
                // the top layer as wide as Alice sends it now (Chromium may scale all layers down when busy)
                await("Bob receives Alice's top layer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            int top = topWidth(sentLayers(alice));
                            int got = stats(bob, "Alice").path("frameWidth").asInt();
                            return top > 320 && got == top;
                        });
            } finally {
                System.out.printf("[simulcast] after %d ms Alice sends %s (estimate %.0f bit/s); Bob decodes %d px wide%n",
                        (System.nanoTime() - simulcastStart) / 1_000_000, sentLayers(alice), outgoingEstimate(alice),
                        stats(bob, "Alice").path("frameWidth").asInt());
            }

            // layers by tile size: Carol shows Alice's tile at 320×180 and receives a layer at most 320 px wide, while
            // Bob, showing it at 1280×720, keeps the full layer. The sizes are forced through the page's test hook
            // (forceTileSize: what the page reports in its media-view frame): a 1280×900 window lays a call of three
            // out in tiles of neither size. Both reports go page → gateway → Kafka → stream-apps → forwarder.
            long carolStart = System.nanoTime();
            try (Browser carol = Browser.launch(camera(Colour.GREEN), silence())) {
                carol.open(m.joinUrl() + "?name=Carol&autojoin=1");
                awaitFramesRising(carol, "Alice");
                String aliceSocket = String.valueOf(((JavascriptExecutor) alice.driver()).executeScript(
                        "return window.rendezvousMedia.socketId"));
                forceTileSize(carol, aliceSocket, 320, 180);
                forceTileSize(bob, aliceSocket, 1280, 720);
                long layersStart = System.nanoTime();
                try {
                    await("Carol receives Alice's small layer").atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                int got = stats(carol, "Alice").path("frameWidth").asInt();
                                return got > 0 && got <= 320;
                            });
                    awaitFramesRising(carol, "Alice");
                    int top = topWidth(sentLayers(alice));
                    assertThat(top).as("Alice's top layer (%s)", sentLayers(alice)).isGreaterThan(320);
                    await("Bob still receives Alice's top layer").atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> stats(bob, "Alice").path("frameWidth").asInt() == topWidth(sentLayers(alice)));
                    // Carol opens the stats overlay: the forwarder's own account of her link reaches her page
                    // (media-stats → MEDIA_STATS → forwarder.event.emitted → stream-apps → gateway): an estimate, and
                    // Alice's camera forwarded to her at layer 0 of 3
                    carol.waitFor("stats-toggle", Duration.ofSeconds(5)).click();
                    String aliceCamera = aliceSocket + "|camera";
                    await("Carol's stats overlay shows the forwarder's estimate and Alice's layer").atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                JsonNode o = statsOverlay(carol);
                                return o.path("summary").path(0).asText().matches("Downlink estimate: \\d.*")
                                        && o.path(aliceCamera).path(1).asText().startsWith("server: layer 0 of 3");
                            });
                } finally {
                    System.out.printf("[layers] after %d ms Alice sends %s; Carol (320x180) decodes %d px wide, Bob "
                                    + "(1280x720) %d px; Carol's view %s; Carol's stats overlay %s%n",
                            (System.nanoTime() - layersStart) / 1_000_000, sentLayers(alice),
                            stats(carol, "Alice").path("frameWidth").asInt(), stats(bob, "Alice").path("frameWidth").asInt(),
                            tileView(carol), statsOverlay(carol));
                }
                carol.waitFor("leave", Duration.ofSeconds(5)).click();
            }
            System.out.printf("[layers] Carol's part took %d ms%n", (System.nanoTime() - carolStart) / 1_000_000);

            // Alice talks and Bob is silent: the forwarder's active-speaker signal (RFC 6464 levels in Alice's audio
            // packets, through forwarder.event.emitted and stream-apps), repeated for Bob when he joined, highlights
            // Alice's tile on Bob's page
            try {
                await("Alice's tile highlighted as the active speaker on Bob's page").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> speakingTiles(bob, "Alice") > 0);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nBob's page: " + speakerState(bob) + ", Alice's audio there: "
                        + stats(bob, "Alice") + "\nAlice's page: " + speakerState(alice) + ", Bob's audio there: "
                        + stats(alice, "Bob"), e);
            }
            assertThat(speakingTiles(alice, "Bob")).as("the silent Bob is not highlighted on Alice's page").isZero();

            // Alice mutes her microphone: Bob stops receiving her audio, her video keeps coming
            alice.waitFor("mic-toggle", Duration.ofSeconds(5)).click();
            long[] last = {-1};
            await("Alice's audio stops arriving at Bob").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1500))
                    .until(() -> {
                        long now = stats(bob, "Alice").path("audioPacketsReceived").asLong();
                        boolean still = now == last[0];
                        last[0] = now;
                        return still;
                    });
            awaitFramesRising(bob, "Alice");

            // Bob leaves: his tile goes from Alice's grid (at once here; the bound is loose for a loaded CI machine,
            // and well below the 30-s consent timeout that would remove it without the leave)
            bob.waitFor("leave", Duration.ofSeconds(5)).click();
            await("Bob's tile removed from Alice's grid").atMost(TILE_GONE).pollInterval(Duration.ofMillis(50))
                    .until(() -> remoteVideos(alice, "Bob") == 0);
        }
    }

    @Test
    void shouldShowEveryOtherParticipantsOwnPictureWithThreeInTheRoom() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String host = api.newUserToken("Host3");
        Api.Meeting m = api.createMeeting(host, "three in a call");
        try (Browser alice = Browser.launch(camera(Colour.RED));
             Browser bob = Browser.launch(camera(Colour.GREEN));
             Browser carol = Browser.launch(camera(Colour.BLUE))) {
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1");
            carol.open(m.joinUrl() + "?name=Carol&autojoin=1");

            awaitSeesAndHears(alice, "Bob", Colour.GREEN);
            awaitSeesAndHears(alice, "Carol", Colour.BLUE);
            awaitSeesAndHears(bob, "Alice", Colour.RED);
            awaitSeesAndHears(bob, "Carol", Colour.BLUE);
            awaitSeesAndHears(carol, "Alice", Colour.RED);
            awaitSeesAndHears(carol, "Bob", Colour.GREEN);

            // last-N: with 1, Alice's page shows one of the two with video and the other with initials, reported
            // hidden to the forwarder (which then sends it nothing); back at 16 both are shown and reported
            lastN(alice, 1);
            await("one tile beyond last-N, and the same one reported hidden").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        String[] v = lastNView(alice);
                        return v[0].equals("2") && v[1].equals(v[2]) && !v[1].isEmpty() && !v[1].contains(",");
                    });
            lastN(alice, 16);
            await("no tile beyond last-N 16").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> String.join("|", lastNView(alice)).equals("2||"));
            awaitFramesRising(alice, "Bob");
            awaitFramesRising(alice, "Carol");

            carol.waitFor("leave", Duration.ofSeconds(5)).click();
            for (Browser b : List.of(alice, bob)) {
                await("Carol's tile removed").atMost(TILE_GONE).pollInterval(Duration.ofMillis(50))
                        .until(() -> remoteVideos(b, "Carol") == 0);
            }
            // the two who stay still see each other
            awaitFramesRising(alice, "Bob");
            awaitFramesRising(bob, "Alice");
        }
    }

    @Test
    void shouldConnectAPageWithoutUdpCandidatesOverIceTcpAndDecodeTheOther() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed").isTrue();
        String host = api.newUserToken("HostTcp");
        Api.Meeting m = api.createMeeting(host, "one of two behind a UDP-blocking firewall");
        try (Browser alice = Browser.launch(camera(Colour.RED));
             Browser bob = Browser.launch(camera(Colour.BLUE))) {
            alice.open(m.joinUrl() + "?name=Alice&autojoin=1");
            // ?ice=tcp: Bob's page drops the forwarder's UDP candidates, leaving only its passive ICE-TCP one
            bob.open(m.joinUrl() + "?name=Bob&autojoin=1&ice=tcp");

            awaitSeesAndHears(bob, "Alice", Colour.RED); // Bob's subscribe connection, over TCP
            awaitFramesRising(alice, "Bob"); // Bob's publish connection, over TCP

            // Chromium's own view: both of Bob's PeerConnections chose a TCP pair towards the forwarder, Alice's UDP
            assertThat(selectedPairs(bob)).as("Bob's publish and subscribe candidate pairs")
                    .containsExactly("tcp>tcp", "tcp>tcp");
            assertThat(selectedPairs(alice)).as("Alice's: UDP is preferred where it works")
                    .containsExactly("udp>udp", "udp>udp");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The selected candidate pair of the page's publish and subscribe PeerConnections (Chromium's getStats), as
     * {@code <local candidate protocol>><remote candidate protocol>}.
     */
    @SuppressWarnings("unchecked")
    private static List<String> selectedPairs(Browser b) {
        Object r = ((JavascriptExecutor) b.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const m = window.rendezvousMedia;
                const pair = (pc) => !pc ? Promise.resolve('no pc') : pc.getStats().then((s) => {
                  let id = null;
                  s.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) id = r.selectedCandidatePairId; });
                  const p = id && s.get(id);
                  if (!p) return 'no pair';
                  const l = s.get(p.localCandidateId), rc = s.get(p.remoteCandidateId);
                  return (l ? l.protocol : '?') + '>' + (rc ? rc.protocol : '?');
                });
                Promise.all([pair(m.publishPc), pair(m.subscribePc)]).then(done).catch((e) => done(['error ' + e]));
                """);
        return (List<String>) r;
    }

    /**
     * The video encodings the page's publish connection sends now (outbound-rtp with a rid and frames encoded),
     * as {@code rid=frameWidth} in rid order, e.g. {@code f=1280 h=640 q=320}.
     */
    private static String sentLayers(Browser b) {
        Object r = ((JavascriptExecutor) b.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const pc = window.rendezvousMedia && window.rendezvousMedia.publishPc;
                if (!pc) { done('no publish connection'); return; }
                pc.getStats().then((s) => {
                  const out = [];
                  s.forEach((r) => {
                    if (r.type === 'outbound-rtp' && r.kind === 'video' && r.rid && r.framesEncoded > 0) {
                      out.push(r.rid + '=' + (r.frameWidth || 0));
                    }
                  });
                  done(out.sort().join(' '));
                }).catch((e) => done('error ' + e));
                """);
        return String.valueOf(r);
    }

    /** The largest width in a {@link #sentLayers} list (0 if none). */
    private static int topWidth(String layers) {
        int top = 0;
        for (String l : layers.split(" ")) {
            int eq = l.indexOf('=');
            if (eq > 0) {
                try {
                    top = Math.max(top, Integer.parseInt(l.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    // not a layer
                }
            }
        }
        return top;
    }

    private static void lastN(Browser b, int n) {
        ((JavascriptExecutor) b.driver()).executeScript("window.rendezvousMedia.setLastN(arguments[0])", n);
    }

    /**
     * The page's last-N state: {remote camera tiles, those shown with initials (beyond last-N), those its last
     * media-view reported hidden}, socket ids sorted and comma-joined.
     */
    private static String[] lastNView(Browser b) {
        return String.valueOf(((JavascriptExecutor) b.driver()).executeScript("""
                const m = window.rendezvousMedia;
                const cams = m.tiles().filter(t => t.source === 'camera');
                const beyond = cams.filter(t => t.element.closest('.tile').classList.contains('beyond-last-n'))
                    .map(t => t.socketId).sort();
                const hidden = (m.tileView || []).filter(t => t.hidden && t.source === 'camera').map(t => t.socketId).sort();
                return cams.length + '|' + beyond.join(',') + '|' + hidden.join(',');
                """)).split("\\|", -1);
    }

    /** Makes the page report a remote camera tile as rendered at width × height device pixels (the test hook). */
    private static void forceTileSize(Browser b, String socketId, int width, int height) {
        ((JavascriptExecutor) b.driver()).executeScript(
                "window.rendezvousMedia.forceTileSize(arguments[0], 'camera', arguments[1], arguments[2])",
                socketId, width, height);
    }

    /** The lines the page's stats overlay shows ({@code summary}, and per remote tile {@code socketId|source}). */
    private static JsonNode statsOverlay(Browser b) {
        Object json = ((JavascriptExecutor) b.driver()).executeScript(
                "return JSON.stringify(window.rendezvousMedia.statsOverlay().lines)");
        return JSON.readTree(String.valueOf(json));
    }

    /** The media-view the page last sent, as JSON. */
    private static String tileView(Browser b) {
        return String.valueOf(((JavascriptExecutor) b.driver()).executeScript(
                "return JSON.stringify(window.rendezvousMedia.tileView)"));
    }

    /** The forwarder's answer to the page's publish offer (its SDP). */
    private static String publishAnswer(Browser b) {
        return String.valueOf(((JavascriptExecutor) b.driver()).executeScript(
                "const pc = window.rendezvousMedia && window.rendezvousMedia.publishPc;"
                        + " return pc && pc.remoteDescription ? pc.remoteDescription.sdp : 'no publish connection';"));
    }

    /** The subscribe connection's {@code remoteDescription} or {@code localDescription} (its SDP). */
    private static String subscribeDescription(Browser b, String which) {
        return String.valueOf(((JavascriptExecutor) b.driver()).executeScript(
                "const pc = window.rendezvousMedia && window.rendezvousMedia.subscribePc;"
                        + " return pc && pc[arguments[0]] ? pc[arguments[0]].sdp : 'no subscribe connection';", which));
    }

    /** Chromium's send-side bandwidth estimate on the publish connection's selected pair, bit/s (0 if none). */
    private static double outgoingEstimate(Browser b) {
        Object r = ((JavascriptExecutor) b.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const pc = window.rendezvousMedia && window.rendezvousMedia.publishPc;
                if (!pc) { done(0); return; }
                pc.getStats().then((s) => {
                  let best = 0;
                  s.forEach((r) => {
                    if (r.type === 'candidate-pair' && r.nominated && r.availableOutgoingBitrate) {
                      best = Math.max(best, r.availableOutgoingBitrate);
                    }
                  });
                  done(best);
                }).catch(() => done(0));
                """);
        return r instanceof Number n ? n.doubleValue() : 0;
    }

    private void awaitSeesAndHears(Browser viewer, String name, Colour colour) {
        try {
            await(name + "'s video tile in the grid").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(250))
                    .until(() -> remoteVideos(viewer, name) >= 1);
            awaitFramesRising(viewer, name);
            await(name + "'s audio arriving").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(500))
                    .until(() -> stats(viewer, name).path("audioPacketsReceived").asLong() > 20);
            await(name + "'s picture has the colour of their camera (" + colour + ")").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> dominant(averageColour(viewer, name)) == colour.channel);
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("viewer " + describe(viewer) + " waiting for " + name + ": " + e.getMessage()
                    + "\nbrowser log: " + viewer.consoleLogs(), e);
        }
    }

    private void awaitFramesRising(Browser viewer, String name) {
        long first = await(name + "'s frames decoded").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(250))
                .until(() -> stats(viewer, name).path("framesDecoded").asLong(), v -> v > 0);
        await(name + "'s frame count rising").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> stats(viewer, name).path("framesDecoded").asLong() > first + 5);
    }

    private static int speakingTiles(Browser b, String name) {
        return b.driver().findElements(By.cssSelector("video[data-participant-name='" + name + "'].speaking")).size();
    }

    private static String speakerState(Browser b) {
        return String.valueOf(((JavascriptExecutor) b.driver()).executeScript(
                "const m = window.rendezvousMedia; return m ? JSON.stringify({speaker: m.speaker, "
                        + "signals: m.speakerSignals, tiles: m.tiles().map(t => t.name + '=' + t.socketId)}) : 'no hook';"));
    }

    private static int remoteVideos(Browser b, String name) {
        return b.driver().findElements(By.cssSelector("video[data-participant-name='" + name + "']")).size();
    }

    /** getStats of the subscribe PeerConnection for the participant shown under {@code name}. */
    private static JsonNode stats(Browser b, String name) {
        return JSON.readTree(b.mediaStatsJson(name));
    }

    /** The mean RGB of the middle of the participant's camera tile, drawn on a canvas. */
    @SuppressWarnings("unchecked")
    private static double[] averageColour(Browser b, String name) {
        Object r = ((JavascriptExecutor) b.driver()).executeScript("""
                const v = document.querySelector("video[data-participant-name='" + arguments[0] + "'][data-source='camera']")
                       || document.querySelector("video[data-participant-name='" + arguments[0] + "']");
                if (!v || !v.videoWidth) return null;
                const c = document.createElement('canvas'); c.width = 64; c.height = 48;
                const g = c.getContext('2d');
                g.drawImage(v, v.videoWidth / 4, v.videoHeight / 4, v.videoWidth / 2, v.videoHeight / 2, 0, 0, 64, 48);
                const d = g.getImageData(0, 0, 64, 48).data;
                let r = 0, gr = 0, bl = 0; const n = d.length / 4;
                for (let i = 0; i < d.length; i += 4) { r += d[i]; gr += d[i + 1]; bl += d[i + 2]; }
                return [r / n, gr / n, bl / n];
                """, name);
        if (!(r instanceof List<?> l) || l.size() != 3) {
            return new double[] {0, 0, 0};
        }
        List<Number> n = (List<Number>) l;
        return new double[] {n.get(0).doubleValue(), n.get(1).doubleValue(), n.get(2).doubleValue()};
    }

    /** The channel clearly above the others (by 80 of 255), else -1. */
    static int dominant(double[] rgb) {
        for (int c = 0; c < 3; c++) {
            boolean clear = true;
            for (int o = 0; o < 3; o++) {
                if (o != c && rgb[c] - rgb[o] < 80) {
                    clear = false;
                }
            }
            if (clear) {
                return c;
            }
        }
        return -1;
    }

    private static String describe(Browser b) {
        try {
            Object tiles = ((JavascriptExecutor) b.driver()).executeScript(
                    "return window.rendezvousMedia ? JSON.stringify(window.rendezvousMedia.tiles().map(t => "
                            + "({socketId: t.socketId, name: t.name, source: t.source}))) : 'no rendezvousMedia'");
            List<String> names = new ArrayList<>();
            b.driver().findElements(By.cssSelector("[data-testid='participant']"))
                    .forEach(e -> names.add(e.getAttribute("data-participant-name")));
            return "participants=" + names + " tiles=" + tiles;
        } catch (RuntimeException e) {
            return "(page state unavailable: " + e.getMessage() + ")";
        }
    }
}
