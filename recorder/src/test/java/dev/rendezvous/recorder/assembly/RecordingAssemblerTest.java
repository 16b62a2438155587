package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.kafka.PartitionHolds;
import dev.rendezvous.recorder.webm.MediaFixtures;
import dev.rendezvous.recorder.webm.MediaFixtures.Coded;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Test
    void aRecorderKilledMidFileRebuildsItFromTheHeldOffsetUnderTheSameName() throws Exception {
        List<RecordingChunk> all = interleave(chunks(1, "video", 90_000, videoPackets, 0),
                chunks(2, "audio", 48_000, audioPackets, 0));
        PartitionHolds before = new PartitionHolds();
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler killed = new RecordingAssembler(new LocalFileStore(out), before, stored::add);
        feed(killed, before, all, 0, all.size() / 2);
        assertThat(stored).isEmpty();
        assertThat(before.safeOffset(0)).as("held at the file's first chunk").hasValue(0);

        // a new owner reads again from the committed offset, into the same store
        PartitionHolds after = new PartitionHolds();
        RecordingAssembler next = new RecordingAssembler(new LocalFileStore(out), after, stored::add);
        feed(next, after, all, (int) before.safeOffset(0).orElseThrow(), all.size());
        assertThat(stored).extracting(st -> st.file().key()).containsExactly("rec-1/p-1-camera.webm");
        Path file = out.resolve(stored.get(0).file().key());
        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        assertThat(Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0)))
                .isBetween(2.85, 3.15);
    }

    @Test
    void theRecordingHoldsItsPartitionUntilTheWorkAfterItsEndIsDurableEvenWhenThatFails() throws Exception {
        List<RecordingChunk> all = new ArrayList<>(interleave(chunks(1, "video", 90_000, videoPackets, 0),
                chunks(2, "audio", 48_000, audioPackets, 0)));
        all.add(new RecordingChunk("rec-1", "m-1", "fw-1", RecordingChunk.END_TRACK_ID, "", "", RecordingChunk.END_KIND,
                0, Map.of(), 0, true, 0, List.of()));
        PartitionHolds holds = new PartitionHolds();
        reactor.core.publisher.Sinks.Empty<Void> composite = reactor.core.publisher.Sinks.empty();
        List<RecordingAssembler.Finished> finished = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), holds, st -> { }, f -> {
            finished.add(f);
            return composite.asMono();
        }, java.time.Duration.ofSeconds(60), java.time.Clock.systemUTC());
        feed(assembler, holds, all, 0, all.size());
        assertThat(finished).hasSize(1);
        assertThat(finished.get(0).files()).hasSize(1);
        assertThat(holds.safeOffset(0)).as("the composite is not stored yet: a crash now must make it again").hasValue(0);
        composite.tryEmitError(new java.io.IOException("the composite failed"));
        assertThat(holds.safeOffset(0)).as("a failed composite does not stop the partition").hasValue(all.size());
    }

    @Test
    void aStoredFileReadAgainIsAnnouncedAgainButNotRewrittenAndANewFileGetsTheNextName() throws Exception {
        List<RecordingChunk> all = new ArrayList<>(interleave(chunks(1, "video", 90_000, videoPackets, 0),
                chunks(2, "audio", 48_000, audioPackets, 0)));
        PartitionHolds holds = new PartitionHolds();
        List<RecordingAssembler.Stored> first = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), holds, first::add);
        feed(assembler, holds, all, 0, all.size());
        assertThat(first).hasSize(1);
        assertThat(holds.safeOffset(0)).as("the file is stored, but the recording (its composite) still holds")
                .hasValue(0);
        // the recording's end marker: finished (the work after the end completes at once here), nothing held
        all.add(new RecordingChunk("rec-1", "m-1", "fw-1", RecordingChunk.END_TRACK_ID, "", "", RecordingChunk.END_KIND,
                0, Map.of(), 0, true, 0, List.of()));
        feed(assembler, holds, all, all.size() - 1, all.size());
        assertThat(holds.safeOffset(0)).as("nothing open: all committable").hasValue(all.size());
        Path file = out.resolve("rec-1/p-1-camera.webm");
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.attribute.FileTime written = java.nio.file.Files.getLastModifiedTime(file);

        // the commit was lost (killed right after the upload): the same chunks at the same offsets again
        List<RecordingAssembler.Stored> again = new ArrayList<>();
        PartitionHolds holdsAgain = new PartitionHolds();
        feed(new RecordingAssembler(new LocalFileStore(out), holdsAgain, again::add), holdsAgain, all, 0, all.size());
        assertThat(again).hasSize(1);
        assertThat(again.get(0).file()).isEqualTo(first.get(0).file());
        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(java.nio.file.Files.getLastModifiedTime(file)).isEqualTo(written);

        // the same participant recorded again later (other offsets): a second file beside the first
        List<RecordingAssembler.Stored> later = new ArrayList<>();
        RecordingAssembler a = new RecordingAssembler(new LocalFileStore(out), new PartitionHolds(), later::add);
        long offset = 1_000;
        for (RecordingChunk c : all) {
            a.accept(new Chunk(c.recordingId(), RecordingChunkCodec.encode(c), 0, offset++, Instant.now())).block();
        }
        assertThat(later).extracting(st -> st.file().key()).containsExactly("rec-1/p-1-camera-2.webm");
    }

    @Test
    void aDroppedPartitionsOpenFilesAreAbortedAndReleaseNothing() throws Exception {
        List<RecordingChunk> all = chunks(2, "audio", 48_000, audioPackets, 0);
        PartitionHolds holds = new PartitionHolds();
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), holds, stored::add);
        feed(assembler, holds, all, 0, all.size() - 1);
        assertThat(assembler.openFiles()).isEqualTo(1);
        assertThat(holds.held("rec-1")).isTrue();
        assembler.dropPartition(1);   // not this recording's
        assertThat(assembler.openFiles()).isEqualTo(1);
        assembler.dropPartition(0);
        assertThat(assembler.openFiles()).isZero();
        assertThat(stored).isEmpty();
        assertThat(out.resolve("rec-1/p-1-camera.webm")).doesNotExist();
        assertThat(holds.held("rec-1")).as("the consumer drops the holds, not the assembler").isTrue();
    }

    @Test
    void aForwarderRestartMidRecordingLeavesAGapInOneCompletePlayableFile() throws Exception {
        List<RecordingChunk> all = interleave(chunks(1, "video", 90_000, videoPackets, 0),
                chunks(2, "audio", 48_000, audioPackets, 0));
        int half = all.size() / 2;
        List<RecordingChunk> fed = new ArrayList<>(all.subList(0, half)); // fw-1 dies: its tracks never end
        java.util.Map<Long, Long> sequences = new java.util.HashMap<>();
        for (RecordingChunk c : all.subList(half, all.size())) {
            // fw-2 continues 1 s later, with its own track ids, chunk numbers, RTP sequence numbers and timestamps
            List<RecordingChunk.Packet> packets = new ArrayList<>();
            for (RecordingChunk.Packet p : c.packets()) {
                byte[] rtp = p.rtp().clone();
                int seq = (((rtp[2] & 0xFF) << 8) | (rtp[3] & 0xFF)) + 20_000;
                long ts = ((rtp[4] & 0xFFL) << 24 | (rtp[5] & 0xFFL) << 16 | (rtp[6] & 0xFFL) << 8 | (rtp[7] & 0xFFL)) - 400_000;
                rtp[2] = (byte) (seq >> 8);
                rtp[3] = (byte) seq;
                rtp[4] = (byte) (ts >> 24);
                rtp[5] = (byte) (ts >> 16);
                rtp[6] = (byte) (ts >> 8);
                rtp[7] = (byte) ts;
                packets.add(new RecordingChunk.Packet(p.arrivalOffsetMicros(), rtp));
            }
            long sequence = sequences.merge(c.trackId(), 1L, Long::sum) - 1;
            fed.add(new RecordingChunk(c.recordingId(), c.meetingId(), "fw-2", c.trackId() + 10, c.participantId(),
                    c.source(), c.kind(), c.clockRate(), c.codecs(), sequence, c.last(), c.baseEpochMicros() + 1_000_000,
                    packets));
        }
        List<RecordingAssembler.Stored> stored = new ArrayList<>();
        RecordingAssembler assembler = new RecordingAssembler(new LocalFileStore(out), stored::add);
        feed(assembler, fed);

        assertThat(stored).as("one file, completed though fw-1's tracks never ended").hasSize(1);
        assertThat(assembler.gaps()).isEqualTo(2);
        Path file = out.resolve(stored.get(0).file().key());
        assertThat(MediaFixtures.decodeErrors(file)).isEmpty();
        assertThat(Double.parseDouble(MediaFixtures.probe(file, "-show_entries", "format=duration").get(0)))
                .as("3 s of media and the 1 s outage").isBetween(3.85, 4.15);
        for (String stream : List.of("v:0", "a:0")) {
            List<Double> pts = MediaFixtures.probe(file, "-select_streams", stream, "-show_entries", "packet=pts_time")
                    .stream().map(Double::parseDouble).toList();
            assertThat(pts).as("%s times never go back", stream).isSorted();
            assertThat(pts.get(pts.size() - 1)).as("%s goes on after the gap", stream).isGreaterThan(3.5);
        }
    }

    /** Chunks {@code from}..{@code to - 1} at offsets of their index in partition 0, marked processed as the consumer does. */
    private static void feed(RecordingAssembler assembler, PartitionHolds holds, List<RecordingChunk> chunks, int from,
                             int to) {
        for (int i = from; i < to; i++) {
            RecordingChunk c = chunks.get(i);
            assembler.accept(new Chunk(c.recordingId(), RecordingChunkCodec.encode(c), 0, i, Instant.now())).block();
            holds.processed(0, i);
        }
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
