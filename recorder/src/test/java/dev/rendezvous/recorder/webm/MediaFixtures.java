package dev.rendezvous.recorder.webm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real media for the recorder's tests, made by the system's FFmpeg (Debian's, installed by {@code .ci/run}):
 * VP8 frames from an IVF file and Opus packets from an Ogg file, plus RTP packetisation the way a browser
 * does it, and ffprobe/ffmpeg to check what the recorder wrote.
 */
public final class MediaFixtures {

    /** One coded frame or packet and its time in the codec's RTP clock. */
    public record Coded(long rtpTimestamp, boolean keyframe, byte[] data) {}

    private MediaFixtures() {
    }

    public static void requireFfmpeg() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/ffmpeg")) && Files.isExecutable(Path.of("/usr/bin/ffprobe"));
        if (System.getenv("CI") != null) {
            assertThat(present).as("CI installs ffmpeg (.ci/run)").isTrue();
        }
        assumeTrue(present, "ffmpeg is not installed");
    }

    /** {@code seconds} of a 320×240 test pattern at 15 fps, VP8, a keyframe every {@code gop} frames. */
    public static List<Coded> vp8(Path dir, int seconds, int gop) throws IOException, InterruptedException {
        Path ivf = dir.resolve("video.ivf");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-t",
                String.valueOf(seconds), "-c:v", "libvpx", "-g", String.valueOf(gop), "-b:v", "300k",
                "-auto-alt-ref", "0", "-lag-in-frames", "0", ivf.toString());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ivf)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(b.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("DKIF");
        int headerLength = b.getShort(6);
        int rate = b.getInt(16);
        int scale = b.getInt(20);
        b.position(headerLength);
        List<Coded> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            int size = b.getInt();
            long pts = b.getLong();
            byte[] data = new byte[size];
            b.get(data);
            frames.add(new Coded(pts * 90_000L * scale / rate, (data[0] & 0x01) == 0, data));
        }
        return frames;
    }

    /** {@code seconds} of a 440 Hz tone, Opus in 20 ms packets, mono. */
    public static List<Coded> opus(Path dir, int seconds) throws IOException, InterruptedException {
        Path ogg = dir.resolve("audio.opus");
        run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
                String.valueOf(seconds), "-c:a", "libopus", "-b:a", "32k", "-frame_duration", "20", "-ac", "1",
                ogg.toString());
        List<byte[]> packets = oggPackets(Files.readAllBytes(ogg));
        List<Coded> out = new ArrayList<>();
        for (int i = 2; i < packets.size(); i++) { // 0: OpusHead, 1: OpusTags
            out.add(new Coded((i - 2) * 960L, true, packets.get(i)));
        }
        return out;
    }

    /** RFC 3533 pages: a packet ends at a lacing value below 255. */
    static List<byte[]> oggPackets(byte[] file) {
        List<byte[]> packets = new ArrayList<>();
        java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
        int p = 0;
        while (p + 27 <= file.length) {
            assertThat(new String(file, p, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
            int segments = file[p + 26] & 0xFF;
            int data = p + 27 + segments;
            for (int s = 0; s < segments; s++) {
                int lace = file[p + 27 + s] & 0xFF;
                current.write(file, data, lace);
                data += lace;
                if (lace < 255) {
                    packets.add(current.toByteArray());
                    current.reset();
                }
            }
            p = data;
        }
        return packets;
    }

    /**
     * VP8 frames as RTP packets of at most {@code maxPayload} bytes of frame data each: 12-byte header, a
     * 4-byte descriptor (X, I with a 15-bit picture id, S on a frame's first packet), marker on the last.
     */
    public static List<byte[]> packetizeVp8(List<Coded> frames, int firstSeq, int maxPayload) {
        List<byte[]> out = new ArrayList<>();
        int seq = firstSeq;
        int pictureId = 0;
        for (Coded f : frames) {
            for (int off = 0; off < f.data().length; off += maxPayload) {
                int n = Math.min(maxPayload, f.data().length - off);
                boolean last = off + n >= f.data().length;
                byte[] p = new byte[12 + 4 + n];
                header(p, 96, seq++, f.rtpTimestamp(), last, 0x1111);
                p[12] = (byte) (0x80 | (off == 0 ? 0x10 : 0));
                p[13] = (byte) 0x80;
                p[14] = (byte) (0x80 | ((pictureId >>> 8) & 0x7F));
                p[15] = (byte) pictureId;
                System.arraycopy(f.data(), off, p, 16, n);
                out.add(p);
            }
            pictureId = (pictureId + 1) & 0x7FFF;
        }
        return out;
    }

    /** Opus packets, one per RTP packet. */
    public static List<byte[]> packetizeOpus(List<Coded> packets, int firstSeq) {
        List<byte[]> out = new ArrayList<>();
        int seq = firstSeq;
        for (Coded c : packets) {
            byte[] p = new byte[12 + c.data().length];
            header(p, 111, seq++, c.rtpTimestamp(), false, 0x2222);
            System.arraycopy(c.data(), 0, p, 12, c.data().length);
            out.add(p);
        }
        return out;
    }

    static void header(byte[] p, int pt, int seq, long ts, boolean marker, int ssrc) {
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | pt);
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >>> 24);
        p[5] = (byte) (ts >>> 16);
        p[6] = (byte) (ts >>> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
    }

    /** ffprobe's answer for {@code entries} (e.g. {@code stream=codec_name}), one value per line. */
    public static List<String> probe(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error"));
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of("-of", "default=noprint_wrappers=1:nokey=1", file.toString()));
        return Arrays.stream(run(cmd.toArray(String[]::new)).split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Decodes the whole file; returns FFmpeg's error output (empty when every frame decoded cleanly). */
    public static String decodeErrors(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-enc_time_base", "-1",
                "-fps_mode", "passthrough", "-f", "null", "-")   // decoded frames keep their timestamps
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.trim();
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd[0]).isTrue();
        assertThat(p.exitValue()).as("%s exit status", String.join(" ", cmd)).isZero();
        return out;
    }
}
