package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.recorder.kafka.PartitionHolds;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Turns the chunks of {@code recording.chunk.captured} into one WebM file per participant and source: the
 * camera with the microphone ({@code <participant>-camera.webm}), the screen ({@code <participant>-screen.webm}).
 * A file is completed once each of its tracks sent its last chunk (the recording stopped); a participant who
 * comes back after that gets a new file ({@code …-camera-2.webm}). Completed files go to {@code stored}.
 *
 * <p>A recording is <em>finished</em> once its end marker ({@link RecordingChunk#isEnd()}) came and every file of
 * it is completed — or, when no marker ever comes (the forwarder died), once it has no open file and received
 * no chunk for the idle time ({@link #expireIdle()}, called by a timer). Then {@code finished} gets every file
 * it stored (the composite is made from them); its Mono completes when that work is durable.
 *
 * <p>Crash safety: every open file ({@code <recordingId>/<name>}) holds its partition's committed offset back to
 * its first chunk, and every recording ({@code <recordingId>}) holds it back to the recording's first chunk until
 * it is finished and {@code finished}'s work is done ({@link PartitionHolds}). After a restart or rebalance the
 * chunks are read again from there and the files rebuilt under the same names (a file whose chunks were all read
 * before and which is already stored is recognised by its origin and not stored twice), and the finished work is
 * done again.
 *
 * <p>Chunks come one at a time (the {@link ChunkSink} contract); the idle timer is the only other caller, hence
 * the monitor. A chunk that cannot be read is logged and skipped: it must not stop every other recording. A
 * failure to store (S3) or announce fails the chunk: consumption restarts from the partition's safe offset and the
 * open files are rebuilt.
 */
public final class RecordingAssembler implements ChunkSink {

    private static final Logger log = LoggerFactory.getLogger(RecordingAssembler.class);

    /** A file that was completed; {@code startEpochMicros}: wall-clock time of its time 0 (its first media). */
    public record Stored(String recordingId, String meetingId, String participantId, String source,
                         FileStore.StoredFile file, long startEpochMicros) {}

    /** A recording that ended, with every file it stored (in the order they were completed). */
    public record Finished(String recordingId, String meetingId, List<Stored> files) {
        public Finished {
            files = List.copyOf(files);
        }
    }

    /** The default idle time after which a recording without open files and without marker is finished. */
    public static final Duration DEFAULT_FINISH_IDLE = Duration.ofSeconds(60);

    /** One recording's state. */
    private static final class Recording {
        final String meetingId;
        final int partition;
        final Map<String, ParticipantFile> open = new HashMap<>();
        final List<Stored> stored = new ArrayList<>();
        boolean ended;
        long lastChunkMillis;

        Recording(String meetingId, int partition) {
            this.meetingId = meetingId;
            this.partition = partition;
        }
    }

    private final FileStore store;
    private final PartitionHolds holds;
    private final Consumer<Stored> stored;
    private final Function<Finished, Mono<Void>> finished;
    private final Duration finishIdle;
    private final Clock clock;
    private final Map<String, Recording> recordings = new HashMap<>();
    private long unreadable;
    private long gaps;

    public RecordingAssembler(FileStore store, Consumer<Stored> stored) {
        this(store, new PartitionHolds(), stored);
    }

    public RecordingAssembler(FileStore store, PartitionHolds holds, Consumer<Stored> stored) {
        this(store, holds, stored, f -> Mono.empty(), DEFAULT_FINISH_IDLE, Clock.systemUTC());
    }

    public RecordingAssembler(FileStore store, Consumer<Stored> stored, Function<Finished, Mono<Void>> finished,
                              Duration finishIdle, Clock clock) {
        this(store, new PartitionHolds(), stored, finished, finishIdle, clock);
    }

    /**
     * @param holds      what each open file and recording holds its partition's committed offset back to
     * @param stored     called for each completed file, before the file's hold is released: an exception from it
     *                   fails the chunk (see {@link #accept})
     * @param finished   called once per finished recording; its Mono is subscribed to here (not on the chunk
     *                   path) and should complete once what it makes is durable: the recording's hold is released
     *                   then (also when it fails: a failure it cannot recover from must not stop the partition)
     * @param finishIdle how long a recording without open files and without end marker waits for more chunks
     */
    public RecordingAssembler(FileStore store, PartitionHolds holds, Consumer<Stored> stored,
                              Function<Finished, Mono<Void>> finished, Duration finishIdle, Clock clock) {
        this.store = store;
        this.holds = holds;
        this.stored = stored;
        this.finished = finished;
        this.finishIdle = finishIdle;
        this.clock = clock;
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
        if (c.isEnd()) { // not media: no file for it
            Recording rec = recordings.get(c.recordingId());
            if (rec == null) {
                log.info("recording {}: end marker for nothing open (finished already, or no media)", c.recordingId());
                return;
            }
            rec.ended = true;
            rec.lastChunkMillis = clock.millis();
            log.info("recording {}: end marker ({} files open)", c.recordingId(), rec.open.size());
            finishIfDone(c.recordingId(), rec);
            return;
        }
        Recording rec = recordings.get(c.recordingId());
        if (rec == null) {
            rec = new Recording(c.meetingId(), partition);
            recordings.put(c.recordingId(), rec);
            holds.hold(c.recordingId(), partition, offset);
        }
        rec.lastChunkMillis = clock.millis();
        String source = "screen".equals(c.source()) ? "screen" : "camera";
        String fileKey = c.participantId() + "/" + source;
        ParticipantFile f = rec.open.get(fileKey);
        if (f == null) {
            f = open(c, source, partition, offset);
            rec.open.put(fileKey, f);
            holds.hold(c.recordingId() + "/" + f.name, partition, offset);
        }
        f.add(c);
        if (f.allTracksEnded()) {
            rec.open.remove(fileKey);
            gaps += f.gaps();
            FileStore.StoredFile file = f.finish();
            if (file != null) {
                log.info("recording {}: {} stored ({} bytes)", c.recordingId(), file.key(), file.sizeBytes());
                Stored s = new Stored(c.recordingId(), c.meetingId(), c.participantId(), source, file, f.startMicros());
                stored.accept(s);
                rec.stored.add(s);
            }
            holds.release(c.recordingId() + "/" + f.name);
            finishIfDone(c.recordingId(), rec);
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

    /** After the end marker, the last file completed: the recording is finished. */
    private void finishIfDone(String recordingId, Recording rec) {
        if (rec.ended && rec.open.isEmpty()) {
            finish(recordingId, rec);
        }
    }

    private void finish(String recordingId, Recording rec) {
        recordings.remove(recordingId);
        Finished f = new Finished(recordingId, rec.meetingId, rec.stored);
        log.info("recording {}: finished with {} files{}", recordingId, f.files().size(), rec.ended ? "" : " (no end marker)");
        Mono.defer(() -> finished.apply(f))
                .doFinally(signal -> holds.release(recordingId))
                .subscribe(null, e -> log.warn("recording {}: work after the end failed: {}", recordingId, e.toString()));
    }

    /**
     * Finishes every recording that has no open file, never got its end marker and received no chunk for the
     * idle time (its forwarder went away). A timer calls it; returns how many were finished.
     */
    public synchronized int expireIdle() {
        long now = clock.millis();
        List<String> idle = new ArrayList<>();
        recordings.forEach((id, rec) -> {
            if (rec.open.isEmpty() && !rec.ended && now - rec.lastChunkMillis >= finishIdle.toMillis()) {
                idle.add(id);
            }
        });
        idle.forEach(id -> finish(id, recordings.get(id)));
        return idle.size();
    }

    /**
     * {@code partition} is no longer this recorder's (rebalance, or the consumer restarts): its recordings are
     * forgotten and their open files dropped unfinished (uploads aborted); whoever consumes it next rebuilds them
     * from the held offset.
     */
    public synchronized void dropPartition(int partition) {
        for (Iterator<Map.Entry<String, Recording>> it = recordings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Recording> e = it.next();
            if (e.getValue().partition != partition) {
                continue;
            }
            it.remove();
            for (ParticipantFile f : e.getValue().open.values()) {
                f.abort();
                log.info("recording {}: {} dropped unfinished (partition {} moves); rebuilt by its next owner",
                        e.getKey(), f.name, partition);
            }
        }
    }

    /** Recordings this recorder is assembling (received chunks, not finished yet). */
    public synchronized int openRecordings() {
        return recordings.size();
    }

    /** Files still being written, over all recordings. */
    public synchronized int openFiles() {
        return recordings.values().stream().mapToInt(r -> r.open.size()).sum();
    }

    public synchronized long unreadableChunks() {
        return unreadable;
    }

    /** Gaps in completed files where another forwarder (a restart, a failover) continued a track. */
    public synchronized long gaps() {
        return gaps;
    }
}
