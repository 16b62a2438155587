package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import dev.rendezvous.topics.serde.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Server-side recording end to end: two Chromium pages with solid-colour fake cameras (red, blue) and a tone each;
 * the host records for 20 s over REST and stops; the forwarder captures, the recorder writes one WebM per
 * participant into S3 (s3proxy), stream-apps stores the metadata, and the gateway lists the files with presigned
 * links. Each downloaded file has VP8 video and Opus audio, lasts 20 ± 1.5 s, decodes, and shows its participant's
 * colour. The composite (rendered by the recorder with FFmpeg's libraries) has video and audio, lasts as long, and
 * shows red and blue side by side. Someone who was never in the meeting, user or guest, gets 403 for the list.
 */
class BrowserRecordingIT {

    private static final Duration MEDIA_UP = Duration.ofSeconds(45);
    private static final long RECORD_MS = 20_000;
    private static Path work;

    private final Stack stack = TestSystem.get();
    private final Api api = new Api(stack.gatewayBaseUrl());

    @BeforeAll
    static void makeMedia() throws Exception {
        work = Files.createTempDirectory("rdv-recording-");
        ffmpeg("-f", "lavfi", "-i", "color=c=red:size=320x240:rate=15", "-t", "2", "-pix_fmt", "yuv420p",
                work.resolve("red.y4m").toString());
        ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=320x240:rate=15", "-t", "2", "-pix_fmt", "yuv420p",
                work.resolve("blue.y4m").toString());
        ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*330*t):s=48000:d=4", "-ac", "1", "-c:a", "pcm_s16le",
                work.resolve("tone.wav").toString());
    }

    @AfterAll
    static void removeMedia() throws Exception {
        if (work != null) {
            try (var s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void shouldRecordEachParticipantIntoAPlayableFileOfTheirOwnColourListedWithALink() throws Exception {
        assertThat(Browser.available()).as("Debian chromium and chromium-driver installed (.ci/run installs them)").isTrue();
        String rita = api.newUserToken("Rita");
        String bob = api.newUserToken("Bob");
        Api.Meeting m = api.createMeeting(rita, "recorded call");
        String path = "/api/v1/meetings/" + m.meetingId() + "/recordings";
        try (Browser ritaPage = Browser.launch(work.resolve("red.y4m"), work.resolve("tone.wav"));
             Browser bobPage = Browser.launch(work.resolve("blue.y4m"), work.resolve("tone.wav"))) {
            ritaPage.open(m.joinUrl() + "?token=" + rita + "&autojoin=1");
            bobPage.open(m.joinUrl() + "?token=" + bob + "&autojoin=1");
            awaitVideo(ritaPage, "Bob");
            awaitVideo(bobPage, "Rita");

            String recordingId = Api.expect(202, api.call("POST", path, null, rita)).path("recordingId").asText();
            bobPage.waitFor("recording-indicator", Duration.ofSeconds(30));
            // the recording's own clock (the list's durationMs of a running recording) says when 20 s are in
            await("20 s recorded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> recording(rita, path, recordingId).path("durationMs").asLong() >= RECORD_MS);
            Api.expect(202, api.call("POST", path + "/" + recordingId + "/stop", null, rita));

            JsonNode ready = await("both camera files stored and listed").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> recording(rita, path, recordingId), r -> "ready".equals(r.path("status").asText())
                            && cameraFiles(r).size() == 2);
            assertThat(recording(bob, path, recordingId).path("status").asText()).as("a participant sees it too")
                    .isEqualTo("ready");
            // the recording's length as stream-apps decided it (start to stop): the stop came some Kafka hops after
            // the 20 s were seen, and the files must be as long as the recording, not as the test's wish
            double listed = ready.path("durationMs").asLong() / 1000.0;
            assertThat(listed).as("the listed duration (s)").isBetween(RECORD_MS / 1000.0, RECORD_MS / 1000.0 + 15);
            for (JsonNode f : cameraFiles(ready)) {
                String who = f.path("participantName").asText();
                Path file = work.resolve(who + ".webm");
                HttpResponse<Path> d = api.http.send(HttpRequest.newBuilder(URI.create(f.path("url").asText())).build(),
                        HttpResponse.BodyHandlers.ofFile(file));
                assertThat(d.statusCode()).as(who + "'s link downloads").isEqualTo(200);
                assertThat(Files.size(file)).isEqualTo(f.path("sizeBytes").asLong());
                assertThat(ffprobe(file, "stream=codec_name")).as(who + "'s streams").containsExactly("vp8", "opus");
                double seconds = Double.parseDouble(ffprobe(file, "format=duration").get(0));
                assertThat(seconds).as(who + "'s duration against the listed " + listed + " s").isBetween(listed - 1.5, listed + 1.5);
                assertThat(decodeErrors(file)).as(who + "'s file decodes").isEmpty();
                int[] rgb = frameColour(file, seconds / 2);
                int dominant = rgb[0] >= rgb[1] && rgb[0] >= rgb[2] ? 0 : rgb[2] >= rgb[1] ? 2 : 1;
                assertThat(dominant).as(who + "'s frame " + java.util.Arrays.toString(rgb) + " has their camera's colour")
                        .isEqualTo(who.equals("Rita") ? 0 : 2);
            }

            // the composite: both participants side by side, both tones mixed, encoded once
            JsonNode composite = await("the composite stored and listed").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> compositeFile(recording(rita, path, recordingId)), f -> f != null);
            Path file = work.resolve("composite.webm");
            HttpResponse<Path> d = api.http.send(HttpRequest.newBuilder(URI.create(composite.path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            assertThat(d.statusCode()).as("the composite's link downloads").isEqualTo(200);
            assertThat(ffprobe(file, "stream=codec_type")).as("the composite's streams").containsExactlyInAnyOrder("video", "audio");
            double seconds = Double.parseDouble(ffprobe(file, "format=duration").get(0));
            assertThat(seconds).as("the composite's duration against the listed " + listed + " s").isBetween(listed - 1.5, listed + 1.5);
            int[] left = frameColour(file, seconds / 2, "crop=iw/2:ih:0:0,");
            int[] right = frameColour(file, seconds / 2, "crop=iw/2:ih:iw/2:0,");
            assertThat(List.of(dominant(left), dominant(right))).as("the composite's halves "
                            + java.util.Arrays.toString(left) + " " + java.util.Arrays.toString(right) + " show red and blue")
                    .containsExactlyInAnyOrder(0, 2);
        }

        // someone who was never in the meeting may not see its recordings
        String stranger = api.newUserToken("Sam");
        assertThat(api.call("GET", path, null, stranger).statusCode()).as("a user who was not in the meeting").isEqualTo(403);
        String guest = api.guestToken(m.code(), "Gus");
        assertThat(api.call("GET", path, null, guest).statusCode()).as("a guest who was not in the meeting").isEqualTo(403);
    }

    private static int dominant(int[] rgb) {
        return rgb[0] >= rgb[1] && rgb[0] >= rgb[2] ? 0 : rgb[2] >= rgb[1] ? 2 : 1;
    }

    private static JsonNode compositeFile(JsonNode recording) {
        for (JsonNode f : recording.path("files")) {
            if ("composite".equals(f.path("kind").asText())) {
                return f;
            }
        }
        return null;
    }

    private JsonNode recording(String token, String path, String recordingId) throws Exception {
        for (JsonNode r : Api.expect(200, api.call("GET", path, null, token))) {
            if (r.path("recordingId").asText().equals(recordingId)) {
                return r;
            }
        }
        return Json.mapper().createObjectNode();
    }

    private static List<JsonNode> cameraFiles(JsonNode recording) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f : recording.path("files")) {
            if ("participant".equals(f.path("kind").asText()) && "camera".equals(f.path("source").asText())) {
                out.add(f);
            }
        }
        return out;
    }

    private static void awaitVideo(Browser viewer, String name) {
        await(name + "'s video decoded").atMost(MEDIA_UP).pollInterval(Duration.ofMillis(250))
                .until(() -> Json.mapper().readTree(viewer.mediaStatsJson(name)).path("framesDecoded").asLong() > 5);
    }

    private static List<String> ffprobe(Path file, String entries) throws Exception {
        return lines(run("ffprobe", "-v", "error", "-show_entries", entries, "-of", "default=nw=1:nk=1", file.toString()));
    }

    /**
     * FFmpeg's errors decoding the whole file. Frames keep their own timestamps: by default FFmpeg re-times decoded
     * video to the guessed frame rate, and a live camera's frames (capture-timed, a few ms of jitter) then collide
     * in its null muxer, which it reports as errors of its own, not of the file.
     */
    private static List<String> decodeErrors(Path file) throws Exception {
        return lines(run("ffmpeg", "-v", "error", "-i", file.toString(), "-enc_time_base", "-1", "-fps_mode", "passthrough",
                "-f", "null", "-"));
    }

    /** The average colour of the frame at {@code seconds}, scaled down to one pixel. */
    private static int[] frameColour(Path file, double seconds) throws Exception {
        return frameColour(file, seconds, "");
    }

    /** The same for a part of the frame: {@code crop} is an FFmpeg filter ending in a comma, or empty. */
    private static int[] frameColour(Path file, double seconds, String crop) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-ss", String.valueOf(seconds), "-i", file.toString(),
                "-frames:v", "1", "-vf", crop + "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").start();
        byte[] px = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(px).as("one RGB pixel").hasSize(3);
        return new int[] {px[0] & 0xff, px[1] & 0xff, px[2] & 0xff};
    }

    private static List<String> lines(String s) {
        return s.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(command[0] + " finished").isTrue();
        return out;
    }

    private static void ffmpeg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished").isTrue();
        assertThat(p.exitValue()).as("ffmpeg: " + out).isZero();
    }
}
