package dev.rendezvous.recorder.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

/**
 * Opening a codec context with the bundled FFmpeg (set up by the caller, an error naming what failed) and freeing
 * what a field holds.
 */
class AvTest {

    @Test
    void opensACodecContextSetUpByTheCaller() throws IOException {
        AVCodecContext ctx = Av.open(avcodec_find_encoder_by_name("libopus"), "open libopus", c -> {
            c.sample_rate(AudioMix.RATE).sample_fmt(AV_SAMPLE_FMT_FLT).bit_rate(64_000)
                    .time_base(av_make_q(1, AudioMix.RATE));
            av_channel_layout_default(c.ch_layout(), 1);
        });
        try {
            assertThat(ctx.frame_size()).isPositive();
        } finally {
            avcodec_free_context(ctx);
        }
    }

    @Test
    void aFailedOpenIsAnIoExceptionNamingWhatFailed() {
        AVCodec vp8 = avcodec_find_encoder_by_name("libvpx");
        assertThatThrownBy(() -> Av.open(vp8, "open libvpx", c -> { })) // nothing set up: no time base
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("open libvpx failed: ");
    }

    @Test
    void aFailedSetupGoesOnAsItIs() {
        IOException refused = new IOException("refused");
        assertThatThrownBy(() -> Av.open(avcodec_find_encoder_by_name("libopus"), "open libopus", c -> {
            throw refused;
        })).isSameAs(refused);
    }

    @Test
    void freeingIsNullSafeAndClearsTheField() {
        AVFrame frame = av_frame_alloc();
        List<AVFrame> freed = new ArrayList<>();
        assertThat(Av.free(frame, f -> {
            freed.add(f);
            av_frame_free(f);
        })).isNull();
        assertThat(freed).containsExactly(frame);
        assertThat(Av.free((AVFrame) null, f -> freed.add(f))).isNull();
        assertThat(freed).hasSize(1);
    }
}
