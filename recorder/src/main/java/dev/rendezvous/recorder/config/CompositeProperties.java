package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.composite.CompositeSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.recorder.composite.*}: the composite of each finished recording (a grid of everyone's
 * video with all audio mixed, VP8 + Opus in WebM, encoded once with FFmpeg's libraries in process).
 *
 * @param enabled     make composites at all
 * @param width       canvas width (even)
 * @param height      canvas height (even)
 * @param fps         frames per second
 * @param bitrate     video bit rate, bits per second
 * @param threads     encoder threads per composite
 * @param concurrency composites rendered at the same time
 * @param queue       finished recordings that may wait for a render; more are refused (logged and counted)
 */
@ConfigurationProperties("rendezvous.recorder.composite")
public record CompositeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1280") int width,
        @DefaultValue("720") int height,
        @DefaultValue("15") int fps,
        @DefaultValue("1500000") int bitrate,
        @DefaultValue("1") int threads,
        @DefaultValue("1") int concurrency,
        @DefaultValue("100") int queue) {

    public CompositeProperties {
        settings(width, height, fps, bitrate, threads); // fails at start with the property's name in the message
        if (concurrency < 1 || queue < 1) {
            throw new IllegalArgumentException("rendezvous.recorder.composite.concurrency and .queue must be positive");
        }
    }

    public CompositeSettings settings() {
        return settings(width, height, fps, bitrate, threads);
    }

    private static CompositeSettings settings(int width, int height, int fps, int bitrate, int threads) {
        try {
            return new CompositeSettings(width, height, fps, bitrate, threads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rendezvous.recorder.composite: " + e.getMessage(), e);
        }
    }
}
