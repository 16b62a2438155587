package dev.rendezvous.webrtc.media;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * VP8-shaped video at a configured bitrate and frame rate: every tick one frame, packetised by
 * {@link Vp8Packetizer} into packets of at most {@value #MAX_PACKET} bytes with the marker on the last. A
 * keyframe (four times a delta frame's size, as encoders roughly produce) goes out at the start, every
 * keyframe interval, and at the next tick after a PLI or FIR asked for one.
 */
public final class VideoSender {

    public static final int PAYLOAD_TYPE = 96;
    public static final int MAX_PACKET = 1200;
    private static final int KEYFRAME_FACTOR = 4;

    private final OutboundStream stream;
    private final int senderId;
    private final RtpOut out;
    private final Vp8Packetizer packetizer = new Vp8Packetizer(640, 480);
    private final byte[] buf = new byte[1500];
    private final int deltaBytes;
    private final long keyframeIntervalNanos;
    private final AtomicBoolean keyframeWanted = new AtomicBoolean(true);
    private final LongAdder keyframesSent = new LongAdder();
    private long lastKeyframeNanos;
    private int pictureId;
    private long frameNanos;

    /**
     * @param bitrateBps       average bitrate, keyframes included
     * @param keyframeInterval milliseconds between periodic keyframes
     */
    public VideoSender(OutboundStream stream, int senderId, int bitrateBps, int fps, int keyframeInterval, RtpOut out) {
        this.stream = stream;
        this.senderId = senderId;
        this.out = out;
        this.keyframeIntervalNanos = keyframeInterval * 1_000_000L;
        int framesPerInterval = Math.max(1, fps * keyframeInterval / 1000);
        long bytesPerInterval = (long) bitrateBps / 8 * keyframeInterval / 1000;
        this.deltaBytes = (int) Math.max(200, bytesPerInterval / (framesPerInterval - 1 + KEYFRAME_FACTOR));
    }

    /** A PLI or FIR arrived: the next frame is a keyframe. */
    public void requestKeyframe() {
        keyframeWanted.set(true);
    }

    public long keyframesSent() {
        return keyframesSent.sum();
    }

    /** Sends one frame; called once per frame interval by the pacing scheduler. */
    public void tick(long nowNanos) {
        boolean key = keyframeWanted.getAndSet(false) || nowNanos - lastKeyframeNanos >= keyframeIntervalNanos;
        if (key) {
            lastKeyframeNanos = nowNanos;
            keyframesSent.increment();
        }
        frameNanos = nowNanos;
        pictureId = (pictureId + 1) & 0x7FFF;
        int size = key ? deltaBytes * KEYFRAME_FACTOR : deltaBytes;
        int maxPayload = MAX_PACKET - RtpHeader.FIXED;
        packetizer.packetize(key, pictureId, size, maxPayload, buf, RtpHeader.FIXED, nowNanos, senderId, this::packet);
    }

    private void packet(byte[] b, int off, int len, boolean last) {
        RtpHeader.write(b, PAYLOAD_TYPE, last, stream.nextSeq(), stream.timestampAt(frameNanos), stream.ssrc());
        if (out.send(b, off + len)) {
            stream.sent(len);
        }
    }

    public OutboundStream stream() {
        return stream;
    }
}
