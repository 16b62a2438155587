package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.rtp.H264Sps;
import dev.rendezvous.recorder.webm.CodecFixtures;
import dev.rendezvous.recorder.webm.CodecFixtures.AccessUnit;
import dev.rendezvous.recorder.webm.MediaFixtures;
import dev.rendezvous.recorder.webm.MediaFixtures.Coded;
import dev.rendezvous.recorder.webm.WebmWriter;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real VP9 and H.264 from FFmpeg (with Opus alongside), cut into RTP as browsers send them, grouped into chunks
 * as the forwarder writes them, through the assembler into a file per participant, which FFmpeg must read as
 * that codec at its size, decode without an error from a first keyframe, with every frame and audio in step.
 */
class VideoCodecRecordingTest {

    private static final int SECONDS = 3;
    private static final int GOP = 15; // a keyframe every second at 15 fps
    private static final int FRAMES = SECONDS * 15;
    /** What a producer's chunks carry: every video codec the forwarder accepts, by payload type. */
    private static final Map<Integer, String> VIDEO_CODECS = Map.of(96, "VP8", CodecFixtures.VP9_PT, "VP9",
            CodecFixtures.H264_PT, "H264");

    enum Format {
        VP9("vp9", "webm"), VP9_FLEXIBLE("vp9", "webm"), H264("h264", "matroska");

        final String ffprobeName;
        final String docType;

        Format(String ffprobeName, String docType) {
            this.ffprobeName = ffprobeName;
            this.docType = docType;
        }
    }

    @TempDir
    static Path media;
    private static List<Coded> vp9;
    private static List<AccessUnit> h264;
    private static List<Coded> opus;

    @TempDir
    Path out;

