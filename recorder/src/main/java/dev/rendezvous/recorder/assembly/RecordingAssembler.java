package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.chunk.Chunk;
import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
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
 * <p>Chunks of one partition come one at a time (the {@link ChunkSink} contract), so the state needs no locks.
 * A chunk that cannot be read is logged and skipped: it must not stop every other recording.
 */
public final class RecordingAssembler implements ChunkSink {

    private static final Logger log = LoggerFactory.getLogger(RecordingAssembler.class);

    /** A file that was completed. */
    public record Stored(String recordingId, String meetingId, String participantId, String source,
                         FileStore.StoredFile file) {}

    private final FileStore store;
    private final Consumer<Stored> stored;
    private final Map<String, Map<String, ParticipantFile>> recordings = new HashMap<>();
    private final Map<String, Integer> generations = new HashMap<>();
    private long unreadable;

    public RecordingAssembler(FileStore store, Consumer<Stored> stored) {
        this.store = store;
        this.stored = stored;
    }

    @Override
    public Mono<Void> accept(Chunk chunk) {
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
        String source = "screen".equals(c.source()) ? "screen" : "camera";
        String fileKey = c.participantId() + "/" + source;
        Map<String, ParticipantFile> files = recordings.computeIfAbsent(c.recordingId(), k -> new HashMap<>());
        ParticipantFile f = files.get(fileKey);
        if (f == null) {
            int generation = generations.merge(c.recordingId() + "/" + fileKey, 1, Integer::sum);
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
                stored.accept(new Stored(c.recordingId(), c.meetingId(), c.participantId(), source, file));
            }
            if (files.isEmpty()) {
                recordings.remove(c.recordingId());
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
