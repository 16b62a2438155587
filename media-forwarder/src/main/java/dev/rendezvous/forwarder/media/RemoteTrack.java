package dev.rendezvous.forwarder.media;

/**
 * One m-section of a subscribe offer as the client needs to know it: whose track the mid carries.
 *
 * @param kind   {@code audio} or {@code video}
 * @param source {@code microphone}, {@code camera} or {@code screen}
 */
public record RemoteTrack(String mid, String socketId, String participantId, String kind, String source, boolean muted) {}
