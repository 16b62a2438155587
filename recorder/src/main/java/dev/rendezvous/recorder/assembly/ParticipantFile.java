package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.rtp.H264Sps;
import dev.rendezvous.recorder.rtp.VideoCodec;
import dev.rendezvous.recorder.webm.WebmWriter;
import dev.rendezvous.topics.chunk.RecordingChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One participant's file for one source — the camera with the microphone, or the screen: its tracks'
 * timelines, merged in time order into a {@link WebmWriter} over a {@link FileStore.Target}. The video track's
 * codec (VP8, VP9 or H.264) is the one its first chunk's packets name. The writer starts with the first block
 * that goes out and declares the video track then: its codec (VP8 when no video came yet), its size from the
 * first keyframe when it came first (else 640×480: every keyframe carries its size anyway) and, for H.264, the
 * avcC of the parameter sets seen so far (else one without them: browsers repeat them in-band before every IDR).
 * Video in another codec than the one declared, or in none of the three, is not recorded.
 */
final class ParticipantFile {

    private static final long INTERLEAVE_LAG_MS = 2_000;

    final String name;
    private final long startMicros;
    private final FileStore.Target target;
    private final boolean audioTrack;
    private final BlockInterleaver interleaver = new BlockInterleaver(INTERLEAVE_LAG_MS, this::write);
    /** Tracks seen and tracks ended, as {@code <forwarderId>/<trackId>}. */
    private final Set<String> tracks = new HashSet<>();
    private final Set<String> ended = new HashSet<>();
    /** The stream each kind (audio, video) is read from now. */
    private final Map<String, String> current = new HashMap<>();
    private TrackTimeline video;
    private TrackTimeline audio;
    private WebmWriter writer;
    private WebmWriter.VideoCodec declaredVideo;
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
        String track = c.forwarderId() + "/" + c.trackId();
        if (tracks.add(track)) {
            // a new stream of this kind supersedes the previous one (a forwarder restart or failover: new forwarder
            // or producer id): that one will send nothing more, not even its last chunk
            String previous = current.put(c.kind(), track);
            if (previous != null) {
                ended.add(previous);
            }
        }
        if (c.last()) {
            ended.add(track);
        }
        boolean isVideo = "video".equals(c.kind());
        if (!isVideo && !audioTrack) {
            return;
        }
        TrackTimeline t = isVideo ? video : audio;
        if (t == null && isVideo && c.packets().isEmpty()) {
            return; // an empty last chunk of a track that sent nothing
        }
        if (t == null) {
            VideoCodec codec = isVideo ? codecOf(c) : null;
            if (isVideo && (codec == null || writer != null && writerCodec(codec) != declaredVideo)) {
                skippedVideoChunks++; // unknown codec, or not the one the file declared before video came
                return;
            }
            t = new TrackTimeline(codec, startMicros, interleaver::add);
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

    /** Given up unfinished (its partition moved to another owner): whatever was stored is removed. */
    void abort() {
        target.abort();
    }

    /** Gaps in the file where another forwarder continued a track. */
    long gaps() {
        return (video == null ? 0 : video.gaps()) + (audio == null ? 0 : audio.gaps());
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
                declaredVideo = writerCodec(video == null ? VideoCodec.VP8 : video.codec());
                byte[] codecPrivate = null;
                if (declaredVideo == WebmWriter.VideoCodec.AVC) {
                    codecPrivate = video.codecPrivate() != null ? video.codecPrivate() : H264Sps.avcC(null, null);
                }
                writer = new WebmWriter(target.stream(), new WebmWriter.Video(declaredVideo, w, h, codecPrivate),
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

    /** The video codec its first packet's payload type names; null when none the recorder knows. */
    private static VideoCodec codecOf(RecordingChunk c) {
        byte[] first = c.packets().get(0).rtp();
        return first.length > 1 ? VideoCodec.ofSdpName(c.codecs().get(first[1] & 0x7F)) : null;
    }

    private static WebmWriter.VideoCodec writerCodec(VideoCodec codec) {
        return switch (codec) {
            case VP8 -> WebmWriter.VideoCodec.VP8;
            case VP9 -> WebmWriter.VideoCodec.VP9;
            case H264 -> WebmWriter.VideoCodec.AVC;
        };
    }
}