    @BeforeAll
    static void make() throws Exception {
        MediaFixtures.requireFfmpeg();
        vp9 = CodecFixtures.vp9(media, SECONDS, GOP);
        h264 = CodecFixtures.h264(media, SECONDS, GOP);
        opus = MediaFixtures.opus(media, SECONDS);
        assertThat(vp9).hasSize(FRAMES);
        assertThat(h264).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(vp9.get(i).keyframe()).as("VP9 frame %d", i).isEqualTo(i % GOP == 0);
            assertThat(h264.get(i).keyframe()).as("H.264 access unit %d", i).isEqualTo(i % GOP == 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void packetsInOrderGiveAFileOfThatCodecWithEveryFrameDecodedAndAudioInStep(Format format) throws Exception {
        Path file = record(format, packets(format, 1_000, 0), MediaFixtures.packetizeOpus(opus, 5_000));

        assertThat(file.getFileName().toString()).isEqualTo("p-1-camera.webm");
        assertThat(MediaFixtures.probe(file, "-show_entries", "stream=codec_name"))
                .containsExactly(format.ffprobeName, "opus");
        assertThat(docType(file)).isEqualTo(format.docType);
        assertThat(MediaFixtures.probe(file, "-show_entries", "stream=width,height", "-select_streams", "v:0"))
                .containsExactly(String.valueOf(CodecFixtures.WIDTH), String.valueOf(CodecFixtures.HEIGHT));
        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        assertThat(MediaFixtures.probe(file, "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames")).containsExactly(String.valueOf(FRAMES));
        assertThat(firstVideoPacket(file, "flags")).as("starts on a keyframe").startsWith("K");
        double duration = Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0));
        assertThat(duration).isBetween(SECONDS - 0.15, SECONDS + 0.15);
        assertInStep(file, 0.0);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void reorderingLossAndSequenceAndTimestampWrapStillGiveAFileThatStartsOnAKeyframeAndDecodesCleanly(Format format)
            throws Exception {
        long tsOffset = 0xFFFF_FFFFL - 45_000; // the video clock wraps half a second in
        List<byte[]> video = new ArrayList<>(packets(format, 65_500, tsOffset));
        video.remove(firstPacketOf(video, timestampOf(format, 0) + tsOffset) + 1); // inside the first keyframe
        int lostFrame = GOP + 4;
        video.remove(firstPacketOf(video, timestampOf(format, lostFrame) + tsOffset)); // a delta frame's start
        List<byte[]> shuffled = shuffleWithinWindows(video, 5, new Random(11));
        List<Coded> shiftedAudio = opus.stream()
                .map(c -> new Coded((c.rtpTimestamp() + 0xFFFF_FFFFL - 24_000) & 0xFFFF_FFFFL, true, c.data()))
                .toList();
        Path file = record(format, shuffled, MediaFixtures.packetizeOpus(shiftedAudio, 65_530));

        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        assertThat(firstVideoPacket(file, "flags")).as("starts on a keyframe").startsWith("K");
        int expected = (lostFrame - GOP) + GOP; // frames 15..18, then 30..44
        assertThat(MediaFixtures.probe(file, "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames")).containsExactly(String.valueOf(expected));
        assertThat(Double.parseDouble(firstVideoPacket(file, "pts_time")))
                .as("the second keyframe keeps its place, a second in").isBetween(0.96, 1.04);
        double duration = Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0));
        assertThat(duration).isBetween(SECONDS - 0.15, SECONDS + 0.15);
        assertInStep(file, 1.0);
    }

    @Test
    void anH264FileWhoseAvcCHasNoParameterSetsDecodesFromTheInBandOnes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WebmWriter w = new WebmWriter(bytes, new WebmWriter.Video(WebmWriter.VideoCodec.AVC, 640, 480,
                H264Sps.avcC(null, null)), null);
        for (AccessUnit u : h264) {
            ByteArrayOutputStream sample = new ByteArrayOutputStream();
            for (byte[] n : u.nals()) {
                sample.write(new byte[] {(byte) (n.length >>> 24), (byte) (n.length >>> 16), (byte) (n.length >>> 8),
                        (byte) n.length});
                sample.write(n);
            }
            byte[] s = sample.toByteArray();
            w.video(u.rtpTimestamp() / 90, u.keyframe(), s, 0, s.length);
        }
        w.close();
        byte[] b = bytes.toByteArray();
        WebmWriter.patchDuration(b, w.durationOffset(), w.lastTimeMs() + 66);
        Path file = out.resolve("in-band.mkv");
        Files.write(file, b);

        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        assertThat(MediaFixtures.probe(file, "-show_entries", "stream=width,height", "-select_streams", "v:0"))
                .containsExactly(String.valueOf(CodecFixtures.WIDTH), String.valueOf(CodecFixtures.HEIGHT));
        assertThat(MediaFixtures.probe(file, "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames")).containsExactly(String.valueOf(FRAMES));
    }

    private static List<byte[]> packets(Format format, int firstSeq, long tsOffset) {
        return switch (format) {
            case VP9 -> CodecFixtures.packetizeVp9(vp9, firstSeq, tsOffset, 1_100, false);
            case VP9_FLEXIBLE -> CodecFixtures.packetizeVp9(vp9, firstSeq, tsOffset, 1_100, true);
            case H264 -> CodecFixtures.packetizeH264(h264, firstSeq, tsOffset, 1_100);
        };
    }

    private static long timestampOf(Format format, int frame) {
        return format == Format.H264 ? h264.get(frame).rtpTimestamp() : vp9.get(frame).rtpTimestamp();
    }

    private Path record(Format format, List<byte[]> video, List<byte[]> audio) throws Exception {
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), stored::add);
        List<RecordingChunk> chunks = ChunkFixtures.interleave(
                ChunkFixtures.chunks("rec-1", "p-1", 1, "video", 90_000, video, 0, VIDEO_CODECS),
                ChunkFixtures.chunks("rec-1", "p-1", 2, "audio", 48_000, audio, 0));
        long offset = 0;
        for (RecordingChunk c : chunks) {
            assembler.accept(new Chunk(c.recordingId(), RecordingChunkCodec.encode(c), 0, offset++, Instant.now())).block();
        }
        assertThat(stored).as(format + ": one file").hasSize(1);
        return out.resolve(stored.get(0).file().key());
    }

    /** Audio and video start within 40 ms of their places ({@code videoStart} s in for video, 0 for audio). */
    private static void assertInStep(Path file, double videoStart) throws Exception {
        double video = Double.parseDouble(firstVideoPacket(file, "pts_time"));
        double audio = Double.parseDouble(MediaFixtures.probe(file, "-select_streams", "a:0", "-show_entries",
                "packet=pts_time", "-read_intervals", "%+#1").get(0));
        assertThat(Math.abs((video - videoStart) - audio)).as("A/V offset").isLessThanOrEqualTo(0.040);
        List<String> videoTimes = MediaFixtures.probe(file, "-select_streams", "v:0", "-show_entries",
                "packet=pts_time");
        double last = Double.parseDouble(videoTimes.get(videoTimes.size() - 1));
        assertThat(last - audio).as("the last frame at its media time").isBetween((FRAMES - 1) / 15.0 - 0.040,
                (FRAMES - 1) / 15.0 + 0.040);
    }

    private static String firstVideoPacket(Path file, String entry) throws Exception {
        return MediaFixtures.probe(file, "-select_streams", "v:0", "-show_entries", "packet=" + entry,
                "-read_intervals", "%+#1").get(0);
    }

    private static String docType(Path file) throws Exception {
        String head = new String(Files.readAllBytes(file), 0, 64, StandardCharsets.ISO_8859_1);
        return head.contains("matroska") ? "matroska" : head.contains("webm") ? "webm" : "?";
    }

    private static long timestamp(byte[] rtp) {
        return ((rtp[4] & 0xFFL) << 24) | ((rtp[5] & 0xFFL) << 16) | ((rtp[6] & 0xFFL) << 8) | (rtp[7] & 0xFFL);
    }

    private static int firstPacketOf(List<byte[]> packets, long ts) {
        for (int i = 0; i < packets.size(); i++) {
            if (timestamp(packets.get(i)) == (ts & 0xFFFF_FFFFL)) {
                return i;
            }
        }
        throw new AssertionError("no packet with timestamp " + ts);
    }

    private static List<byte[]> shuffleWithinWindows(List<byte[]> in, int window, Random random) {
        List<byte[]> result = new ArrayList<>();
        for (int i = 0; i < in.size(); i += window) {
            List<byte[]> w = new ArrayList<>(in.subList(i, Math.min(in.size(), i + window)));
            Collections.shuffle(w, random);
            result.addAll(w);
        }
        return result;
    }
}
