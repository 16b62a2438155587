package dev.rendezvous.recorder.rtp;

/**
 * Reassembles VP9 pictures from RTP payloads in sequence order (RFC 9628, flexible and non-flexible mode):
 * strips each payload descriptor (I/P/L/F/B/E/V/Z bits, picture id, layer indices, reference diffs, the
 * scalability structure), joins each layer frame from its B packet to its E packet and the picture's layer
 * frames up to the marker packet (all packets of a picture share its RTP timestamp).
 *
 * <p>A picture with several spatial layers is written whole, as a VP9 superframe (its layer frames followed by
 * a superframe index, VP9 bitstream specification Annex B), which is how WebM stores one: the upper layers of a
 * key picture are predicted from the lower ones, so the top layer alone would not decode. libvpx shows the
 * last frame of a superframe, the top layer. Width and height come from the scalability structure (its highest
 * layer) when a keyframe carries one, else from the keyframe's uncompressed header.
 *
 * <p>A picture that lost a packet is dropped, and so is everything after it until the next keyframe (a picture
 * whose first layer frame has P clear), like {@link Vp8Depacketizer}.
 */
public final class Vp9Depacketizer extends FrameAssembler {

    private static final int MAX_LAYERS = 8;

    private final int[] layerStart = new int[MAX_LAYERS];
    private final int[] layerEnd = new int[MAX_LAYERS];
    private byte[] superframe = new byte[0];
    private int layers;
    private boolean layerOpen;
    private boolean keyframe;
    private int ssWidth;
    private int ssHeight;

    // the descriptor of the packet being pushed
    private boolean begin;
    private boolean end;
    private boolean predicted;
    private int spatialId;
    private int packetSsWidth;
    private int packetSsHeight;

    public Vp9Depacketizer(FrameSink sink) {
        super(sink);
    }

    @Override
    public void push(byte[] b, int off, int len, long rtpTimestamp, boolean marker, boolean lostBefore) {
        int descriptor = descriptor(b, off, len);
        if (newFrame(rtpTimestamp, lostBefore)) { // the frame is a picture
            boolean pictureStart = descriptor > 0 && begin && spatialId == 0;
            open(rtpTimestamp, pictureStart, lostBefore);
            layers = 0;
            layerOpen = false;
            keyframe = pictureStart && !predicted;
            ssWidth = 0;
            ssHeight = 0;
        }
        if (descriptor > 0 && packetSsWidth > 0 && packetSsHeight > 0) {
            ssWidth = packetSsWidth;
            ssHeight = packetSsHeight;
        }
        if (descriptor < 0 || descriptor >= len) {
            broken = true;
        } else if (!broken) {
            if (begin) {
                if (layerOpen || layers == MAX_LAYERS) {
                    broken = true; // a layer frame without its end
                } else {
                    layerOpen = true;
                    layerStart[layers] = frame.length();
                }
            } else if (!layerOpen) {
                broken = true; // the middle of a layer frame whose start was lost
            }
            if (!broken && !frame.append(b, off + descriptor, len - descriptor)) {
                broken = true;
            }
            if (!broken && end) {
                closeLayer();
            }
        }
        if (marker) {
            finish();
        }
    }

    private void closeLayer() {
        layerOpen = false;
        layerEnd[layers] = frame.length();
        layers++;
    }

    private void finish() {
        assembling = false;
        if (!broken && layerOpen) {
            closeLayer(); // the marker ends the picture, whether or not E was set
        }
        if (broken || layers == 0) {
            drop();
            return;
        }
        if (!decodable(keyframe)) {
            return;
        }
        int width = 0;
        int height = 0;
        if (keyframe) {
            if (ssWidth > 0 && ssHeight > 0) {
                width = ssWidth;
                height = ssHeight;
            } else {
                long size = keyframeSize(frame.bytes(), layerStart[0], layerEnd[0] - layerStart[0]);
                width = (int) (size >>> 16);
                height = (int) (size & 0xFFFF);
            }
        }
        if (layers == 1) {
            emit(keyframe, frame.bytes(), frame.length(), width, height);
        } else {
            int n = buildSuperframe();
            if (n < 0) {
                drop();
                return;
            }
            emit(keyframe, superframe, n, width, height);
        }
    }

