package dev.rendezvous.recorder.rtp;

/**
 * What the depacketizers share: the frame being assembled (its bytes, its RTP timestamp, whether a packet of it
 * was lost), dropping such a frame and every frame after it until the next keyframe, handing complete frames to
 * the sink, and the counts. A subclass parses its codec's payloads into {@link #frame}, opens each frame with
 * {@link #open} and ends it by letting it through {@link #decodable} and {@link #emit}, or with {@link #drop}.
 */
abstract class FrameAssembler implements VideoDepacketizer {

    /** The bytes of the frame being assembled. */
    final FrameBuffer frame = new FrameBuffer();
    /** A frame is being assembled (it was opened and has not ended yet). */
    boolean assembling;
    /** The frame being assembled lost a packet or could not be parsed: it is dropped when it ends. */
    boolean broken;
    /** The RTP timestamp of the frame being assembled (set by {@link #open}). */
    long timestamp = -1;

    private final FrameSink sink;
    private boolean waitingForKeyframe = true;
    private long framesOut;
    private long framesDropped;

    FrameAssembler(FrameSink sink) {
        this.sink = sink;
    }

    @Override
    public final boolean needsKeyframe() {
        return waitingForKeyframe;
    }

    @Override
    public final long framesOut() {
        return framesOut;
    }

    @Override
    public final long framesDropped() {
        return framesDropped;
    }

    /**
     * For codecs whose packets of a frame all carry its RTP timestamp: true when a payload of {@code rtpTimestamp}
     * belongs to another frame than the one being assembled, which is dropped then (it never saw its marker);
     * false when it belongs to that frame, which {@code lostBefore} (packets missing before this one) breaks.
     */
    final boolean newFrame(long rtpTimestamp, boolean lostBefore) {
        if (assembling && rtpTimestamp == timestamp) {
            broken |= lostBefore;
            return false;
        }
        if (assembling) {
            drop(); // the previous frame never saw its marker
        }
        return true;
    }

    /**
     * Begins assembling the frame of {@code rtpTimestamp} into an empty {@link #frame}. {@code start}: this
     * payload is the frame's first; without it the frame's start was lost and it is broken. {@code lostBefore}
     * with {@code start}: whole frames went missing before this one, and later frames lack their reference, so
     * one is counted dropped and a keyframe is waited for.
     */
    final void open(long rtpTimestamp, boolean start, boolean lostBefore) {
        if (lostBefore && start) {
            drop();
        }
        assembling = true;
        broken = !start;
        timestamp = rtpTimestamp;
        frame.clear();
    }

    /**
     * Whether a complete, unbroken frame may go out: a keyframe always, another frame unless a keyframe is
     * waited for (it is counted dropped then). A frame that may go out ends the wait.
     */
    final boolean decodable(boolean keyframe) {
        if (waitingForKeyframe && !keyframe) {
            framesDropped++;
            return false;
        }
        waitingForKeyframe = false;
        return true;
    }

    /**
     * Counts a frame out and hands {@code b[0, len)} to the sink as the frame of {@link #timestamp};
     * {@code width} and {@code height} as {@link FrameSink#frame} takes them.
     */
    final void emit(boolean keyframe, byte[] b, int len, int width, int height) {
        framesOut++;
        sink.frame(timestamp, keyframe, b, len, width, height);
    }

    /**
     * Ends the frame being assembled, if any, and counts a frame dropped: frames after it lack their reference,
     * so a keyframe is waited for.
     */
    final void drop() {
        assembling = false;
        framesDropped++;
        waitingForKeyframe = true;
    }
}
