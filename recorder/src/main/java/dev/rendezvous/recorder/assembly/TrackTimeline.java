package dev.rendezvous.recorder.assembly;

import dev.rendezvous.recorder.rtp.ReorderBuffer;
import dev.rendezvous.recorder.rtp.VideoCodec;
import dev.rendezvous.recorder.rtp.VideoDepacketizer;
import dev.rendezvous.topics.chunk.RecordingChunk;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recorded track from its chunks to timed {@link Block}s: packets back in order ({@link ReorderBuffer},
 * waiting {@value #REORDER_WAIT_MS} ms of arrival time for late ones), video frames reassembled by the
 * {@link VideoDepacketizer} of the track's codec (Opus packets taken as they are), and each placed in the file's time: the first packet's wall-clock arrival against the
 * file's start, then the RTP timestamps from there (smooth, unlike arrival times). Tracks of one participant
 * are captured by one forwarder clock, which keeps them in sync. Video packets whose payload type names another
 * codec than the track's (a renegotiation) are dropped: to the depacketiser they are lost packets.
 */
final class TrackTimeline {

    static final long REORDER_WAIT_MS = 500;
    private static final Logger log = LoggerFactory.getLogger(TrackTimeline.class);

    private final boolean video;
    private final VideoCodec codec;
    private final long fileStartMicros;
    private final Consumer<Block> out;
    private ReorderBuffer reorder;
    private VideoDepacketizer depacketizer;
    /** The RTP stream being read: {@code <forwarderId>/<trackId>}, and its last chunk number. */
    private String stream;
    private long lastSequence = -1;
    private long gaps;
    private long foreignPackets;
    private int clockRate;
    private long firstTimestamp = -1;
    private long lastTimestamp;
    private long unwrapped;
    private long anchorMs;
    /** The time of the last block out; each next one is later (a muxer refuses equal or decreasing times). */
    private long lastBlockMs = -1;
    private long chunkBaseMicros;
    private int width;
    private int height;

    /** A video track in {@code codec}, or the audio track (Opus) when {@code codec} is null. */
    TrackTimeline(VideoCodec codec, long fileStartMicros, Consumer<Block> out) {
        this.video = codec != null;
        this.codec = codec;
        this.fileStartMicros = fileStartMicros;
        this.out = out;
        this.depacketizer = video ? codec.depacketizer(this::onFrame) : null;
        this.reorder = new ReorderBuffer(1024, REORDER_WAIT_MS, this::onPacket);
    }

    void add(RecordingChunk c) {
        String id = c.forwarderId() + "/" + c.trackId();
        if (stream != null && (!id.equals(stream) || c.sequence() <= lastSequence)) {
            restart(id, c.sequence());
        }
        stream = id;
        lastSequence = c.sequence();
        clockRate = c.clockRate() > 0 ? c.clockRate() : (video ? 90_000 : 48_000);
        chunkBaseMicros = c.baseEpochMicros();
        for (RecordingChunk.Packet p : c.packets()) {
            if (video && (p.rtp().length < 2 || codec != VideoCodec.ofSdpName(c.codecs().get(p.rtp()[1] & 0x7F)))) {
                foreignPackets++;
                continue;
            }
            long arrivalMs = (c.baseEpochMicros() + p.arrivalOffsetMicros()) / 1_000;
            reorder.push(p.rtp(), 0, p.rtp().length, arrivalMs);
        }
    }

    /** The track ended: everything held goes out. */
    void finish() {
        reorder.flush();
    }

    /**
     * Another RTP stream continues this track (a forwarder restarted or failed over: new forwarder id, or chunk
     * numbers from 0 again; or a new producer): its sequence numbers and timestamps have nothing to do with the
     * previous ones. What was held goes out, and the new stream is placed by its own first arrival — time goes on
     * across the outage, which stays a gap in the file (no blocks; video resumes at its next keyframe). Block
     * times stay strictly increasing.
     */
    private void restart(String id, long sequence) {
        reorder.flush();
        gaps++;
        log.info("track {}: continued by stream {} (chunk {}); a gap in the file marks the outage", stream, id, sequence);
        reorder = new ReorderBuffer(1024, REORDER_WAIT_MS, this::onPacket);
        if (video) {
            depacketizer = codec.depacketizer(this::onFrame);
        }
        firstTimestamp = -1;
        unwrapped = 0;
    }

    /** How often another RTP stream continued this track (forwarder restarts): each one a gap in the file. */
    long gaps() {
        return gaps;
    }

    /** The video codec; null for audio. */
    VideoCodec codec() {
        return codec;
    }

    /** The decoder configuration the container needs (H.264's avcC), or null: none, or none known yet. */
    byte[] codecPrivate() {
        return depacketizer == null ? null : depacketizer.codecPrivate();
    }

    /** Video packets dropped because their payload type is not of the track's codec. */
    long foreignPackets() {
        return foreignPackets;
    }

    /** Width and height of the latest keyframe that told them (0 until one did). */
    int width() {
        return width;
    }

    int height() {
        return height;
    }

    long framesDropped() {
        return depacketizer == null ? 0 : depacketizer.framesDropped();
    }

    long packetsLost() {
        return reorder.lost();
    }

    private void onPacket(byte[] rtp, int len, long arrivalMs, boolean lostBefore) {
        int header = headerLength(rtp, len);
        if (header < 0 || header >= len) {
            return;
        }
        long ts = ((rtp[4] & 0xFFL) << 24) | ((rtp[5] & 0xFFL) << 16) | ((rtp[6] & 0xFFL) << 8) | (rtp[7] & 0xFFL);
        if (firstTimestamp < 0) {
            firstTimestamp = ts;
            lastTimestamp = ts;
            anchorMs = arrivalMs - fileStartMicros / 1_000;
        }
        int payloadEnd = len - padding(rtp, len);
        if (video) {
            depacketizer.push(rtp, header, payloadEnd - header, ts, (rtp[1] & 0x80) != 0, lostBefore);
        } else if (payloadEnd > header) {
            out.accept(new Block(blockTime(ts), false, true, Arrays.copyOfRange(rtp, header, payloadEnd)));
        }
    }

    private void onFrame(long ts, boolean keyframe, byte[] frame, int len, int frameWidth, int frameHeight) {
        if (frameWidth > 0 && frameHeight > 0) {
            width = frameWidth;
            height = frameHeight;
        }
        out.accept(new Block(blockTime(ts), true, keyframe, Arrays.copyOf(frame, len)));
    }

    /**
     * The block's time, strictly after the previous block's: two frames less than a millisecond apart (seen from
     * Chromium right after a keyframe request) or a timestamp a little backwards would otherwise give equal or
     * decreasing times, which players and FFmpeg reject. The shift is a millisecond per such frame.
     */
    private long blockTime(long ts) {
        long t = Math.max(timeMs(ts), lastBlockMs + 1);
        lastBlockMs = t;
        return t;
    }

    /** The file time of an RTP timestamp: 32-bit wrap undone, relative to the track's first. */
    private long timeMs(long ts) {
        long delta = (ts - lastTimestamp) & 0xFFFFFFFFL;
        if (delta >= 0x80000000L) {
            delta -= 0x100000000L; // a little backwards (reordered frames)
        }
        unwrapped += delta;
        lastTimestamp = ts;
        return Math.max(0, anchorMs + unwrapped * 1000 / clockRate);
    }

    private static int headerLength(byte[] b, int len) {
        if (len < 12 || (b[0] & 0xC0) != 0x80) {
            return -1;
        }
        int n = 12 + 4 * (b[0] & 0x0F);
        if ((b[0] & 0x10) != 0) {
            if (len < n + 4) {
                return -1;
            }
            n += 4 + 4 * (((b[n + 2] & 0xFF) << 8) | (b[n + 3] & 0xFF));
        }
        return n <= len ? n : -1;
    }

    private static int padding(byte[] b, int len) {
        return (b[0] & 0x20) != 0 && len > 12 ? b[len - 1] & 0xFF : 0;
    }
}
