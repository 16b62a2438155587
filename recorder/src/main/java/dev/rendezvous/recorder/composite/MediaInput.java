package dev.rendezvous.recorder.composite;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One stored participant file being read: demuxed front to back and decoded — its first video stream to
 * frames, its first audio stream to mono float samples at 48 kHz — handed to a {@link Listener} with their time
 * in the file (seconds). Owns every native struct it makes; {@link #close} frees them (also after a failed open).
 */
final class MediaInput implements AutoCloseable {

    /** What comes out; called on the reading thread, during {@link #readUntil}. */
    interface Listener {
        /** A decoded picture, valid only during the call (take a reference to keep it). */
        void video(double timeSec, AVFrame frame);

        /** {@code n} mono samples at 48 kHz (the array is reused after the call). */
        void audio(double timeSec, float[] samples, int n);
    }

    private final Listener listener;
    private AVFormatContext format;
    private AVCodecContext video;
    private AVCodecContext audio;
    private int videoIndex = -1;
    private int audioIndex = -1;
    private double videoTimeBase;
    private double audioTimeBase;
    private AVPacket packet;
    private AVFrame frame;
    private SwrContext resampler;
    private FloatPointer resampled;
    private PointerPointer<Pointer> resampledPlanes;
    private float[] samples = new float[0];
    private double readTime = Double.NEGATIVE_INFINITY;
    private boolean ended;
    private long decodeErrors;

    MediaInput(Path file, Listener listener) throws IOException {
        this.listener = listener;
        try {
            AVFormatContext f = new AVFormatContext(null);
            Av.check(avformat_open_input(f, file.toString(), (AVInputFormat) null, (AVDictionary) null), "open " + file.getFileName());
            format = f;
            for (int i = 0; i < format.nb_streams(); i++) {
                AVStream s = format.streams(i);
                int type = s.codecpar().codec_type();
                if (type == AVMEDIA_TYPE_VIDEO && videoIndex < 0) {
                    video = decoder(s);
                    videoIndex = i;
                    videoTimeBase = av_q2d(s.time_base());
                } else if (type == AVMEDIA_TYPE_AUDIO && audioIndex < 0) {
                    audio = decoder(s);
                    audioIndex = i;
                    audioTimeBase = av_q2d(s.time_base());
                }
            }
            packet = av_packet_alloc();
            frame = av_frame_alloc();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static AVCodecContext decoder(AVStream stream) throws IOException {
        AVCodecParameters par = stream.codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new IOException("no decoder for codec id " + par.codec_id());
        }
        return Av.open(codec, "open decoder " + codec.name().getString(), ctx -> {
            Av.check(avcodec_parameters_to_context(ctx, par), "decoder parameters");
            ctx.thread_count(1);
            ctx.pkt_timebase(stream.time_base()); // lets the Opus decoder account for its pre-skip
        });
    }

    /**
     * Reads and decodes until a packet later than {@code timeSec} (file time) was read, or to the end; false
     * once the end was reached (the decoders are drained then).
     */
    boolean readUntil(double timeSec) {
        while (!ended && readTime <= timeSec) {
            if (av_read_frame(format, packet) < 0) {
                ended = true;
                decode(video, null, true);
                decode(audio, null, false);
                break;
            }
            try {
                int stream = packet.stream_index();
                long ts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                if (stream == videoIndex) {
                    readTime = Math.max(readTime, ts * videoTimeBase);
                    decode(video, packet, true);
                } else if (stream == audioIndex) {
                    readTime = Math.max(readTime, ts * audioTimeBase);
                    decode(audio, packet, false);
                }
            } finally {
                av_packet_unref(packet);
            }
        }
        return !ended;
    }

    /** Packets the decoders refused (damaged media; the rest is still used). */
    long decodeErrors() {
        return decodeErrors;
    }

    private void decode(AVCodecContext ctx, AVPacket p, boolean isVideo) {
        if (ctx == null) {
            return;
        }
        if (avcodec_send_packet(ctx, p) < 0) {
            decodeErrors++;
            return;
        }
        while (avcodec_receive_frame(ctx, frame) >= 0) {
            try {
                long ts = frame.best_effort_timestamp() != AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
                if (isVideo) {
                    listener.video(ts * videoTimeBase, frame);
                } else {
                    int n = resample(frame);
                    if (n > 0) {
                        listener.audio(ts * audioTimeBase, samples, n);
                    }
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** The frame as mono float at 48 kHz into {@link #samples}; returns how many. */
    private int resample(AVFrame f) {
        if (resampler == null) {
            AVChannelLayout mono = new AVChannelLayout();
            SwrContext s = new SwrContext(null); // the call allocates it (its pointer starts out null)
            try {
                av_channel_layout_default(mono, 1);
                int r = swr_alloc_set_opts2(s, mono, AV_SAMPLE_FMT_FLT, AudioMix.RATE, f.ch_layout(), f.format(),
                        f.sample_rate(), 0, null);
                if (r < 0 || s.isNull() || swr_init(s) < 0) {
                    if (!s.isNull()) {
                        swr_free(s);
                    }
                    decodeErrors++;
                    return 0;
                }
                resampler = s;
            } finally {
                av_channel_layout_uninit(mono);
                mono.close();
            }
        }
        int capacity = swr_get_out_samples(resampler, f.nb_samples());
        if (capacity <= 0) {
            return 0;
        }
        if (resampled == null || resampled.capacity() < capacity) {
            if (resampled != null) {
                resampled.close();
            }
            resampled = new FloatPointer(capacity);
            if (resampledPlanes == null) {
                resampledPlanes = new PointerPointer<>(1);
            }
            resampledPlanes.put(0, resampled);
        }
        int n = swr_convert(resampler, resampledPlanes, capacity, f.extended_data(), f.nb_samples());
        if (n <= 0) {
            return 0;
        }
        if (samples.length < n) {
            samples = new float[n];
        }
        resampled.get(samples, 0, n);
        return n;
    }

    @Override
    public void close() {
        resampler = Av.free(resampler, swresample::swr_free);
        resampled = Av.free(resampled, Pointer::close);
        resampledPlanes = Av.free(resampledPlanes, Pointer::close);
        frame = Av.free(frame, avutil::av_frame_free);
        packet = Av.free(packet, avcodec::av_packet_free);
        video = Av.free(video, avcodec::avcodec_free_context);
        audio = Av.free(audio, avcodec::avcodec_free_context);
        format = Av.free(format, avformat::avformat_close_input);
    }
}
