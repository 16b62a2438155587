package dev.rendezvous.recorder.rtp;

/**
 * Turns one video track's RTP payloads, in sequence order, into whole coded frames that a decoder can take:
 * frames that lost a packet are dropped, and so is everything after them until the next keyframe (later
 * frames reference what was lost), so the output always starts on a keyframe and decodes without errors.
 */
public interface VideoDepacketizer {

    /**
     * Receives each complete frame; {@code frame[0, len)} is only valid during the call. {@code width} and
     * {@code height} are the coded picture's size when this frame tells it (keyframes), else 0.
     */
    @FunctionalInterface
    interface FrameSink {
        void frame(long rtpTimestamp, boolean keyframe, byte[] frame, int len, int width, int height);
    }

    /**
     * The next payload {@code b[off, off + len)} (after the RTP header, without padding) in sequence order.
     * {@code lostBefore}: packets are missing between the previous payload and this one.
     */
    void push(byte[] b, int off, int len, long rtpTimestamp, boolean marker, boolean lostBefore);

    /** True while frames are dropped for want of a keyframe. */
    boolean needsKeyframe();

    long framesOut();

    long framesDropped();

    /** What the container needs to set up the decoder (Matroska CodecPrivate), or null: none (yet). */
    default byte[] codecPrivate() {
        return null;
    }
}
