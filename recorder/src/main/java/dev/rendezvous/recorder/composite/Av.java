package dev.rendezvous.recorder.composite;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.Pointer;

/**
 * Small helpers over FFmpeg: its return codes, opening a codec context that is freed again if that fails, and
 * freeing the native structs an owner holds in its fields.
 */
final class Av {

    /** Sets up a codec context before it is opened (its parameters, options, flags). */
    @FunctionalInterface
    interface CodecSetup {
        void apply(AVCodecContext ctx) throws IOException;
    }

    private Av() {
    }

    /**
     * A new context for {@code codec} (an encoder or a decoder), set up by {@code setup} and opened; when either
     * fails, the context is freed and the exception goes on (an IOException naming {@code what} for the open).
     */
    static AVCodecContext open(AVCodec codec, String what, CodecSetup setup) throws IOException {
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        try {
            setup.apply(ctx);
            check(avcodec_open2(ctx, codec, (AVDictionary) null), what);
            return ctx;
        } catch (IOException | RuntimeException e) {
            avcodec_free_context(ctx);
            throw e;
        }
    }

    /**
     * Frees {@code p} with {@code free} (FFmpeg's function for its kind, or {@link Pointer#close}) if there is one;
     * returns null, for the field that held it: {@code frame = Av.free(frame, avutil::av_frame_free)}.
     */
    static <T extends Pointer> T free(T p, Consumer<? super T> free) {
        if (p != null) {
            free.accept(p);
        }
        return null;
    }

    /** {@code ret} when it is not an error, else an IOException naming {@code what} and FFmpeg's message. */
    static int check(int ret, String what) throws IOException {
        if (ret < 0) {
            throw new IOException(what + " failed: " + message(ret));
        }
        return ret;
    }

    static String message(int ret) {
        byte[] buf = new byte[256];
        av_strerror(ret, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + ret + ")";
    }
}
