package dev.rendezvous.webrtc.stats;

/**
 * Where every forwarding-delay sample of every client sharing a {@code ClientRuntime} goes, besides the
 * per-track window in {@link RemoteStream}. A load tool needs percentiles over all packets of all receivers
 * during its measurement window; the per-track windows hold only the latest 512 samples of one track and
 * cannot be merged into exact percentiles. Called on the receive threads: implementations must be
 * thread-safe and cheap (e.g. an HdrHistogram {@code Recorder}).
 */
@FunctionalInterface
public interface DelaySink {

    /** Discards every sample. */
    DelaySink NONE = (video, delayNanos) -> { };

    /** One packet's delay from the sender's payload stamp to its arrival at a receiver. */
    void record(boolean video, long delayNanos);
}
