package dev.rendezvous.recorder.composite;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Small helpers over FFmpeg's return codes. */
final class Av {

    private Av() {
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
