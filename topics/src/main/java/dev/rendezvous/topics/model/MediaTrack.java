package dev.rendezvous.topics.model;

/**
 * One media track in a {@link MediaSignal}: the m-line ({@code mid}) that carries it, whose it is, what it is,
 * and whether its sender muted it.
 *
 * @param mid           the m-line's mid in the PeerConnection the signal is about
 * @param socketId      the publishing socket (null in a client's own PUBLISH offer: it is the sender)
 * @param participantId the publishing participant (null in a client's own PUBLISH offer)
 */
public record MediaTrack(String mid, String socketId, String participantId, Kind kind, Source source, boolean muted) {

    public enum Kind { AUDIO, VIDEO }

    public enum Source { MICROPHONE, CAMERA, SCREEN }
}
