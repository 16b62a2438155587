package dev.rendezvous.recorder.assembly;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Merges a file's video and audio blocks into one time-ordered stream, as WebM wants them. A block goes out
 * once the other track has reached its time, or once it is {@code maxLagMs} older than the newest block seen
 * (a track that went quiet — a camera turned off — does not hold the other back for long).
 */
final class BlockInterleaver {

    private final ArrayDeque<Block> video = new ArrayDeque<>();
    private final ArrayDeque<Block> audio = new ArrayDeque<>();
    private final long maxLagMs;
    private final Consumer<Block> out;
    private long newestMs;

    BlockInterleaver(long maxLagMs, Consumer<Block> out) {
        this.maxLagMs = maxLagMs;
        this.out = out;
    }

    void add(Block b) {
        (b.video() ? video : audio).add(b);
        newestMs = Math.max(newestMs, b.timeMs());
        release(false);
    }

    void flush() {
        release(true);
    }

    /** Blocks held back. */
    int pending() {
        return video.size() + audio.size();
    }

    private void release(boolean all) {
        while (!video.isEmpty() || !audio.isEmpty()) {
            Block v = video.peek();
            Block a = audio.peek();
            Block next = v == null ? a : a == null ? v : (a.timeMs() < v.timeMs() ? a : v);
            boolean bothPresent = v != null && a != null;
            if (!all && !bothPresent && newestMs - next.timeMs() < maxLagMs) {
                return;
            }
            (next == v ? video : audio).poll();
            out.accept(next);
        }
    }
}