    /**
     * The picture's layer frames as one superframe in {@link #superframe}; a layer frame that is itself a
     * superframe (hidden frames) contributes its frames. Returns the length, or -1 with more than 8 frames.
     */
    private int buildSuperframe() {
        int[] offs = new int[MAX_LAYERS];
        int[] lens = new int[MAX_LAYERS];
        int n = 0;
        byte[] b = frame.bytes();
        for (int l = 0; l < layers; l++) {
            int[] inner = superframeIndex(b, layerStart[l], layerEnd[l] - layerStart[l]);
            int count = inner == null ? 1 : inner.length;
            if (n + count > MAX_LAYERS) {
                return -1;
            }
            if (inner == null) {
                offs[n] = layerStart[l];
                lens[n++] = layerEnd[l] - layerStart[l];
            } else {
                int p = layerStart[l];
                for (int size : inner) {
                    offs[n] = p;
                    lens[n++] = size;
                    p += size;
                }
            }
        }
        int max = 0;
        int total = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, lens[i]);
            total += lens[i];
        }
        int mag = max < (1 << 8) ? 1 : max < (1 << 16) ? 2 : max < (1 << 24) ? 3 : 4;
        int length = total + 2 + mag * n;
        if (superframe.length < length) {
            superframe = new byte[Math.max(length, superframe.length * 2)];
        }
        int p = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(b, offs[i], superframe, p, lens[i]);
            p += lens[i];
        }
        byte marker = (byte) (0xC0 | (mag - 1) << 3 | (n - 1));
        superframe[p++] = marker;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < mag; k++) {
                superframe[p++] = (byte) (lens[i] >>> (8 * k)); // little-endian
            }
        }
        superframe[p++] = marker;
        return p;
    }

    /** The frame sizes of a superframe {@code b[off, off + len)} (Annex B index at its end), or null: one frame. */
    static int[] superframeIndex(byte[] b, int off, int len) {
        if (len < 1) {
            return null;
        }
        int marker = b[off + len - 1] & 0xFF;
        if ((marker & 0xE0) != 0xC0) {
            return null;
        }
        int mag = ((marker >>> 3) & 0x03) + 1;
        int frames = (marker & 0x07) + 1;
        int indexLength = 2 + mag * frames;
        if (len < indexLength || (b[off + len - indexLength] & 0xFF) != marker) {
            return null;
        }
        int[] sizes = new int[frames];
        int p = off + len - indexLength + 1;
        long sum = 0;
        for (int i = 0; i < frames; i++) {
            int size = 0;
            for (int k = 0; k < mag; k++) {
                size |= (b[p++] & 0xFF) << (8 * k);
            }
            sizes[i] = size;
            sum += size;
        }
        return sum == len - indexLength ? sizes : null;
    }

    /**
     * Reads the payload descriptor at {@code b[off]} into {@link #begin}, {@link #end}, {@link #predicted},
     * {@link #spatialId} and the scalability structure's size of the highest layer; returns its length, or
     * -1 when it is cut short or malformed.
     */
    int descriptor(byte[] b, int off, int len) {
        begin = false;
        end = false;
        predicted = false;
        spatialId = 0;
        packetSsWidth = 0;
        packetSsHeight = 0;
        if (len < 1) {
            return -1;
        }
        int d = b[off] & 0xFF;
        boolean i = (d & 0x80) != 0;
        predicted = (d & 0x40) != 0;
        boolean l = (d & 0x20) != 0;
        boolean f = (d & 0x10) != 0;
        begin = (d & 0x08) != 0;
        end = (d & 0x04) != 0;
        boolean v = (d & 0x02) != 0;
        int p = off + 1;
        int limit = off + len;
        if (i) {
            if (p >= limit) {
                return -1;
            }
            p += (b[p] & 0x80) != 0 ? 2 : 1; // M: 15-bit picture id
        }
        if (l) {
            if (p >= limit) {
                return -1;
            }
            spatialId = (b[p] >>> 1) & 0x07;
            p += f ? 1 : 2; // TID/U/SID/D, then TL0PICIDX in non-flexible mode
        }
        if (f && predicted) {
            for (int k = 0; ; k++) { // P_DIFF, up to 3, N says another follows
                if (p >= limit || k == 3) {
                    return -1;
                }
                if ((b[p++] & 0x01) == 0) {
                    break;
                }
            }
        }
        if (v) {
            p = scalabilityStructure(b, p, limit);
        }
        return p < 0 || p > limit ? -1 : p - off;
    }

    /** The SS at {@code b[p]}: notes the highest layer's size; returns the position after it, or -1. */
    private int scalabilityStructure(byte[] b, int p, int limit) {
        if (p >= limit) {
            return -1;
        }
        int s = b[p++] & 0xFF;
        int spatialLayers = (s >>> 5) + 1;
        boolean y = (s & 0x10) != 0;
        boolean g = (s & 0x08) != 0;
        if (y) {
            if (p + 4 * spatialLayers > limit) {
                return -1;
            }
            int last = p + 4 * (spatialLayers - 1);
            packetSsWidth = ((b[last] & 0xFF) << 8) | (b[last + 1] & 0xFF);
            packetSsHeight = ((b[last + 2] & 0xFF) << 8) | (b[last + 3] & 0xFF);
            p += 4 * spatialLayers;
        }
        if (g) {
            if (p >= limit) {
                return -1;
            }
            int groups = b[p++] & 0xFF;
            for (int k = 0; k < groups; k++) {
                if (p >= limit) {
                    return -1;
                }
                int refs = (b[p++] >>> 2) & 0x03; // TID(3) U(1) R(2) reserved(2)
                p += refs;
            }
        }
        return p;
    }

    /**
     * Width and height ({@code width << 16 | height}) from a VP9 keyframe's uncompressed header (VP9 bitstream
     * specification 6.2), or 0 when {@code b[off, off + len)} is not a keyframe or is cut short.
     */
    static long keyframeSize(byte[] b, int off, int len) {
        BitReader r = new BitReader(b, off, len);
        if (r.bits(2) != 2) {
            return 0; // frame marker
        }
        int profile = r.bit() | r.bit() << 1;
        if (profile == 3) {
            r.bit();
        }
        if (r.bit() != 0 || r.bit() != 0) {
            return 0; // show_existing_frame, or frame_type is not KEY_FRAME
        }
        r.bits(2); // show_frame, error_resilient_mode
        if (r.bits(24) != 0x498342) {
            return 0;
        }
        if (profile >= 2) {
            r.bit(); // ten_or_twelve_bit
        }
        int colorSpace = r.bits(3);
        if (colorSpace != 7) {
            r.bit(); // color_range
            if (profile == 1 || profile == 3) {
                r.bits(3); // subsampling_x, subsampling_y, reserved_zero
            }
        } else if (profile == 1 || profile == 3) {
            r.bit();
        }
        long width = r.bits(16) + 1L;
        long height = r.bits(16) + 1L;
        return r.overrun() ? 0 : width << 16 | height;
    }
}
