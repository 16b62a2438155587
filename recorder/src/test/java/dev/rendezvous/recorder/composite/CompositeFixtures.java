package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Participant-like WebM files made by Debian's ffmpeg, and pixels read back from a composite. */
public final class CompositeFixtures {

    private CompositeFixtures() {
    }

    /**
     * A WebM like a participant file: a solid {@code colour} 640×480 picture at 15 fps (VP8) and a tone (mono
     * Opus; silence when {@code toneHz} is 0), {@code seconds} long.
     */
    public static Path participantFile(Path dir, String name, String colour, double seconds, int toneHz)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=" + colour + ":size=640x480:rate=15",
                "-f", "lavfi", "-i", toneHz > 0 ? "sine=frequency=" + toneHz + ":sample_rate=48000"
                        : "anullsrc=r=48000:cl=mono", "-t", String.valueOf(seconds),
                "-c:v", "libvpx", "-b:v", "200k", "-g", "15", "-c:a", "libopus", "-ac", "1", "-b:a", "32k",
                out.toString());
        return out;
    }

    /** The picture at {@code timeSec} as RGB24, {@code width}×{@code height}. */
    public static byte[] frameRgb(Path file, double timeSec, int width, int height) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-ss", String.valueOf(timeSec), "-i", file.toString(),
                "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] rgb = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(rgb).as("one decoded picture").hasSize(width * height * 3);
        return rgb;
    }

    /** The colour at (x, y) of an RGB24 picture: red, green, blue, each 0..255. */
    public static int[] pixel(byte[] rgb, int width, int x, int y) {
        int i = (y * width + x) * 3;
        return new int[] {rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF};
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", cmd), out).isZero();
    }
}
