package dev.rendezvous.forwarder.media.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private final ByteBuffer into = ByteBuffer.allocate(2048);

    @Test
    void shouldGiveAFrameOnlyOnceAllOfItArrivedInPieces() {
        FrameReader r = new FrameReader(2048, 8 * 1024);
        byte[] stream = framed(bytes(300, 1));

        r.feed(stream, 0, 1); // half of the length field
        assertThat(r.next(into)).isEqualTo(FrameReader.NEED_MORE);
        r.feed(stream, 1, 100);
        assertThat(r.next(into)).isEqualTo(FrameReader.NEED_MORE);
        r.feed(stream, 101, stream.length - 101);

        assertThat(r.next(into)).isEqualTo(300);
        assertThat(Arrays.copyOf(into.array(), 300)).isEqualTo(bytes(300, 1));
        assertThat(r.hasBuffered()).isFalse();
        assertThat(r.next(into.clear())).isEqualTo(FrameReader.NEED_MORE);
    }

    @Test
    void shouldSplitSeveralFramesOfOneReadAndKeepTheTailForTheNextRead() {
        FrameReader r = new FrameReader(2048, 8 * 1024);
        byte[] a = framed(bytes(20, 2));
        byte[] b = framed(bytes(1200, 3));
        byte[] c = framed(bytes(7, 4));
        byte[] all = concat(a, b, c);
        r.feed(all, 0, all.length - 3); // the last frame's tail comes later

        assertThat(r.next(into.clear())).isEqualTo(20);
        assertThat(Arrays.copyOf(into.array(), 20)).isEqualTo(bytes(20, 2));
        assertThat(r.next(into.clear())).isEqualTo(1200);
        assertThat(Arrays.copyOf(into.array(), 1200)).isEqualTo(bytes(1200, 3));
        assertThat(r.next(into.clear())).isEqualTo(FrameReader.NEED_MORE);
        r.feed(all, all.length - 3, 3);
        assertThat(r.next(into.clear())).isEqualTo(7);
        assertThat(Arrays.copyOf(into.array(), 7)).isEqualTo(bytes(7, 4));
    }

    @Test
    void shouldSkipEmptyFrames() {
        FrameReader r = new FrameReader(2048, 8 * 1024);
        byte[] all = concat(new byte[2], framed(bytes(5, 9)));
        r.feed(all, 0, all.length);

        assertThat(r.next(into)).isEqualTo(5);
    }

    @Test
    void shouldCallALengthOverTheLimitOrOverTheTargetOversize() {
        FrameReader r = new FrameReader(2048, 8 * 1024);
        r.feed(new byte[] {0x08, 0x01}, 0, 2); // 2049
        assertThat(r.next(into)).isEqualTo(FrameReader.OVERSIZE);

        FrameReader small = new FrameReader(2048, 8 * 1024);
        byte[] f = framed(bytes(100, 5));
        small.feed(f, 0, f.length);
        assertThat(small.next(ByteBuffer.allocate(99))).isEqualTo(FrameReader.OVERSIZE);
    }

    @Test
    void shouldReassembleAnyChunkingOfAStreamIntoTheSameFrames() {
        Random random = new Random(42);
        byte[][] frames = new byte[200][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = bytes(1 + random.nextInt(2048), i);
        }
        byte[] stream = new byte[0];
        for (byte[] f : frames) {
            stream = concat(stream, framed(f));
        }
        FrameReader r = new FrameReader(2048, 2 + 2048); // the smallest buffer: compaction must make room
        int fed = 0;
        int got = 0;
        while (got < frames.length) {
            int n = r.next(into.clear());
            if (n >= 0) {
                assertThat(Arrays.copyOf(into.array(), n)).as("frame %d", got).isEqualTo(frames[got]);
                got++;
                continue;
            }
            assertThat(n).isEqualTo(FrameReader.NEED_MORE);
            int chunk = Math.min(1 + random.nextInt(3000), stream.length - fed);
            fed += r.feed(stream, fed, chunk);
        }
        assertThat(fed).isEqualTo(stream.length);
    }

    static byte[] framed(byte[] payload) {
        byte[] b = new byte[2 + payload.length];
        b[0] = (byte) (payload.length >>> 8);
        b[1] = (byte) payload.length;
        System.arraycopy(payload, 0, b, 2, payload.length);
        return b;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
