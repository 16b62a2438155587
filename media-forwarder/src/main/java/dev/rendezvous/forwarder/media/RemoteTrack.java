package dev.rendezvous.forwarder.media;

/** One m-section of a subscribe offer as the client needs to know it: whose track the mid carries. */
public record RemoteTrack(String mid, String socketId, String participantId, TrackKind kind, TrackSource source,
                          boolean muted) {}
