package dev.rendezvous.recorder.webm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a WebM file (Matroska, RFC 9559 subset) of one video track (VP8, VP9 or H.264) and/or one Opus audio
 * track, without re-encoding, strictly forward: the Segment has the "unknown" size and every Cluster is written whole once it
 * closes, so the bytes can go to a multipart upload as they are produced. The one thing only known at the end,
 * the duration, has a placeholder at {@link #durationOffset()} that {@link #patchDuration} fills in whoever
 * still holds the file's first bytes (the first upload part is sent last for that reason).
 *
 * <p>Blocks must come in time order (the assembler interleaves tracks); a block earlier than its cluster is
 * written at the cluster's start and counted in {@link #clampedBlocks()}. A new cluster starts at each video
 * keyframe (so any cluster can start playback) and at least every {@value #MAX_CLUSTER_MS} ms.
 */
public final class WebmWriter implements AutoCloseable {

    /**
     * The video codecs a file can hold, by their Matroska codec ids. WebM proper allows VP8 and VP9 only; a file
     * with H.264 is written as Matroska (DocType {@code matroska}), which every Matroska reader takes.
     */
    public enum VideoCodec {
        VP8("V_VP8", "webm"), VP9("V_VP9", "webm"), AVC("V_MPEG4/ISO/AVC", "matroska");

        private final String codecId;
        private final String docType;

        VideoCodec(String codecId, String docType) {
            this.codecId = codecId;
            this.docType = docType;
        }

        public String codecId() {
            return codecId;
        }

        public String docType() {
            return docType;
        }
    }

    /**
     * Video track: its codec, size (from the first keyframe) and CodecPrivate (H.264's {@code avcC}: required
     * for {@link VideoCodec#AVC}, whose blocks are then length-prefixed NAL units; none for VP8 and VP9).
     */
    public record Video(VideoCodec codec, int width, int height, byte[] codecPrivate) {
        public Video {
            java.util.Objects.requireNonNull(codec, "codec");
            if (codec == VideoCodec.AVC && (codecPrivate == null || codecPrivate.length < 7)) {
                throw new IllegalArgumentException("H.264 needs its avcC record as CodecPrivate");
            }
            codecPrivate = codecPrivate == null ? null : codecPrivate.clone();
        }

        /** VP8 of this size. */
        public Video(int width, int height) {
            this(VideoCodec.VP8, width, height, null);
        }
    }

    /** Audio track: Opus at 48 kHz with this many channels. */
    public record Audio(int channels) {}

    static final int VIDEO_TRACK = 1;
    static final int AUDIO_TRACK = 2;
    static final int MAX_CLUSTER_MS = 5_000;

    private static final int EBML = 0x1A45DFA3;
    private static final int SEGMENT = 0x18538067;
    private static final int INFO = 0x1549A966;
    private static final int TRACKS = 0x1654AE6B;
    private static final int TRACK_ENTRY = 0xAE;
    private static final int CLUSTER = 0x1F43B675;
    private static final int CLUSTER_TIMESTAMP = 0xE7;
    private static final int SIMPLE_BLOCK = 0xA3;
    private static final int DURATION = 0x4489;
    /** Opus decoders need 80 ms of pre-roll after a seek (RFC 7845 section 4.6). */
    private static final long OPUS_SEEK_PRE_ROLL_NS = 80_000_000L;

    private final OutputStream out;
    private final boolean hasVideo;
    private final long durationOffset;
    private final Ebml cluster = new Ebml();
    private final byte[] blockHeader = new byte[4];
    private long written;
    private long clusterStartMs = -1;
    private long lastMs;
    private long clampedBlocks;
    private boolean closed;

    public WebmWriter(OutputStream out, Video video, Audio audio) throws IOException {
        if (video == null && audio == null) {
            throw new IllegalArgumentException("a WebM file needs a video or an audio track");
        }
        this.out = out;
        this.hasVideo = video != null;
        Ebml head = new Ebml();
        head.master(EBML, new Ebml()
                .uint(0x4286, 1).uint(0x42F7, 1).uint(0x42F2, 4).uint(0x42F3, 8)
                .string(0x4282, video != null ? video.codec().docType() : "webm").uint(0x4287, 4).uint(0x4285, 2));
        head.openUnknown(SEGMENT);
        Ebml info = new Ebml().uint(0x2AD7B1, 1_000_000L); // timestamps in milliseconds
        int durationInInfo = info.length() + 3; // Duration's ID (2 bytes) and size (1 byte) come first
        info.floatBe(DURATION, 0.0)
                .string(0x4D80, "Rendezvous recorder").string(0x5741, "Rendezvous recorder");
        int infoHeader = 4 + 1 + (info.length() >= 127 ? 1 : 0); // ID + size of the Info element
        durationOffset = head.length() + infoHeader + durationInInfo;
        head.master(INFO, info);
        Ebml tracks = new Ebml();
        if (video != null) {
            Ebml entry = new Ebml()
                    .uint(0xD7, VIDEO_TRACK).uint(0x73C5, VIDEO_TRACK).uint(0x83, 1).uint(0x9C, 0)
                    .string(0x86, video.codec().codecId());
            if (video.codecPrivate() != null) {
                entry.bytes(0x63A2, video.codecPrivate());
            }
            tracks.master(TRACK_ENTRY, entry
                    .master(0xE0, new Ebml().uint(0xB0, video.width()).uint(0xBA, video.height())));
        }
        if (audio != null) {
            tracks.master(TRACK_ENTRY, new Ebml()
                    .uint(0xD7, AUDIO_TRACK).uint(0x73C5, AUDIO_TRACK).uint(0x83, 2).uint(0x9C, 0)
                    .string(0x86, "A_OPUS").bytes(0x63A2, opusHead(audio.channels()))
                    .uint(0x56AA, 0).uint(0x56BB, OPUS_SEEK_PRE_ROLL_NS)
                    .master(0xE1, new Ebml().floatBe(0xB5, 48_000.0).uint(0x9F, audio.channels())));
        }
        head.master(TRACKS, tracks);
        write(head.toByteArray());
    }

    /** Byte offset of the Duration value (8 bytes, big-endian double, milliseconds) from the file's start. */
    public long durationOffset() {
        return durationOffset;
    }

    /** Writes {@code durationMs} into {@code head}, the file's first bytes, at {@link #durationOffset()}. */
    public static void patchDuration(byte[] head, long durationOffset, double durationMs) {
        ByteBuffer.wrap(head, (int) durationOffset, 8).order(ByteOrder.BIG_ENDIAN).putDouble(durationMs);
    }

    /** One video frame at {@code timeMs} (from the recording's start), in the track's codec. */
    public void video(long timeMs, boolean keyframe, byte[] frame, int off, int len) throws IOException {
        if (!hasVideo) {
            throw new IllegalStateException("no video track");
        }
        block(VIDEO_TRACK, timeMs, keyframe, keyframe, frame, off, len);
    }

    /** One Opus packet at {@code timeMs}. */
    public void audio(long timeMs, byte[] packet, int off, int len) throws IOException {
        // with video, clusters start at keyframes; audio-only files start one when the current one is full
        block(AUDIO_TRACK, timeMs, false, true, packet, off, len);
    }

    private void block(int track, long timeMs, boolean keyframe, boolean keyFlag, byte[] b, int off, int len)
            throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        long t = Math.max(0, timeMs);
        if (clusterStartMs < 0 || t - clusterStartMs >= MAX_CLUSTER_MS || (keyframe && t > clusterStartMs)) {
            flushCluster();
            clusterStartMs = t;
            cluster.uint(CLUSTER_TIMESTAMP, t);
        }
        long relative = t - clusterStartMs;
        if (relative < 0) {
            relative = 0;
            clampedBlocks++;
        }
        blockHeader[0] = (byte) (0x80 | track); // track number as a 1-byte variable-length integer
        blockHeader[1] = (byte) (relative >>> 8);
        blockHeader[2] = (byte) relative;
        blockHeader[3] = (byte) (keyFlag ? 0x80 : 0x00);
        cluster.bytes(SIMPLE_BLOCK, blockHeader, b, off, len);
        lastMs = Math.max(lastMs, t);
    }

    private void flushCluster() throws IOException {
        if (cluster.length() == 0) {
            return;
        }
        Ebml c = new Ebml();
        c.master(CLUSTER, cluster);
        write(c.toByteArray());
        cluster.reset();
    }

    /** The time of the latest block, in ms: the duration to patch in once the file is complete. */
    public long lastTimeMs() {
        return lastMs;
    }

    public long clampedBlocks() {
        return clampedBlocks;
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    /** Writes the open cluster; does not close the stream (its owner completes the upload). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            flushCluster();
            closed = true;
            out.flush();
        }
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    /** RFC 7845 section 5.1 identification header, mapping family 0 (mono or stereo). */
    static byte[] opusHead(int channels) {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("Opus mapping family 0 has 1 or 2 channels");
        }
        ByteBuffer b = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        b.put("OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put((byte) 1).put((byte) channels).putShort((short) 0).putInt(48_000).putShort((short) 0).put((byte) 0);
        return b.array();
    }
}
