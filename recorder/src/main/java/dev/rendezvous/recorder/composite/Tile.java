package dev.rendezvous.recorder.composite;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.util.ArrayDeque;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;

/**
 * One cell of the composite: one participant's source (their camera files, or their shared screen's, one after the
 * other). Decoded pictures are queued as references with their composite time; {@link #show} picks the latest one
 * due, scales it (only when it or the cell's place changed, {@link #place}) into the cell, letterboxed, and
 * {@link #draw}s it on the canvas; {@link #outline} frames it (the active speaker). Frees its native structs on
 * {@link #close}.
 */
final class Tile implements AutoCloseable {

    /** The outline's colour (amber, BT.601 limited range) and thickness in pixels (even). */
    private static final byte OUTLINE_Y = (byte) 182;
    private static final byte OUTLINE_U = (byte) 32;
    private static final byte OUTLINE_V = (byte) 166;
    static final int OUTLINE = 6;

    private GridLayout.Rect cell;
    private final ArrayDeque<AVFrame> queued = new ArrayDeque<>();
    private final ArrayDeque<Double> queuedTimes = new ArrayDeque<>();
    private AVFrame current;
    private boolean changed;
    private SwsContext scaler;
    private AVFrame scaled;
    private GridLayout.Rect rect;
    private byte[] y = new byte[0];
    private byte[] u = new byte[0];
    private byte[] v = new byte[0];
    private boolean picture;

    /**
     * Where the cell is on the canvas now (the layout changes as people come, go and share screens); null: not shown
     * now (its pictures are still taken in order, not scaled).
     */
    void place(GridLayout.Rect where) {
        if (!java.util.Objects.equals(where, cell)) {
            cell = where;
            changed |= current != null;   // the picture shown is scaled again for its new place
        }
    }

    /** A decoded picture at composite time {@code timeSec}: a reference is kept until it is shown or replaced. */
    void offer(double timeSec, AVFrame frame) {
        AVFrame ref = av_frame_clone(frame);
        if (ref == null || ref.isNull()) {
            return;
        }
        queued.addLast(ref);
        queuedTimes.addLast(timeSec);
    }

    /** Moves to composite time {@code timeSec}: the latest picture due becomes the one drawn. */
    void show(double timeSec) {
        while (!queuedTimes.isEmpty() && queuedTimes.peekFirst() <= timeSec) {
            queuedTimes.removeFirst();
            AVFrame next = queued.removeFirst();
            if (current != null) {
                av_frame_free(current);
            }
            current = next;
            changed = true;
        }
        if (changed) {
            changed = false;
            picture = scale(current);
        }
    }

    /** Nothing to show (the participant is absent now): black until a new picture comes. */
    void blank() {
        if (current != null) {
            av_frame_free(current);
            current = null;
        }
        picture = false;
    }

    /** Draws the current picture onto the canvas planes (4:2:0, {@code width}×{@code height}). */
    void draw(byte[] cy, byte[] cu, byte[] cv, int width) {
        if (!picture) {
            return;
        }
        int w = rect.width();
        int h = rect.height();
        for (int row = 0; row < h; row++) {
            System.arraycopy(y, row * w, cy, (rect.y() + row) * width + rect.x(), w);
        }
        int cw = w / 2;
        int half = width / 2;
        for (int row = 0; row < h / 2; row++) {
            int to = (rect.y() / 2 + row) * half + rect.x() / 2;
            System.arraycopy(u, row * cw, cu, to, cw);
            System.arraycopy(v, row * cw, cv, to, cw);
        }
    }

    /** Frames the picture (or, without one, the cell) with a band of {@link #OUTLINE} pixels, inside it. */
    void outline(byte[] cy, byte[] cu, byte[] cv, int width) {
        GridLayout.Rect r = picture ? rect : cell;
        if (r == null) {
            return;
        }
        int t = Math.min(OUTLINE, Math.min(r.width(), r.height()) / 2) & ~1;
        for (int row = r.y(); row < r.y() + r.height(); row++) {
            boolean band = row < r.y() + t || row >= r.y() + r.height() - t;
            int from = r.x();
            int to = r.x() + r.width();
            if (band) {
                java.util.Arrays.fill(cy, row * width + from, row * width + to, OUTLINE_Y);
            } else {
                java.util.Arrays.fill(cy, row * width + from, row * width + from + t, OUTLINE_Y);
                java.util.Arrays.fill(cy, row * width + to - t, row * width + to, OUTLINE_Y);
            }
            if (row % 2 == 0) {
                int half = width / 2;
                int c = row / 2 * half;
                int cFrom = c + from / 2;
                int cTo = c + to / 2;
                if (band) {
                    java.util.Arrays.fill(cu, cFrom, cTo, OUTLINE_U);
                    java.util.Arrays.fill(cv, cFrom, cTo, OUTLINE_V);
                } else {
                    java.util.Arrays.fill(cu, cFrom, cFrom + t / 2, OUTLINE_U);
                    java.util.Arrays.fill(cv, cFrom, cFrom + t / 2, OUTLINE_V);
                    java.util.Arrays.fill(cu, cTo - t / 2, cTo, OUTLINE_U);
                    java.util.Arrays.fill(cv, cTo - t / 2, cTo, OUTLINE_V);
                }
            }
        }
    }

    private boolean scale(AVFrame f) {
        if (f == null || f.width() <= 0 || f.height() <= 0 || cell == null) {
            return false;
        }
        GridLayout.Rect r = GridLayout.fit(cell, f.width(), f.height());
        scaler = sws_getCachedContext(scaler, f.width(), f.height(), f.format(), r.width(), r.height(),
                AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (scaler == null || scaler.isNull()) {
            return false;
        }
        if (scaled == null || !r.equals(rect)) {
            if (scaled != null) {
                av_frame_free(scaled);
            }
            scaled = av_frame_alloc();
            scaled.format(AV_PIX_FMT_YUV420P).width(r.width()).height(r.height());
            if (av_frame_get_buffer(scaled, 0) < 0) {
                av_frame_free(scaled);
                scaled = null;
                return false;
            }
            rect = r;
            y = new byte[r.width() * r.height()];
            u = new byte[r.width() / 2 * (r.height() / 2)];
            v = new byte[u.length];
        }
        sws_scale(scaler, f.data(), f.linesize(), 0, f.height(), scaled.data(), scaled.linesize());
        copyOut(scaled.data(0), scaled.linesize(0), y, r.width(), r.height());
        copyOut(scaled.data(1), scaled.linesize(1), u, r.width() / 2, r.height() / 2);
        copyOut(scaled.data(2), scaled.linesize(2), v, r.width() / 2, r.height() / 2);
        return true;
    }

    private static void copyOut(BytePointer plane, int linesize, byte[] to, int w, int h) {
        for (int row = 0; row < h; row++) {
            plane.position((long) row * linesize).get(to, row * w, w);
        }
    }

    @Override
    public void close() {
        blank();
        for (AVFrame f : queued) {
            av_frame_free(f);
        }
        queued.clear();
        queuedTimes.clear();
        if (scaled != null) {
            av_frame_free(scaled);
            scaled = null;
        }
        if (scaler != null) {
            sws_freeContext(scaler);
            scaler = null;
        }
    }
}
