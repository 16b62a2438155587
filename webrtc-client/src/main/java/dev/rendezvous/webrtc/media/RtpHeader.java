package dev.rendezvous.webrtc.media;

/**
 * Writes the RTP fixed header (RFC 3550) and the one-byte-form RFC 6464 audio-level extension (RFC 8285) that
 * Chromium puts on every Opus packet, which the forwarder reads for its active-speaker decision.
 */
public final class RtpHeader {

    public static final int FIXED = 12;
    /** The extension block with one audio-level element: profile + length word, one element, padding. */
    public static final int AUDIO_LEVEL_BLOCK = 8;

    private RtpHeader() {
    }

    /** Writes 12 bytes at {@code b[0]}: V=2, no padding, no extension, no CSRC. Returns 12. */
    public static int write(byte[] b, int payloadType, boolean marker, int seq, long timestamp, long ssrc) {
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        put32(b, 4, timestamp);
        put32(b, 8, ssrc);
        return FIXED;
    }

    /**
     * Sets the X bit and writes the audio-level extension block after the fixed header. {@code level} is 0..127
     * (-dBov: 0 loudest, 127 silence); {@code voice} is the V flag. Returns the header length, 20.
     */
    public static int addAudioLevel(byte[] b, int extensionId, int level, boolean voice) {
        b[0] = (byte) (b[0] | 0x10);
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[14] = 0;
        b[15] = 1; // one 32-bit word of elements
        b[16] = (byte) (extensionId << 4); // length - 1 = 0: one data byte
        b[17] = (byte) ((voice ? 0x80 : 0) | (Math.max(0, Math.min(127, level))));
        b[18] = 0;
        b[19] = 0;
        return FIXED + AUDIO_LEVEL_BLOCK;
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
