package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.webm.MediaFixtures;
import dev.rendezvous.recorder.webm.MediaFixtures.Coded;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks as the forwarder writes them (FFmpeg-made VP8 and Opus, cut into RTP, grouped per track into
 * half-second chunks with arrival times) → the assembler → a WebM file per participant that FFmpeg reads,
 * decodes without errors, with audio and video in step.
 */
class RecordingAssemblerTest {

    @TempDir
    static Path media;
    private static List<byte[]> videoPackets;
    private static List<byte[]> audioPackets;

    @TempDir
    Path out;

    @BeforeAll
    static void make() throws Exception {
        MediaFixtures.requireFfmpeg();
        List<Coded> video = MediaFixtures.vp8(media, 3, 15);
        List<Coded> audio = MediaFixtures.opus(media, 3);
        videoPackets = MediaFixtures.packetizeVp8(video, 40_000, 1100);
        audioPackets = MediaFixtures.packetizeOpus(audio, 9_000);
    }

    @Test
    void aParticipantsCameraAndMicrophoneBecomeOneFileInStepThatDecodesWhole() throws Exception {
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), stored::add);
        feed(assembler, interleave(chunks(1, "video", 90_000, videoPackets, 0),
                chunks(2, "audio", 48_000, audioPackets, 0)));

        assertThat(stored).hasSize(1);
        RecordingAssembler.Stored s = stored.get(0);
        assertThat(s.participantId()).isEqualTo("p-1");
        assertThat(s.source()).isEqualTo("camera");
        assertThat(s.file().key()).isEqualTo("rec-1/p-1-camera.webm");
        Path file = out.resolve(s.file().key());
        assertThat(s.file().sizeBytes()).isEqualTo(java.nio.file.Files.size(file));
        assertThat(MediaFixtures.probe(file, "-show_entries", "stream=codec_name")).containsExactly("vp8", "opus");
        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        double duration = Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0));
        assertThat(duration).isBetween(2.85, 3.15);
        List<String> starts = MediaFixtures.probe(file, "-show_entries", "stream=start_time");
        assertThat(Math.abs(Double.parseDouble(starts.get(0)) - Double.parseDouble(starts.get(1))))
                .as("audio and video start together (within 40 ms)").isLessThanOrEqualTo(0.040);
        assertThat(assembler.openFiles()).isZero();
    }

    @Test
    void aCameraTurnedOnLaterStartsLaterInTheSameFile() throws Exception {
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), stored::add);
        feed(assembler, interleave(chunks(1, "video", 90_000, videoPackets, 1_000_000),
                chunks(2, "audio", 48_000, audioPackets, 0)));

        Path file = out.resolve(stored.get(0).file().key());
        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        String videoStart = MediaFixtures.probe(file, "-select_streams", "v:0", "-show_entries", "packet=pts_time",
                "-read_intervals", "%+#1").get(0);
        assertThat(Double.parseDouble(videoStart)).isBetween(0.96, 1.04);
    }

    @Test
    void anUnreadableChunkIsSkippedAndTheRecordingGoesOn() throws Exception {
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), stored::add);
        assembler.accept(new Chunk("rec-1", new byte[] {1, 2, 3}, 0, 0, Instant.now())).block();
        feed(assembler, chunks(2, "audio", 48_000, audioPackets, 0));
        assertThat(assembler.unreadableChunks()).isEqualTo(1);
        assertThat(stored).hasSize(1);
        assertThat(MediaFixtures.decodeErrors(out.resolve(stored.get(0).file().key()))).isEmpty();
    }

    private static List<RecordingChunk> chunks(long trackId, String kind, int clock, List<byte[]> packets, long delayMicros) {
        return ChunkFixtures.chunks("rec-1", "p-1", trackId, kind, clock, packets, delayMicros);
    }

    @SafeVarargs
    private static List<RecordingChunk> interleave(List<RecordingChunk>... tracks) {
        return ChunkFixtures.interleave(tracks);
    }

    private static void feed(RecordingAssembler assembler, List<RecordingChunk> chunks) {
        long offset = 0;
        for (RecordingChunk c : chunks) {
            assembler.accept(new Chunk(c.recordingId(), RecordingChunkCodec.encode(c), 0, offset++, Instant.now())).block();
        }
    }
}
