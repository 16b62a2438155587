package dev.rendezvous.forwarder.media.rtp;

import java.util.Locale;

/**
 * Tells whether an RTP packet starts a keyframe, from its payload alone (no decoding), for the video codecs the
 * forwarder accepts: VP8 (RFC 7741), VP9 (RFC 9628) and H.264 (RFC 6184). The forwarder remembers where the
 * latest keyframe of each track starts in its retransmission cache, so that a subscriber who connects shortly
 * after can be sent that keyframe and what followed at once instead of waiting for a new one (PLI round trip).
 *
 * <p>Pure functions over a byte range; malformed or truncated payloads are "not a keyframe start", never an
 * exception. No allocation.
 */
public final class Keyframes {

    /** Codec families, resolved once per track from the SDP codec name. */
    public enum Codec {
        VP8, VP9, H264, OTHER;

        public static Codec of(String sdpName) {
            if (sdpName == null) {
                return OTHER;
            }
            return switch (sdpName.toUpperCase(Locale.ROOT)) {
                case "VP8" -> VP8;
                case "VP9" -> VP9;
                case "H264" -> H264;
                default -> OTHER;
            };
        }
    }

    private Keyframes() {
    }

    /**
     * True when the payload {@code [off, off + len)} (after the RTP header and extensions, before any padding)
     * is the first packet of a keyframe.
     */
    public static boolean isKeyframeStart(Codec codec, byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len) {
            return false;
        }
        return switch (codec) {
            case VP8 -> vp8(b, off, len);
            case VP9 -> vp9(b, off, len);
            case H264 -> h264(b, off, len);
            case OTHER -> false;
        };
    }

    /** RFC 7741 section 4.2 descriptor, then the VP8 payload header's P bit (0 = key frame) when S=1 and PID=0. */
    private static boolean vp8(byte[] b, int off, int len) {
        int p = vp8PayloadHeader(b, off, len);
        return p >= 0 && (b[p] & 0x01) == 0;
    }

    /**
     * The picture width a VP8 keyframe's first packet declares (RFC 6386 section 9.1: after the 3-byte frame tag,
     * the start code 9d 01 2a, then 14 bits of width), or -1 when the payload is not such a packet. No allocation.
     */
    public static int vp8Width(byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len) {
            return -1;
        }
        int p = vp8PayloadHeader(b, off, len);
        if (p < 0 || (b[p] & 0x01) != 0 || p + 10 > off + len) {
            return -1;
        }
        if ((b[p + 3] & 0xFF) != 0x9d || (b[p + 4] & 0xFF) != 0x01 || (b[p + 5] & 0xFF) != 0x2a) {
            return -1;
        }
        int w = ((b[p + 6] & 0xFF) | (b[p + 7] & 0xFF) << 8) & 0x3FFF;
        return w == 0 ? -1 : w;
    }

    /** Where the VP8 payload header starts after the descriptor of a frame's first packet (S=1, PID=0), else -1. */
    private static int vp8PayloadHeader(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        int d0 = b[p++] & 0xFF;
        boolean start = (d0 & 0x10) != 0;
        int pid = d0 & 0x07;
        if (!start || pid != 0) {
            return -1;
        }
        if ((d0 & 0x80) != 0) { // X: extension byte
            if (p >= end) {
                return -1;
            }
            int x = b[p++] & 0xFF;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (p >= end) {
                    return -1;
                }
                p += (b[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                p++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                p++;
            }
        }
        return p < end ? p : -1;
    }

    /** RFC 9628 section 4.2: P (inter-picture predicted) clear and B (start of frame) set. */
    private static boolean vp9(byte[] b, int off, int len) {
        int d0 = b[off] & 0xFF;
        boolean predicted = (d0 & 0x40) != 0;
        boolean begin = (d0 & 0x08) != 0;
        return !predicted && begin;
    }

    /** RFC 6184: an SPS or IDR NAL unit, alone, first in a STAP-A, or the start of an FU-A of an IDR. */
    private static boolean h264(byte[] b, int off, int len) {
        int type = b[off] & 0x1F;
        switch (type) {
            case 5, 7:
                return true;
            case 24: { // STAP-A: [size(2) NAL]...
                int p = off + 1;
                int end = off + len;
                while (p + 2 < end) {
                    int size = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
                    p += 2;
                    if (size == 0 || p + size > end) {
                        return false;
                    }
                    int t = b[p] & 0x1F;
                    if (t == 5 || t == 7) {
                        return true;
                    }
                    p += size;
                }
                return false;
            }
            case 28: { // FU-A: indicator, header (S E R type)
                if (len < 2) {
                    return false;
                }
                int fu = b[off + 1] & 0xFF;
                return (fu & 0x80) != 0 && (fu & 0x1F) == 5;
            }
            default:
                return false;
        }
    }
}
