package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.webm.MediaFixtures;
import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * When a recording counts as finished: after its end marker once every file is complete (not before, and
 * once), or — without a marker — after the idle time with no open file. The marker is no media.
 */
class RecordingFinishTest {

    @TempDir
    static Path media;
    private static List<byte[]> audioPackets;

    @TempDir
    Path out;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T12:00:00Z"));
    private final List<RecordingAssembler.Finished> finished = new ArrayList<>();
    private final List<RecordingAssembler.Stored> stored = new ArrayList<>();

    @BeforeAll
    static void make() throws Exception {
        MediaFixtures.requireFfmpeg();
        audioPackets = MediaFixtures.packetizeOpus(MediaFixtures.opus(media, 2), 9_000);
    }

    @Test
    void theMarkerFinishesTheRecordingOnceWithEveryFileOnlyAfterTheLastFileIsComplete() {
        RecordingAssembler assembler = assembler();
        List<RecordingChunk> p1 = ChunkFixtures.chunks("rec-1", "p-1", 1, "audio", 48_000, audioPackets, 0);
        List<RecordingChunk> p2 = ChunkFixtures.chunks("rec-1", "p-2", 2, "audio", 48_000, audioPackets, 500_000);
        feed(assembler, p1);
        feed(assembler, p2.subList(0, p2.size() - 1)); // p-2's file is still open
        feed(assembler, List.of(marker("rec-1")));
        assertThat(stored).hasSize(1);
        assertThat(finished).as("p-2's file is not complete yet").isEmpty();

        feed(assembler, List.of(p2.get(p2.size() - 1)));
        assertThat(finished).hasSize(1);
        RecordingAssembler.Finished f = finished.get(0);
        assertThat(f.recordingId()).isEqualTo("rec-1");
        assertThat(f.meetingId()).isEqualTo("m-1");
        assertThat(f.files()).extracting(RecordingAssembler.Stored::participantId).containsExactly("p-1", "p-2");
        assertThat(f.files().get(1).startEpochMicros() - f.files().get(0).startEpochMicros())
                .as("each file's start, to align them").isEqualTo(500_000);
        assertThat(f.files().get(0).startEpochMicros()).isEqualTo(ChunkFixtures.T0);
        assertThat(assembler.openFiles()).isZero();

        feed(assembler, List.of(marker("rec-1"))); // delivered again
        clock.advance(Duration.ofMinutes(5));
        assertThat(assembler.expireIdle()).isZero();
        assertThat(finished).as("once").hasSize(1);
        assertThat(stored).as("the marker made no file").hasSize(2);
    }

    @Test
    void withoutMarkerARecordingWithNoOpenFileIsFinishedAfterTheIdleTime() {
        RecordingAssembler assembler = assembler();
        feed(assembler, ChunkFixtures.chunks("rec-2", "p-1", 1, "audio", 48_000, audioPackets, 0));
        assertThat(stored).hasSize(1);
        assertThat(finished).as("a participant left; others may come").isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(assembler.expireIdle()).isZero();

        clock.advance(Duration.ofSeconds(2));
        assertThat(assembler.expireIdle()).isEqualTo(1);
        assertThat(finished).hasSize(1);
        assertThat(finished.get(0).files()).hasSize(1);
        assertThat(assembler.expireIdle()).isZero();
    }

    @Test
    void anOpenFileKeepsAnIdleRecordingUnfinished() {
        RecordingAssembler assembler = assembler();
        List<RecordingChunk> p1 = ChunkFixtures.chunks("rec-3", "p-1", 1, "audio", 48_000, audioPackets, 0);
        feed(assembler, p1.subList(0, 2));
        clock.advance(Duration.ofMinutes(10));
        assertThat(assembler.expireIdle()).isZero();
        assertThat(finished).isEmpty();
        assertThat(assembler.openFiles()).isEqualTo(1);
    }

    private RecordingAssembler assembler() {
        return new RecordingAssembler(new LocalFileStore(out), stored::add, f -> {
            finished.add(f);
            return Mono.empty();
        }, Duration.ofSeconds(60), clock);
    }

    static RecordingChunk marker(String recordingId) {
        return new RecordingChunk(recordingId, "m-1", "fw-1", RecordingChunk.END_TRACK_ID, "", "",
                RecordingChunk.END_KIND, 0, Map.of(), 0, true, ChunkFixtures.T0 + 10_000_000, List.of());
    }

    private static void feed(RecordingAssembler assembler, List<RecordingChunk> chunks) {
        for (RecordingChunk c : chunks) {
            assembler.accept(new Chunk(c.recordingId(), RecordingChunkCodec.encode(c), 0, 0, Instant.now())).block();
        }
    }

    /** A clock the test moves. */
}
