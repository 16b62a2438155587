package dev.rendezvous.forwarder.media.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The receiving half of RFC 4571 framing on one connection: bytes from the stream go into a fixed buffer,
 * whole frames ({@code 2-byte big-endian length, then that many bytes}) come out one at a time. A frame may
 * arrive in pieces over several reads, and one read may hold several frames. Nothing is allocated after
 * construction. Not thread-safe: the packet thread owns it.
 */
public final class FrameReader {

    /** {@link #next}: no whole frame is buffered yet. */
    public static final int NEED_MORE = -1;
    /** {@link #next}: the next frame is longer than allowed; the stream cannot be trusted any more. */
    public static final int OVERSIZE = -2;

    private final int maxFrame;
    private final byte[] bytes;
    private final ByteBuffer buffer;
    /** Start of the first unread byte; {@code buffer.position()} is the end of what was read. */
    private int start;

    /**
     * @param maxFrame the longest frame accepted (a longer length field is {@link #OVERSIZE})
     * @param capacity the buffer; at least {@code 2 + maxFrame} so that any accepted frame fits whole
     */
    public FrameReader(int maxFrame, int capacity) {
        if (maxFrame < 1 || maxFrame > 0xFFFF || capacity < 2 + maxFrame) {
            throw new IllegalArgumentException("maxFrame " + maxFrame + ", capacity " + capacity);
        }
        this.maxFrame = maxFrame;
        this.bytes = new byte[capacity];
        this.buffer = ByteBuffer.wrap(bytes);
    }

    /**
     * One read from {@code channel} into the free space (unread bytes move to the front first).
     *
     * @return bytes read, 0 when the buffer was full or nothing was there, -1 at the end of the stream
     */
    public int readFrom(ReadableByteChannel channel) throws IOException {
        compact();
        if (!buffer.hasRemaining()) {
            return 0;
        }
        return channel.read(buffer);
    }

    /** Appends {@code src[off, off+len)} as if read from the stream (tests); returns how many bytes fitted. */
    public int feed(byte[] src, int off, int len) {
        compact();
        int n = Math.min(len, buffer.remaining());
        buffer.put(src, off, n);
        return n;
    }

    /**
     * Copies the next whole frame's payload to {@code into}'s position (zero-length frames are skipped).
     *
     * @return the payload length, {@link #NEED_MORE} or {@link #OVERSIZE} (longer than {@code maxFrame} or
     *         than {@code into} has room for)
     */
    public int next(ByteBuffer into) {
        while (true) {
            int end = buffer.position();
            int available = end - start;
            if (available < 2) {
                return NEED_MORE;
            }
            int length = ((bytes[start] & 0xFF) << 8) | (bytes[start + 1] & 0xFF);
            if (length > maxFrame || length > into.remaining()) {
                return OVERSIZE;
            }
            if (available < 2 + length) {
                return NEED_MORE;
            }
            into.put(bytes, start + 2, length);
            start += 2 + length;
            if (start == end) {
                start = 0;
                buffer.clear();
            }
            if (length > 0) {
                return length;
            }
        }
    }

    /** True while bytes are buffered (perhaps only part of a frame). */
    public boolean hasBuffered() {
        return buffer.position() > start;
    }

    private void compact() {
        if (start == 0) {
            return;
        }
        int end = buffer.position();
        System.arraycopy(bytes, start, bytes, 0, end - start);
        buffer.position(end - start);
        start = 0;
    }
}
