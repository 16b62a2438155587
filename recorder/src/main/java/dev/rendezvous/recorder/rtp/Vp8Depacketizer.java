package dev.rendezvous.recorder.rtp;

/**
 * Reassembles VP8 frames from RTP payloads in sequence order (RFC 7741): strips each payload descriptor,
 * joins a frame's partitions from its start packet (S=1, partition 0) to its marker packet, and hands on
 * complete frames only. A frame that lost a packet is dropped, and so is everything after it until the next
 * keyframe, since later frames reference what was lost — so the output always decodes, starting with a
 * keyframe. {@link #needsKeyframe()} tells the owner when asking the publisher for one would help. A keyframe's
 * size comes from its uncompressed header (RFC 6386 section 9.1).
 */
public final class Vp8Depacketizer extends FrameAssembler {

    private long lostTimestamp = -1;
    private boolean keyframe;

    public Vp8Depacketizer(FrameSink sink) {
        super(sink);
    }

    /**
     * The next payload in sequence order. {@code lostBefore}: packets are missing between the previous payload
     * and this one.
     */
    @Override
    public void push(byte[] b, int off, int len, long rtpTimestamp, boolean marker, boolean lostBefore) {
        int descriptor = descriptorLength(b, off, len);
        boolean start = descriptor > 0 && (b[off] & 0x10) != 0 && (b[off] & 0x07) == 0;
        if (lostBefore) {
            if (assembling) {
                broken = true; // dropped when it ends
            } else {
                drop(); // a whole frame, or the start of this one, is gone: later frames lack their reference
                lostTimestamp = start ? -1 : rtpTimestamp;
            }
        }
        if (descriptor < 0 || descriptor >= len) {
            broken |= assembling;
            return;
        }
        if (start) {
            if (assembling) {
                drop(); // the previous frame never saw its marker
            }
            open(rtpTimestamp, true, false); // a gap before it was counted above
            keyframe = (b[off + descriptor] & 0x01) == 0;
        } else if (!assembling || rtpTimestamp != timestamp) {
            // the middle of a frame whose start was lost
            if (assembling || rtpTimestamp != lostTimestamp) {
                drop();
                lostTimestamp = rtpTimestamp;
            }
            return;
        }
        if (!frame.append(b, off + descriptor, len - descriptor)) {
            broken = true;
        }
        if (marker) {
            finish();
        }
    }

    private void finish() {
        assembling = false;
        if (broken) {
            drop();
            return;
        }
        if (!decodable(keyframe)) {
            return;
        }
        byte[] f = frame.bytes();
        int length = frame.length();
        boolean sized = keyframe && length >= 10 && (f[3] & 0xFF) == 0x9D && (f[4] & 0xFF) == 0x01
                && (f[5] & 0xFF) == 0x2A; // the start code after the 3-byte frame tag
        int width = sized ? ((f[7] & 0x3F) << 8) | (f[6] & 0xFF) : 0;
        int height = sized ? ((f[9] & 0x3F) << 8) | (f[8] & 0xFF) : 0;
        emit(keyframe, f, length, width, height);
    }

    /** Bytes of the payload descriptor at {@code b[off]}, or -1 if it is cut short. */
    static int descriptorLength(byte[] b, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int n = 1;
        if ((b[off] & 0x80) != 0) { // X: extension byte
            if (len < 2) {
                return -1;
            }
            int x = b[off + 1] & 0xFF;
            n = 2;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (len < n + 1) {
                    return -1;
                }
                n += (b[off + n] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                n++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                n++;
            }
        }
        return n <= len ? n : -1;
    }
}
