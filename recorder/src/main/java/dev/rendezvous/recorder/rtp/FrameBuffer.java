package dev.rendezvous.recorder.rtp;

import java.util.Arrays;

/** A frame being reassembled: a growable byte buffer with a ceiling no real frame reaches. */
final class FrameBuffer {

    static final int MAX_FRAME = 4 * 1024 * 1024;

    private byte[] bytes = new byte[64 * 1024];
    private int length;

    /** Appends {@code b[off, off + len)}; false (nothing appended) when the frame would pass {@link #MAX_FRAME}. */
    boolean append(byte[] b, int off, int len) {
        if (!reserve(len)) {
            return false;
        }
        System.arraycopy(b, off, bytes, length, len);
        length += len;
        return true;
    }

    /** Room for {@code len} more bytes; false when the frame would pass {@link #MAX_FRAME}. */
    private boolean reserve(int len) {
        if (length + len > MAX_FRAME) {
            return false;
        }
        if (length + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(MAX_FRAME, Math.max(bytes.length * 2, length + len)));
        }
        return true;
    }

    /** Appends a 4-byte big-endian length. */
    boolean appendLength(int n) {
        if (!reserve(4)) {
            return false;
        }
        bytes[length++] = (byte) (n >>> 24);
        bytes[length++] = (byte) (n >>> 16);
        bytes[length++] = (byte) (n >>> 8);
        bytes[length++] = (byte) n;
        return true;
    }

    boolean appendByte(int b) {
        if (!reserve(1)) {
            return false;
        }
        bytes[length++] = (byte) b;
        return true;
    }

    void clear() {
        length = 0;
    }

    /** The buffer; {@code [0, length())} is the frame. */
    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }
}
