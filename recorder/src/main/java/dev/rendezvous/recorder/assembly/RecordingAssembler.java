package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * <p>Chunks come one at a time (the {@link ChunkSink} contract); the idle timer is the only other caller, hence
 * the monitor. A chunk that cannot be read is logged and skipped: it must not stop every other recording.
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
        final Map<String, ParticipantFile> open = new HashMap<>();
        final Map<String, Integer> generations = new HashMap<>();
        final List<Stored> stored = new ArrayList<>();
        boolean ended;
        long lastChunkMillis;

        Recording(String meetingId) {
            this.meetingId = meetingId;
        }
    }

    private final FileStore store;
    private final Consumer<Stored> stored;
    private final Function<Finished, Mono<Void>> finished;
    private final Duration finishIdle;
    private final Clock clock;
    private final Map<String, Recording> recordings = new HashMap<>();
    private long unreadable;

    public RecordingAssembler(FileStore store, Consumer<Stored> stored) {
        this(store, stored, f -> Mono.empty(), DEFAULT_FINISH_IDLE, Clock.systemUTC());
    }

    /**
     * @param finished   called once per finished recording; its Mono is subscribed to here (not on the chunk
     *                   path) and should complete once what it makes is durable
     * @param finishIdle how long a recording without open files and without end marker waits for more chunks
     */
    public RecordingAssembler(FileStore store, Consumer<Stored> stored, Function<Finished, Mono<Void>> finished,
                              Duration finishIdle, Clock clock) {
        this.store = store;
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
            add(c);
        } catch (IOException | RuntimeException e) {
            log.warn("recording {}: chunk {} of track {} not used: {}", c.recordingId(), c.sequence(), c.trackId(),
                    e.toString());
        }
        return Mono.empty();
    }

    void add(RecordingChunk c) throws IOException {
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
        Recording rec = recordings.computeIfAbsent(c.recordingId(), k -> new Recording(c.meetingId()));
        rec.lastChunkMillis = clock.millis();
        String source = "screen".equals(c.source()) ? "screen" : "camera";
        String fileKey = c.participantId() + "/" + source;
        Map<String, ParticipantFile> files = rec.open;
        ParticipantFile f = files.get(fileKey);
        if (f == null) {
            int generation = rec.generations.merge(fileKey, 1, Integer::sum);
            String name = LocalFileStore.safe(c.participantId().isEmpty() ? "track-" + c.trackId() : c.participantId())
                    + "-" + source + (generation > 1 ? "-" + generation : "") + ".webm";
            long start = c.baseEpochMicros() > 0 ? c.baseEpochMicros() : System.currentTimeMillis() * 1_000;
            f = new ParticipantFile(name, !"screen".equals(source), start, store.create(c.recordingId(), name));
            files.put(fileKey, f);
        }
        f.add(c);
        if (f.allTracksEnded()) {
            files.remove(fileKey);
            FileStore.StoredFile file = f.finish();
            if (file != null) {
                log.info("recording {}: {} stored ({} bytes)", c.recordingId(), file.key(), file.sizeBytes());
                Stored s = new Stored(c.recordingId(), c.meetingId(), c.participantId(), source, file, f.startMicros());
                rec.stored.add(s);
                stored.accept(s);
            }
            finishIfDone(c.recordingId(), rec);
        }
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
        Mono.defer(() -> finished.apply(f)).subscribe(null,
                e -> log.warn("recording {}: work after the end failed: {}", recordingId, e.toString()));
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

    /** Files still being written, over all recordings. */
    public synchronized int openFiles() {
        return recordings.values().stream().mapToInt(r -> r.open.size()).sum();
    }

    public synchronized long unreadableChunks() {
        return unreadable;
    }

    /** Completes every open file (shutdown); what is missing stays missing. */
    public synchronized void finishAll() {
        for (Iterator<Map.Entry<String, Recording>> it = recordings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Recording> e = it.next();
            for (ParticipantFile f : e.getValue().open.values()) {
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
