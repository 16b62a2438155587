package dev.rendezvous.forwarder.media;

/**
 * A client's description of one of its own tracks, by the mid of its publish PeerConnection's m-section.
 *
 * @param kind   null when the client did not say (the SDP decides)
 * @param source null when the client did not say (audio is the microphone, the first video the camera, a
 *               second video the screen)
 */
public record TrackSpec(String mid, TrackKind kind, TrackSource source, boolean muted) {

    /** From wire names ({@code audio}, {@code camera}, …); unknown names count as unsaid. */
    public TrackSpec(String mid, String kind, String source, boolean muted) {
        this(mid, TrackKind.of(kind), TrackSource.of(source), muted);
    }
}
