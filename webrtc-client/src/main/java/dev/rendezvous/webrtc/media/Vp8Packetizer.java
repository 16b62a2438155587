package dev.rendezvous.webrtc.media;

/**
 * Turns one synthetic VP8 frame into RTP payloads the way libwebrtc does (RFC 7741): each payload starts with
 * a 4-byte descriptor (X=1, S on the first packet of the frame, PID 0, a 15-bit picture id), the first packet
 * carries a real VP8 frame tag (P bit clear on keyframes, show_frame, first partition size) and, on keyframes,
 * the start code and dimensions — exactly what the forwarder's keyframe detection and a decoder's sniffing
 * look at. The rest is filler; every payload ends with a {@link PayloadStamp}. No allocation.
 */
public final class Vp8Packetizer {

    public static final int DESCRIPTOR = 4;
    /** Frame tag (3) + start code (3) + width (2) + height (2). */
    static final int KEYFRAME_HEADER = 10;

    /** Receives each payload, written at {@code b[off, off + len)}, in order; {@code last} gets the marker bit. */
    public interface Sink {
        void payload(byte[] b, int off, int len, boolean last);
    }

    private final int width;
    private final int height;

    public Vp8Packetizer(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /**
     * Splits a frame of {@code frameBytes} (VP8 data, headers included) into payloads of at most
     * {@code maxPayload} bytes written into {@code b} at {@code off}, stamped with {@code sendNanos} and
     * {@code senderId}. Returns the number of packets.
     */
    public int packetize(boolean keyframe, int pictureId, int frameBytes, int maxPayload, byte[] b, int off,
                         long sendNanos, int senderId, Sink sink) {
        int chunkCapacity = maxPayload - DESCRIPTOR - PayloadStamp.LENGTH;
        if (chunkCapacity < KEYFRAME_HEADER) {
            throw new IllegalArgumentException("maxPayload too small: " + maxPayload);
        }
        int frame = Math.max(frameBytes, KEYFRAME_HEADER);
        int packets = 0;
        int written = 0;
        while (written < frame) {
            int chunk = Math.min(chunkCapacity, frame - written);
            boolean first = written == 0;
            int p = off;
            b[p++] = (byte) (0x80 | (first ? 0x10 : 0)); // X, S, PID 0
            b[p++] = (byte) 0x80; // I: picture id present
            b[p++] = (byte) (0x80 | ((pictureId >>> 8) & 0x7F)); // M: 15-bit picture id
            b[p++] = (byte) pictureId;
            int dataStart = p;
            if (first) {
                p += writeFrameHeader(b, p, keyframe, frame);
            }
            for (int end = dataStart + chunk; p < end; p++) {
                b[p] = (byte) (0x5A ^ (p & 0xFF)); // filler
            }
            int len = p - off + PayloadStamp.LENGTH;
            PayloadStamp.write(b, off + len, sendNanos, senderId);
            written += chunk;
            packets++;
            sink.payload(b, off, len, written >= frame);
        }
        return packets;
    }

    /** RFC 6386 section 9.1 frame tag, plus start code and size on keyframes. Returns the bytes written. */
    private int writeFrameHeader(byte[] b, int p, boolean keyframe, int frameBytes) {
        int firstPartition = Math.min(0x7FFFF, Math.max(1, frameBytes / 2));
        int tag = (keyframe ? 0 : 1) | (1 << 4) | (firstPartition << 5); // P, version 0, show_frame, size
        b[p] = (byte) tag;
        b[p + 1] = (byte) (tag >>> 8);
        b[p + 2] = (byte) (tag >>> 16);
        if (!keyframe) {
            return 3;
        }
        b[p + 3] = (byte) 0x9D;
        b[p + 4] = (byte) 0x01;
        b[p + 5] = (byte) 0x2A;
        b[p + 6] = (byte) width;
        b[p + 7] = (byte) ((width >>> 8) & 0x3F);
        b[p + 8] = (byte) height;
        b[p + 9] = (byte) ((height >>> 8) & 0x3F);
        return KEYFRAME_HEADER;
    }
}
