package dev.rendezvous.recorder.composite;

import static dev.rendezvous.recorder.composite.CompositeFixtures.frameRgb;
import static dev.rendezvous.recorder.composite.CompositeFixtures.participantFile;
import static dev.rendezvous.recorder.composite.CompositeFixtures.pixel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.webm.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Participant files (solid colours, with tones or silent) → the composite, checked with ffprobe and decoded frames:
 * VP8 + Opus, as long as the recording; the people present share the whole canvas (alone: all of it; two: side by
 * side); a shared screen takes the stage with the cameras beside it; the speaker's picture is outlined.
 */
class CompositeRendererTest {

    @TempDir
    static Path dir;
    private static Path red;
    private static Path blue;
    private static Path quietBlue;
    private static Path green;

    @BeforeAll
    static void make() throws Exception {
        MediaFixtures.requireFfmpeg();
        red = participantFile(dir, "red.webm", "red", 3, 440);
        blue = participantFile(dir, "blue.webm", "blue", 4, 660);
        quietBlue = participantFile(dir, "quiet-blue.webm", "blue", 3, 0);
        green = participantFile(dir, "green.webm", "lime", 2.5, 0);
    }

    @Test
    void twoParticipantsSideBySideInTimeWithBothVoices() throws Exception {
        Path out = dir.resolve("composite.webm");
        CompositeRenderer.Result r = CompositeRenderer.render(List.of(
                new CompositeRenderer.Input("p-red/camera", red, 0.0, 3.0),
                new CompositeRenderer.Input("p-blue/camera", blue, 1.0, 4.0)), out, CompositeSettings.DEFAULT);

        assertThat(r.durationSec()).isEqualTo(5.0);
        assertThat(MediaFixtures.probe(out, "-show_entries", "stream=codec_name")).containsExactly("vp8", "opus");
        assertThat(MediaFixtures.probe(out, "-show_entries", "stream=width,height")).containsExactly("1280", "720");
        double duration = Double.parseDouble(MediaFixtures.probe(out, "-show_entries", "format=duration").get(0));
        assertThat(duration).as("as long as the longest input's end on the timeline").isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(MediaFixtures.decodeErrors(out)).isEmpty();

        byte[] both = frameRgb(out, 2.0, 1280, 720);
        assertColour(pixel(both, 1280, 320, 360), "red", 255, 0, 0);
        assertColour(pixel(both, 1280, 960, 360), "blue", 0, 0, 255);
        assertColour(pixel(both, 1280, 320, 40), "letterbox above the 4:3 picture", 0, 0, 0);

        byte[] early = frameRgb(out, 0.4, 1280, 720);
        assertColour(pixel(early, 1280, 640, 360), "red alone fills the canvas", 255, 0, 0);
        assertColour(pixel(early, 1280, 960, 360), "red alone fills the canvas", 255, 0, 0);
        assertColour(pixel(early, 1280, 80, 360), "pillarbox beside the 4:3 picture", 0, 0, 0);

        byte[] late = frameRgb(out, 4.5, 1280, 720);
        assertColour(pixel(late, 1280, 320, 360), "blue alone, after red left", 0, 0, 255);
        assertColour(pixel(late, 1280, 960, 360), "blue alone, after red left", 0, 0, 255);

        List<String> audio = MediaFixtures.probe(out, "-select_streams", "a:0", "-show_entries", "stream=channels,sample_rate");
        assertThat(audio).containsExactly("48000", "1");
    }

    @Test
    void aDamagedFileIsLeftOutNotTheComposite() throws Exception {
        Path garbage = dir.resolve("garbage.webm");
        java.nio.file.Files.write(garbage, new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 1, 2, 3, 4, 5});
        Path out = dir.resolve("composite-damaged.webm");
        CompositeRenderer.Result r = CompositeRenderer.render(List.of(
                new CompositeRenderer.Input("p-red/camera", red, 0.0, 3.0),
                new CompositeRenderer.Input("p-bad/camera", garbage, 0.0, 3.0)), out, CompositeSettings.DEFAULT);

        assertThat(r.unreadableInputs()).isEqualTo(1);
        assertThat(MediaFixtures.decodeErrors(out)).isEmpty();
        byte[] rgb = frameRgb(out, 1.0, 1280, 720);
        assertColour(pixel(rgb, 1280, 320, 360), "red", 255, 0, 0);
        assertColour(pixel(rgb, 1280, 960, 360), "the damaged one takes no place: red fills the canvas", 255, 0, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CompositeRenderer.render(
                        List.of(new CompositeRenderer.Input("p-bad/camera", garbage, 0.0, 1.0)),
                        dir.resolve("none.webm"), CompositeSettings.DEFAULT))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("no input");
    }

    @Test
    void aSharedScreenTakesTheStageTheCamerasStandBesideItAndTheSpeakerIsOutlined() throws Exception {
        Path out = dir.resolve("composite-screen.webm");
        CompositeRenderer.render(List.of(
                new CompositeRenderer.Input("p-red/camera", red, 0.0, 3.0),
                new CompositeRenderer.Input("p-blue/camera", quietBlue, 0.0, 3.0),
                new CompositeRenderer.Input("p-red/screen", green, 0.5, 2.5)), out, CompositeSettings.DEFAULT);

        // before the screen: red and (silent) blue side by side, red speaking (its tone), so outlined
        byte[] gallery = frameRgb(out, 0.4, 1280, 720);
        assertColour(pixel(gallery, 1280, 320, 360), "red", 255, 0, 0);
        assertColour(pixel(gallery, 1280, 960, 360), "blue", 0, 0, 255);
        assertColour(pixel(gallery, 1280, 320, 124), "the speaker's outline on red's top edge", 254, 200, 0);
        assertColour(pixel(gallery, 1280, 960, 124), "no outline on blue", 0, 0, 255);

        // the screen on the stage (4:3 in 960×720: all of it), the cameras in the right quarter, 16:9 slots from y 180
        byte[] shared = frameRgb(out, 2.0, 1280, 720);
        assertColour(pixel(shared, 1280, 480, 360), "the screen on the stage", 0, 255, 0);
        assertColour(pixel(shared, 1280, 120, 600), "the screen on the stage", 0, 255, 0);
        assertColour(pixel(shared, 1280, 1120, 270), "red beside it", 255, 0, 0);
        assertColour(pixel(shared, 1280, 1120, 450), "blue beside it", 0, 0, 255);
        assertColour(pixel(shared, 1280, 1120, 90), "nothing above the column", 0, 0, 0);
        assertColour(pixel(shared, 1280, 1120, 184), "red still speaking: outlined", 254, 200, 0);
    }

    private static void assertColour(int[] rgb, String what, int r, int g, int b) {
        assertThat(Math.abs(rgb[0] - r) + Math.abs(rgb[1] - g) + Math.abs(rgb[2] - b))
                .as("%s: got rgb(%d,%d,%d)", what, rgb[0], rgb[1], rgb[2]).isLessThan(90);
    }
}
