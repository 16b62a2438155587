package dev.rendezvous.recorder.webm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.rtp.ReorderBuffer;
import dev.rendezvous.recorder.rtp.Vp8Depacketizer;
import dev.rendezvous.recorder.webm.MediaFixtures.Coded;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real VP8 and Opus from FFmpeg, cut into RTP packets as a browser sends them, through the recorder's reorder
 * buffer and depacketiser into a WebM file, which FFmpeg must then read and decode without a single error.
 */
class WebmRoundTripTest {

    private static final int SECONDS = 3;
    private static final int GOP = 15; // a keyframe every second at 15 fps

    @TempDir
    static Path dir;
    private static List<Coded> video;
    private static List<Coded> audio;

    @BeforeAll
    static void media() throws Exception {
        MediaFixtures.requireFfmpeg();
        video = MediaFixtures.vp8(dir, SECONDS, GOP);
        audio = MediaFixtures.opus(dir, SECONDS);
        assertThat(video).hasSize(SECONDS * 15);
        assertThat(video.get(0).keyframe()).isTrue();
        assertThat(audio.size()).isBetween(SECONDS * 50 - 2, SECONDS * 50 + 2);
    }

    @Test
    void packetsInOrderGiveAFileThatDecodesWholeWithBothTracksAndTheRightDuration() throws Exception {
        Result r = record(MediaFixtures.packetizeVp8(video, 1000, 1100), MediaFixtures.packetizeOpus(audio, 5000), "clean.webm");

        assertThat(r.framesOut).isEqualTo(video.size());
        assertThat(MediaFixtures.probe(r.file, "-show_entries", "stream=codec_name")).containsExactly("vp8", "opus");
        assertThat(MediaFixtures.probe(r.file, "-show_entries", "stream=width,height", "-select_streams", "v:0"))
                .containsExactly("320", "240");
        double duration = Double.parseDouble(MediaFixtures.probe(r.file, "-show_entries", "format=duration").get(0));
        assertThat(duration).isBetween(SECONDS - 0.15, SECONDS + 0.15);
        assertThat(MediaFixtures.decodeErrors(r.file)).isEmpty();
        assertThat(MediaFixtures.probe(r.file, "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames")).containsExactly(String.valueOf(video.size()));
    }

    @Test
    void reorderedAndDuplicatedPacketsAcrossTheSequenceWrapGiveTheSameFrames() throws Exception {
        List<byte[]> v = MediaFixtures.packetizeVp8(video, 65_500, 1100); // wraps past 65535
        List<byte[]> shuffled = shuffleWithinWindows(v, 6, new Random(7));
        shuffled.add(40, shuffled.get(10)); // a duplicate, late
        Result r = record(shuffled, MediaFixtures.packetizeOpus(audio, 65_530), "reordered.webm");

        assertThat(r.framesOut).isEqualTo(video.size());
        assertThat(r.video.lost()).isZero();
        assertThat(r.video.dropped()).isEqualTo(1);
        assertThat(MediaFixtures.decodeErrors(r.file)).isEmpty();
    }

    @Test
    void aLostPacketDropsFramesUntilTheNextKeyframeAndTheFileStillDecodesCleanly() throws Exception {
        List<byte[]> v = new ArrayList<>(MediaFixtures.packetizeVp8(video, 0, 1100));
        int frame = GOP + 3; // a delta frame in the second group of pictures
        int seqOfFrame = firstPacketOf(v, video.get(frame).rtpTimestamp());
        v.remove(seqOfFrame);
        Result r = record(v, MediaFixtures.packetizeOpus(audio, 0), "lossy.webm");

        int lostFrames = 2 * GOP - frame; // frame 18 .. 29: up to the keyframe at 30
        assertThat(r.framesOut).isEqualTo(video.size() - lostFrames);
        assertThat(r.depacketizer.framesDropped()).isEqualTo(lostFrames);
        assertThat(r.video.lost()).isEqualTo(1);
        assertThat(MediaFixtures.decodeErrors(r.file)).isEmpty();
        double duration = Double.parseDouble(MediaFixtures.probe(r.file, "-show_entries", "format=duration").get(0));
        assertThat(duration).as("the gap keeps its place in time").isBetween(SECONDS - 0.15, SECONDS + 0.15);
    }

    private record Block(long timeMs, boolean video, boolean keyframe, byte[] data) {}

    private static final class Result {
        Path file;
        long framesOut;
        ReorderBuffer video;
        Vp8Depacketizer depacketizer;
    }

    private static Result record(List<byte[]> videoPackets, List<byte[]> audioPackets, String name) throws Exception {
        List<Block> blocks = new ArrayList<>();
        long[] firstVideoTs = {-1};
        Vp8Depacketizer vp8 = new Vp8Depacketizer((ts, key, f, len, w, h) -> {
            if (firstVideoTs[0] < 0) {
                firstVideoTs[0] = ts;
            }
            blocks.add(new Block((ts - firstVideoTs[0]) / 90, true, key, Arrays.copyOf(f, len)));
        });
        ReorderBuffer v = new ReorderBuffer(512, 300, (rtp, len, arrival, lost) ->
                vp8.push(rtp, 12, len - 12, timestamp(rtp), (rtp[1] & 0x80) != 0, lost));
        long[] firstAudioTs = {-1};
        ReorderBuffer a = new ReorderBuffer(512, 300, (rtp, len, arrival, lost) -> {
            long ts = timestamp(rtp);
            if (firstAudioTs[0] < 0) {
                firstAudioTs[0] = ts;
            }
            blocks.add(new Block((ts - firstAudioTs[0]) / 48, false, true, Arrays.copyOfRange(rtp, 12, len)));
        });
        long arrival = 0;
        for (byte[] p : videoPackets) {
            v.push(p, 0, p.length, arrival++);
        }
        for (byte[] p : audioPackets) {
            a.push(p, 0, p.length, arrival++);
        }
        v.flush();
        a.flush();
        blocks.sort(Comparator.comparingLong(Block::timeMs));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebmWriter w = new WebmWriter(out, new WebmWriter.Video(320, 240), new WebmWriter.Audio(1));
        for (Block b : blocks) {
            if (b.video()) {
                w.video(b.timeMs(), b.keyframe(), b.data(), 0, b.data().length);
            } else {
                w.audio(b.timeMs(), b.data(), 0, b.data().length);
            }
        }
        w.close();
        byte[] file = out.toByteArray();
        WebmWriter.patchDuration(file, w.durationOffset(), w.lastTimeMs() + 20);
        Result r = new Result();
        r.file = dir.resolve(name);
        Files.write(r.file, file);
        r.framesOut = vp8.framesOut();
        r.video = v;
        r.depacketizer = vp8;
        assertThat(w.clampedBlocks()).isZero();
        return r;
    }

    private static long timestamp(byte[] rtp) {
        return ((rtp[4] & 0xFFL) << 24) | ((rtp[5] & 0xFFL) << 16) | ((rtp[6] & 0xFFL) << 8) | (rtp[7] & 0xFFL);
    }

    private static int firstPacketOf(List<byte[]> packets, long ts) {
        for (int i = 0; i < packets.size(); i++) {
            if (timestamp(packets.get(i)) == ts) {
                return i;
            }
        }
        throw new AssertionError("no packet with timestamp " + ts);
    }

    private static List<byte[]> shuffleWithinWindows(List<byte[]> in, int window, Random random) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i += window) {
            List<byte[]> w = new ArrayList<>(in.subList(i, Math.min(in.size(), i + window)));
            Collections.shuffle(w, random);
            out.addAll(w);
        }
        return out;
    }
}
