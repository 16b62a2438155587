package dev.rendezvous.recorder.composite;

/**
 * How the composite is encoded.
 *
 * @param width       canvas width in pixels (even)
 * @param height      canvas height in pixels (even)
 * @param fps         frames per second
 * @param bitrate     video bit rate, bits per second
 * @param threads     encoder threads
 */
public record CompositeSettings(int width, int height, int fps, int bitrate, int threads) {

    public static final CompositeSettings DEFAULT = new CompositeSettings(1280, 720, 15, 1_500_000, 1);

    public CompositeSettings {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("composite width and height must be even and at least 16, got "
                    + width + "x" + height);
        }
        if (fps < 1 || fps > 60) {
            throw new IllegalArgumentException("composite fps must be 1..60, got " + fps);
        }
        if (bitrate < 50_000) {
            throw new IllegalArgumentException("composite bitrate must be at least 50000 bit/s, got " + bitrate);
        }
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("composite threads must be 1..16, got " + threads);
        }
    }
}
