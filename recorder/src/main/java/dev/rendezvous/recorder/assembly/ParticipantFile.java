package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.webm.WebmWriter;
import dev.rendezvous.topics.chunk.RecordingChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * One participant's file for one source — the camera with the microphone, or the screen: its tracks'
 * timelines, merged in time order into a {@link WebmWriter} over a {@link FileStore.Target}. The writer starts
 * with the first block that goes out (video size from the first keyframe when it came first, else 640×480:
 * VP8 carries its size in every keyframe anyway). Video in another codec than VP8 is not recorded yet.
 */
final class ParticipantFile {

    private static final long INTERLEAVE_LAG_MS = 2_000;

    final String name;
    private final long startMicros;
    private final FileStore.Target target;
    private final boolean audioTrack;
    private final BlockInterleaver interleaver = new BlockInterleaver(INTERLEAVE_LAG_MS, this::write);
    private final Set<Long> tracks = new HashSet<>();
    private final Set<Long> ended = new HashSet<>();
    private TrackTimeline video;
    private TrackTimeline audio;
    private WebmWriter writer;
    private long skippedVideoChunks;

    ParticipantFile(String name, boolean audioTrack, long startMicros, FileStore.Target target) {
        this.name = name;
        this.audioTrack = audioTrack;
        this.startMicros = startMicros;
        this.target = target;
    }

    void add(RecordingChunk c) {
        if (c.isEnd()) {
            return; // the recording's end marker is not a track
        }
        tracks.add(c.trackId());
        if (c.last()) {
            ended.add(c.trackId());
        }
        boolean isVideo = "video".equals(c.kind());
        if (isVideo && !isVp8(c)) {
            skippedVideoChunks++;
            return;
        }
        if (!isVideo && !audioTrack) {
            return;
        }
        TrackTimeline t = isVideo ? video : audio;
        if (t == null) {
            t = new TrackTimeline(isVideo, startMicros, interleaver::add);
            if (isVideo) {
                video = t;
            } else {
                audio = t;
            }
        }
        t.add(c);
    }

    /** Every track seen has sent its last chunk. */
    boolean allTracksEnded() {
        return !tracks.isEmpty() && ended.containsAll(tracks);
    }

    /** Flushes everything and completes the file; null when nothing playable was written. */
    FileStore.StoredFile finish() throws IOException {
        if (video != null) {
            video.finish();
        }
        if (audio != null) {
            audio.finish();
        }
        interleaver.flush();
        if (writer == null) {
            target.abort();
            return null;
        }
        writer.close();
        return target.complete(writer.durationOffset(), writer.lastTimeMs() + 20.0);
    }

    /** Wall-clock time of the file's time 0, µs since the epoch. */
    long startMicros() {
        return startMicros;
    }

    long skippedVideoChunks() {
        return skippedVideoChunks;
    }

    private void write(Block b) {
        try {
            if (writer == null) {
                int w = video != null && video.width() > 0 ? video.width() : 640;
                int h = video != null && video.height() > 0 ? video.height() : 480;
                writer = new WebmWriter(target.stream(), new WebmWriter.Video(w, h),
                        audioTrack ? new WebmWriter.Audio(1) : null);
            }
            if (b.video()) {
                writer.video(b.timeMs(), b.keyframe(), b.data(), 0, b.data().length);
            } else {
                writer.audio(b.timeMs(), b.data(), 0, b.data().length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isVp8(RecordingChunk c) {
        if (c.packets().isEmpty()) {
            return true; // an empty last chunk
        }
        byte[] first = c.packets().get(0).rtp();
        String codec = first.length > 1 ? c.codecs().get(first[1] & 0x7F) : null;
        return codec != null && codec.equalsIgnoreCase("VP8");
    }
}
