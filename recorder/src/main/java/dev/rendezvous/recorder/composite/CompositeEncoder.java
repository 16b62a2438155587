package dev.rendezvous.recorder.composite;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The composite file being written: VP8 video (libvpx, real-time speed) and mono Opus audio (libopus) muxed into
 * WebM at a local path. Pictures come as 4:2:0 planes, one per frame period; audio as frames of
 * {@link #audioFrameSize()} samples. {@link #finish} drains the encoders and writes the trailer (the muxer sets
 * the duration and cues itself); {@link #close} frees every native struct, finished or not.
 */
final class CompositeEncoder implements AutoCloseable {

    private static final int AUDIO_BITRATE = 64_000;

    private final CompositeSettings settings;
    private AVFormatContext out;
    private AVCodecContext video;
    private AVCodecContext audio;
    private AVStream videoStream;
    private AVStream audioStream;
    private AVFrame picture;
    private AVFrame sound;
    private AVPacket packet;
    private long audioPts;

    CompositeEncoder(Path file, CompositeSettings settings) throws IOException {
        this.settings = settings;
        try {
            AVFormatContext oc = new AVFormatContext(null);
            Av.check(avformat_alloc_output_context2(oc, (AVOutputFormat) null, "webm", file.toString()), "webm muxer");
            out = oc;
            boolean globalHeader = (out.oformat().flags() & AVFMT_GLOBALHEADER) != 0;
            video = openVideo(globalHeader);
            audio = openAudio(globalHeader);
            videoStream = stream(video);
            audioStream = stream(audio);
            AVIOContext pb = new AVIOContext(null);
            Av.check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open " + file.getFileName());
            out.pb(pb);
            Av.check(avformat_write_header(out, (AVDictionary) null), "webm header");
            picture = av_frame_alloc();
            picture.format(AV_PIX_FMT_YUV420P).width(settings.width()).height(settings.height());
            Av.check(av_frame_get_buffer(picture, 0), "picture buffer");
            sound = av_frame_alloc();
            sound.format(AV_SAMPLE_FMT_FLT).nb_samples(audio.frame_size()).sample_rate(AudioMix.RATE);
            Av.check(av_channel_layout_copy(sound.ch_layout(), audio.ch_layout()), "channel layout");
            Av.check(av_frame_get_buffer(sound, 0), "sound buffer");
            packet = av_packet_alloc();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private AVCodecContext openVideo(boolean globalHeader) throws IOException {
        return openEncoder("libvpx", "libvpx (VP8)", globalHeader, c -> {
            c.width(settings.width()).height(settings.height()).pix_fmt(AV_PIX_FMT_YUV420P)
                    .time_base(av_make_q(1, settings.fps())).framerate(av_make_q(settings.fps(), 1))
                    .bit_rate(settings.bitrate()).gop_size(settings.fps() * 2).thread_count(settings.threads());
            // a recording is encoded once, after the fact, on a shared core: speed over the last bit of quality
            av_opt_set(c.priv_data(), "deadline", "realtime", 0);
            av_opt_set(c.priv_data(), "cpu-used", "8", 0);
        });
    }

    private AVCodecContext openAudio(boolean globalHeader) throws IOException {
        return openEncoder("libopus", "libopus", globalHeader, c -> {
            c.sample_rate(AudioMix.RATE).sample_fmt(AV_SAMPLE_FMT_FLT).bit_rate(AUDIO_BITRATE)
                    .time_base(av_make_q(1, AudioMix.RATE));
            av_channel_layout_default(c.ch_layout(), 1);
        });
    }

    /**
     * FFmpeg's encoder {@code name} ({@code label} in the error when this FFmpeg has none), set up by {@code setup},
     * with global headers when the muxer wants them, and opened.
     */
    private static AVCodecContext openEncoder(String name, String label, boolean globalHeader, Av.CodecSetup setup)
            throws IOException {
        AVCodec codec = avcodec_find_encoder_by_name(name);
        if (codec == null || codec.isNull()) {
            throw new IOException("no " + label + " encoder in this FFmpeg");
        }
        return Av.open(codec, "open " + name, c -> {
            setup.apply(c);
            if (globalHeader) {
                c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            }
        });
    }

    private AVStream stream(AVCodecContext c) throws IOException {
        AVStream s = avformat_new_stream(out, null);
        if (s == null || s.isNull()) {
            throw new IOException("no stream");
        }
        Av.check(avcodec_parameters_from_context(s.codecpar(), c), "stream parameters");
        s.time_base(c.time_base());
        return s;
    }

    /** Samples per audio frame (the last may be padded with silence). */
    int audioFrameSize() {
        return audio.frame_size();
    }

    /** Picture number {@code index} (its time is index / fps) from full-canvas 4:2:0 planes. */
    void picture(long index, byte[] y, byte[] u, byte[] v) throws IOException {
        Av.check(av_frame_make_writable(picture), "picture writable");
        int w = settings.width();
        int h = settings.height();
        copyIn(y, picture.data(0), picture.linesize(0), w, h);
        copyIn(u, picture.data(1), picture.linesize(1), w / 2, h / 2);
        copyIn(v, picture.data(2), picture.linesize(2), w / 2, h / 2);
        picture.pts(index);
        encode(video, picture, videoStream);
    }

    /** The next {@link #audioFrameSize()} mono samples. */
    void audio(float[] samples) throws IOException {
        Av.check(av_frame_make_writable(sound), "sound writable");
        FloatPointer data = new FloatPointer(sound.data(0));
        data.put(samples, 0, Math.min(samples.length, audio.frame_size()));
        sound.pts(audioPts);
        audioPts += audio.frame_size();
        encode(audio, sound, audioStream);
    }

    /** Drains both encoders and completes the file. */
    void finish() throws IOException {
        encode(video, null, videoStream);
        encode(audio, null, audioStream);
        Av.check(av_write_trailer(out), "webm trailer");
    }

    private void encode(AVCodecContext c, AVFrame f, AVStream s) throws IOException {
        Av.check(avcodec_send_frame(c, f), "encode");
        while (avcodec_receive_packet(c, packet) >= 0) {
            av_packet_rescale_ts(packet, c.time_base(), s.time_base());
            packet.stream_index(s.index());
            Av.check(av_interleaved_write_frame(out, packet), "write"); // takes the packet's data, unrefs it
        }
    }

    private static void copyIn(byte[] from, BytePointer plane, int linesize, int w, int h) {
        for (int row = 0; row < h; row++) {
            plane.position((long) row * linesize).put(from, row * w, w);
        }
    }

    @Override
    public void close() {
        packet = Av.free(packet, avcodec::av_packet_free);
        picture = Av.free(picture, avutil::av_frame_free);
        sound = Av.free(sound, avutil::av_frame_free);
        video = Av.free(video, avcodec::avcodec_free_context);
        audio = Av.free(audio, avcodec::avcodec_free_context);
        if (out != null) {
            if (out.pb() != null && !out.pb().isNull()) {
                avio_closep(out.pb());
            }
            avformat_free_context(out);
            out = null;
        }
    }
}
