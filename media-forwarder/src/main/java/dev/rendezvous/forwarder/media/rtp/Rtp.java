package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.inBounds;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u32;

/**
 * Static accessors on a plaintext RTP packet (RFC 3550 section 5.1) at {@code buf[off, off+len)}.
 *
 * <p>Exists so that the forwarder can inspect and rewrite RTP headers in place, straight in the receive
 * buffer, without wrapping or copying the packet. The simple field getters and setters assume a packet that
 * passed {@link #isValid}; the methods taking {@code len} check bounds themselves and never throw on garbage.
 * Header extensions are looked up per RFC 8285 (one-byte {@code 0xBEDE} and two-byte {@code 0x100x} forms).
 */
public final class Rtp {

    /** Size of the fixed RTP header. */
    public static final int FIXED_HEADER = 12;
    /** Profile of the RFC 8285 one-byte header extension form. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Profile of the RFC 8285 two-byte header extension form, with the low 4 bits ("appbits") masked off. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private Rtp() {
    }

    /**
     * True for version 2 with room for the fixed header, the CSRCs and the extension block, and consistent
     * padding (the last octet counts 1..n padding octets that fit after the header).
     */
    public static boolean isValid(byte[] b, int off, int len) {
        int header = headerLength(b, off, len);
        if (header < 0) {
            return false;
        }
        if ((b[off] & 0x20) != 0) {
            int pad = b[off + len - 1] & 0xFF;
            return pad >= 1 && pad <= len - header;
        }
        return true;
    }

