package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import dev.rendezvous.recorder.kafka.PartitionHolds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Turns the chunks of {@code recording.chunk.captured} into one WebM file per participant and source: the
 * camera with the microphone ({@code <participant>-camera.webm}), the screen ({@code <participant>-screen.webm}).
 * A file is completed once each of its tracks sent its last chunk (the recording stopped); a participant who
 * comes back after that gets a new file ({@code …-camera-2.webm}). Completed files go to {@code stored}.
 *
 * <p>Chunks of one partition come one at a time (the {@link ChunkSink} contract). A chunk that cannot be read is
 * logged and skipped: it must not stop every other recording. A failure to store (S3) or announce fails the
 * chunk: consumption restarts from the partition's safe offset and the open files are rebuilt.
 *
 * <p>Crash safety: every open file and recording holds its partition's committed offset back to its first chunk
 * ({@link PartitionHolds}); after a restart or rebalance the chunks are read again from there and the files
 * rebuilt under the same names (a file whose chunks were all read before and which is already stored is
 * recognised by its origin and not stored twice).
 */
public final class RecordingAssembler implements ChunkSink {

    private static final Logger log = LoggerFactory.getLogger(RecordingAssembler.class);

    /** A file that was completed. */
    public record Stored(String recordingId, String meetingId, String participantId, String source,
                         FileStore.StoredFile file) {}

    private final FileStore store;
    private final Consumer<Stored> stored;
    private final PartitionHolds holds;
    private final Map<String, Map<String, ParticipantFile>> recordings = new HashMap<>();
    /** The partition of each open recording (all its chunks are on one: the key is the recording id). */
    private final Map<String, Integer> partitions = new HashMap<>();
    private long unreadable;
    private long gaps;

    public RecordingAssembler(FileStore store, Consumer<Stored> stored) {
        this(store, new PartitionHolds(), stored);
    }

    /**
     * {@code holds}: each open file ({@code <recordingId>/<name>}) and open recording ({@code <recordingId>}) holds
     * its partition from its first chunk until it is stored; {@code stored} is called for each completed file
     * (before the file's hold is released: an exception from it fails the chunk, see {@link #accept}).
     */
    public RecordingAssembler(FileStore store, PartitionHolds holds, Consumer<Stored> stored) {
        this.store = store;
        this.holds = holds;
        this.stored = stored;
    }

    @Override
    public synchronized Mono<Void> accept(Chunk chunk) {
        RecordingChunk c;
        try {
            c = RecordingChunkCodec.decode(chunk.data());
        } catch (IllegalArgumentException e) {
            unreadable++;
            log.warn("{}: unreadable, skipped: {}", chunk, e.getMessage());
            return Mono.empty();
        }
        try {
            add(c, chunk.partition(), chunk.offset());
        } catch (IOException | UncheckedIOException e) {
            // storage (S3) or announcement failed: consumption restarts from the last safe offset and rebuilds
            return Mono.error(new IOException("recording " + c.recordingId() + ": " + e.getMessage(), e));
        } catch (RuntimeException e) {
            log.warn("recording {}: chunk {} of track {} not used: {}", c.recordingId(), c.sequence(), c.trackId(),
                    e.toString());
        }
        return Mono.empty();
    }

    void add(RecordingChunk c, int partition, long offset) throws IOException {
        String source = "screen".equals(c.source()) ? "screen" : "camera";
        String fileKey = c.participantId() + "/" + source;
        Map<String, ParticipantFile> files = recordings.get(c.recordingId());
        if (files == null) {
            files = new HashMap<>();
            recordings.put(c.recordingId(), files);
            partitions.put(c.recordingId(), partition);
            holds.hold(c.recordingId(), partition, offset);
        }
        ParticipantFile f = files.get(fileKey);
        if (f == null) {
            f = open(c, source, partition, offset);
            files.put(fileKey, f);
            holds.hold(c.recordingId() + "/" + f.name, partition, offset);
        }
        f.add(c);
        if (f.allTracksEnded()) {
            files.remove(fileKey);
            gaps += f.gaps();
            FileStore.StoredFile file = f.finish();
            if (file != null) {
                log.info("recording {}: {} stored ({} bytes)", c.recordingId(), file.key(), file.sizeBytes());
                stored.accept(new Stored(c.recordingId(), c.meetingId(), c.participantId(), source, file));
            }
            holds.release(c.recordingId() + "/" + f.name);
            if (files.isEmpty()) {
                recordings.remove(c.recordingId());
                partitions.remove(c.recordingId());
                holds.release(c.recordingId());
            }
        }
    }

    /**
     * A new file of {@code source}: the first generation name ({@code p-camera.webm}, {@code p-camera-2.webm}, …)
     * that is not stored yet — unless a stored one has this file's origin (its first chunk's partition and offset):
     * then these chunks were read again after a restart, the file is rebuilt without being stored again, and
     * announced again (the metadata store ignores a repeat).
     */
    private ParticipantFile open(RecordingChunk c, String source, int partition, long offset) throws IOException {
        String base = LocalFileStore.safe(c.participantId().isEmpty() ? "track-" + c.trackId() : c.participantId())
                + "-" + source;
        String origin = partition + ":" + offset;
        FileStore.Target target = null;
        String name = null;
        for (int generation = 1; target == null; generation++) {
            name = base + (generation > 1 ? "-" + generation : "") + ".webm";
            Optional<String> existing = store.origin(c.recordingId(), name);
            if (existing.isEmpty()) {
                target = store.create(c.recordingId(), name, origin);
            } else if (existing.get().equals(origin)) {
                log.info("recording {}: {} was stored before a restart; rebuilt to announce it again", c.recordingId(), name);
                target = store.stored(c.recordingId(), name);
            }
        }
        long start = c.baseEpochMicros() > 0 ? c.baseEpochMicros() : System.currentTimeMillis() * 1_000;
        return new ParticipantFile(name, !"screen".equals(source), start, target);
    }

    /**
     * {@code partition} is no longer this recorder's (rebalance, or the consumer restarts): its open files are
     * dropped unfinished (their uploads aborted); whoever consumes it next rebuilds them from the held offset.
     */
    public synchronized void dropPartition(int partition) {
        for (Iterator<Map.Entry<String, Integer>> it = partitions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> e = it.next();
            if (e.getValue() != partition) {
                continue;
            }
            it.remove();
            Map<String, ParticipantFile> files = recordings.remove(e.getKey());
            for (ParticipantFile f : files == null ? List.<ParticipantFile>of() : files.values()) {
                f.abort();
                log.info("recording {}: {} dropped unfinished (partition {} moves); rebuilt by its next owner",
                        e.getKey(), f.name, partition);
            }
        }
    }

    /** Files still being written, over all recordings. */
    public int openFiles() {
        return recordings.values().stream().mapToInt(Map::size).sum();
    }

    public long unreadableChunks() {
        return unreadable;
    }

    /** Gaps in completed files where another forwarder (a restart, a failover) continued a track. */
    public synchronized long gaps() {
        return gaps;
    }

    /** Completes every open file (shutdown); what is missing stays missing. */
    public void finishAll() {
        for (Iterator<Map.Entry<String, Map<String, ParticipantFile>>> it = recordings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<String, ParticipantFile>> e = it.next();
            for (ParticipantFile f : e.getValue().values()) {
                try {
                    f.finish();
                } catch (IOException | RuntimeException ex) {
                    log.warn("recording {}: {} not completed: {}", e.getKey(), f.name, ex.toString());
                }
            }
            it.remove();
        }
    }
}
