package dev.rendezvous.forwarder.media;

/**
 * A client's description of one of its own tracks, by the mid of its publish PeerConnection's m-section.
 *
 * @param kind   {@code audio} or {@code video}
 * @param source {@code microphone}, {@code camera} or {@code screen}
 */
public record TrackSpec(String mid, String kind, String source, boolean muted) {}
