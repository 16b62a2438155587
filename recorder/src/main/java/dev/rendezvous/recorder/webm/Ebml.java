package dev.rendezvous.recorder.webm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * EBML (RFC 8794) element writing into a growable buffer: an element is its ID, its size as a variable-length
 * integer, then its data. Masters are written by building the children into their own {@code Ebml} first,
 * so every size is known (no seeking back); only the Segment is written with the "unknown" size, which lets a
 * file be streamed out while it grows.
 */
final class Ebml {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    Ebml uint(int id, long value) {
        int n = 1;
        while (n < 8 && (value >>> (8 * n)) != 0) {
            n++;
        }
        id(id);
        size(n);
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    Ebml floatBe(int id, double value) {
        long bits = Double.doubleToLongBits(value);
        id(id);
        size(8);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
        return this;
    }

    Ebml string(int id, String value) {
        return bytes(id, value.getBytes(StandardCharsets.UTF_8));
    }

    Ebml bytes(int id, byte[] value) {
        return bytes(id, value, 0, value.length);
    }

    Ebml bytes(int id, byte[] value, int off, int len) {
        id(id);
        size(len);
        out.write(value, off, len);
        return this;
    }

    /** An element whose data is {@code head} followed by {@code b[off, off + len)} (a SimpleBlock). */
    Ebml bytes(int id, byte[] head, byte[] b, int off, int len) {
        id(id);
        size(head.length + len);
        out.write(head, 0, head.length);
        out.write(b, off, len);
        return this;
    }

    Ebml master(int id, Ebml children) {
        byte[] b = children.toByteArray();
        return bytes(id, b);
    }

    /** The ID and the 8-byte "unknown" size (RFC 8794 section 6.2); the children follow as later writes. */
    Ebml openUnknown(int id) {
        id(id);
        out.write(0x01);
        for (int i = 0; i < 7; i++) {
            out.write(0xFF);
        }
        return this;
    }

    int length() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    void reset() {
        out.reset();
    }

    /** IDs are written as they are defined: their leading bits already are the length marker. */
    private void id(int id) {
        if ((id & 0xFF000000) != 0) {
            out.write(id >>> 24);
        }
        if ((id & 0xFFFF0000) != 0) {
            out.write(id >>> 16);
        }
        if ((id & 0xFFFFFF00) != 0) {
            out.write(id >>> 8);
        }
        out.write(id);
    }

    /** The smallest variable-length integer for {@code size} (all-ones patterns are reserved, so one more byte). */
    private void size(long size) {
        int n = 1;
        while (n < 8 && size >= (1L << (7 * n)) - 1) {
            n++;
        }
        long marked = size | (1L << (7 * n));
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (marked >>> (8 * i)));
        }
    }
}