    /** The payload type (7 bits). */
    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static boolean hasPadding(byte[] b, int off) {
        return (b[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] b, int off) {
        return b[off] & 0x0F;
    }

    public static int sequence(byte[] b, int off) {
        return u16(b, off + 2);
    }

    public static long timestamp(byte[] b, int off) {
        return u32(b, off + 4);
    }

    public static long ssrc(byte[] b, int off) {
        return u32(b, off + 8);
    }

    /** 12 + 4 * CC + the extension block (4 + 4 * words) if X is set; -1 if that does not fit in len or not version 2. */
    public static int headerLength(byte[] b, int off, int len) {
        if (!inBounds(b, off, len) || len < FIXED_HEADER || (b[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = FIXED_HEADER + 4 * (b[off] & 0x0F);
        if (header > len) {
            return -1;
        }
        if ((b[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            header += 4 + 4 * u16(b, off + header + 2);
            if (header > len) {
                return -1;
            }
        }
        return header;
    }

    /** Number of padding octets at the end (0 without the P bit); -1 if the packet is not valid. */
    public static int paddingLength(byte[] b, int off, int len) {
        if (!isValid(b, off, len)) {
            return -1;
        }
        return (b[off] & 0x20) != 0 ? b[off + len - 1] & 0xFF : 0;
    }

    /** Payload length without header and padding; -1 if the packet is not valid. */
    public static int payloadLength(byte[] b, int off, int len) {
        int pad = paddingLength(b, off, len);
        return pad < 0 ? -1 : len - headerLength(b, off, len) - pad;
    }

    public static void setSequence(byte[] b, int off, int seq) {
        put16(b, off + 2, seq);
    }

    public static void setTimestamp(byte[] b, int off, long ts) {
        put32(b, off + 4, ts & MASK32);
    }

    public static void setSsrc(byte[] b, int off, long ssrc) {
        put32(b, off + 8, ssrc & MASK32);
    }

    public static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7F);
    }

    public static void setPayloadType(byte[] b, int off, int pt) {
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | (pt & 0x7F));
    }

    /**
     * Offset (absolute index into {@code b}) of the data of the RFC 8285 extension element with this id, or -1
     * if there is no such element, no extension block, an unknown extension profile or a malformed block.
     */
    public static int findExtension(byte[] b, int off, int len, int id) {
        long found = locateExtension(b, off, len, id);
        return found < 0 ? -1 : (int) (found >>> 32);
    }

    /** Length in bytes of the data of the extension element with this id (one-byte form: 1..16), or -1 if absent. */
    public static int extensionLength(byte[] b, int off, int len, int id) {
        long found = locateExtension(b, off, len, id);
        return found < 0 ? -1 : (int) (found & 0xFFFF);
    }

    /** RFC 6464 audio level (0..127, as -dBov; 127 is silence) of the element with this id, or -1. */
    public static int audioLevel(byte[] b, int off, int len, int id) {
        long found = locateExtension(b, off, len, id);
        if (found < 0 || (found & 0xFFFF) < 1) {
            return -1;
        }
        return b[(int) (found >>> 32)] & 0x7F;
    }

    /** The RFC 6464 voice-activity flag of the audio level element with this id; false if absent. */
    public static boolean audioLevelVad(byte[] b, int off, int len, int id) {
        long found = locateExtension(b, off, len, id);
        return found >= 0 && (found & 0xFFFF) >= 1 && (b[(int) (found >>> 32)] & 0x80) != 0;
    }

    /**
     * The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01: 16 bits, big
     * endian) of the extension element with this id, or -1 if absent or shorter than two bytes.
     */
    public static int transportSequence(byte[] b, int off, int len, int id) {
        long found = locateExtension(b, off, len, id);
        if (found < 0 || (found & 0xFFFF) < 2) {
            return -1;
        }
        return u16(b, (int) (found >>> 32));
    }

    /**
     * Overwrites, in place, the transport-wide sequence number of the element with id {@code fromId} and
     * renumbers the element to {@code toId} (a subscriber may have agreed another id than the publisher; in the
     * one-byte form both must be 1..14). False, with the packet unchanged, if there is no such element of two
     * bytes or {@code toId} does not fit the block's form.
     */
    public static boolean setTransportSequence(byte[] b, int off, int len, int fromId, int toId, int seq) {
        long found = locateExtension(b, off, len, fromId);
        if (found < 0 || (found & 0xFFFF) != 2) {
            return false;
        }
        int data = (int) (found >>> 32);
        int profile = u16(b, off + FIXED_HEADER + 4 * (b[off] & 0x0F));
        if (profile == ONE_BYTE_PROFILE) {
            if (toId < 1 || toId > 14) {
                return false;
            }
            b[data - 1] = (byte) ((toId << 4) | 1);
        } else {
            if (toId < 1 || toId > 255) {
                return false;
            }
            b[data - 2] = (byte) toId;
        }
        put16(b, data, seq & 0xFFFF);
        return true;
    }

    /**
     * Replaces the whole extension block, in place, by one one-byte-form element {@code id} (1..14) holding the
     * transport-wide sequence number, followed by padding: what a subscriber that agreed only this extension
     * reads, whatever the publisher's block carried. The packet keeps its length. False, unchanged, without an
     * extension block of at least 4 bytes of elements (any packet that carried a transport-wide number has one).
     */
    public static boolean stampTransportSequence(byte[] b, int off, int len, int id, int seq) {
        int header = headerLength(b, off, len);
        if (header < 0 || (b[off] & 0x10) == 0 || id < 1 || id > 14) {
            return false;
        }
        int block = off + FIXED_HEADER + 4 * (b[off] & 0x0F);
        int end = off + header;
        if (end - (block + 4) < 4) {
            return false;
        }
        put16(b, block, ONE_BYTE_PROFILE);
        int p = block + 4;
        b[p] = (byte) ((id << 4) | 1);
        put16(b, p + 1, seq & 0xFFFF);
        for (int i = p + 3; i < end; i++) {
            b[i] = 0;
        }
        return true;
    }

    /** (dataOffset << 32 | dataLength) of the element, or -1. */
    private static long locateExtension(byte[] b, int off, int len, int id) {
        int header = headerLength(b, off, len);
        if (header < 0 || (b[off] & 0x10) == 0) {
            return -1;
        }
        int block = off + FIXED_HEADER + 4 * (b[off] & 0x0F);
        int profile = u16(b, block);
        int p = block + 4;
        int end = off + header;
        if (profile == ONE_BYTE_PROFILE) {
            if (id < 1 || id > 14) {
                return -1;
            }
            while (p < end) {
                int h = b[p] & 0xFF;
                int elementId = h >>> 4;
                if (elementId == 0) { // padding octet
                    p++;
                    continue;
                }
                if (elementId == 15) { // reserved: stop parsing
                    return -1;
                }
                int dataLen = (h & 0x0F) + 1;
                if (dataLen > end - p - 1) {
                    return -1;
                }
                if (elementId == id) {
                    return ((long) (p + 1) << 32) | dataLen;
                }
                p += 1 + dataLen;
            }
        } else if ((profile & 0xFFF0) == TWO_BYTE_PROFILE) {
            if (id < 1 || id > 255) {
                return -1;
            }
            while (p < end) {
                int elementId = b[p] & 0xFF;
                if (elementId == 0) { // padding octet
                    p++;
                    continue;
                }
                if (end - p < 2) {
                    return -1;
                }
                int dataLen = b[p + 1] & 0xFF;
                if (dataLen > end - p - 2) {
                    return -1;
                }
                if (elementId == id) {
                    return ((long) (p + 2) << 32) | dataLen;
                }
                p += 2 + dataLen;
            }
        }
        return -1;
    }
}
