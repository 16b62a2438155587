package dev.rendezvous.topics.model;

import java.time.Instant;

/** What a forwarder reports about a room or a connection (topic {@code forwarder.event.emitted}, key = meeting id). */
public record ForwarderEvent(
        String forwarderId,
        String meetingId,
        String socketId,
        Kind kind,
        MediaSignal signal,
        Instant at) {

    /** MEDIA_STATS: how the forwarder serves the socket ({@link MediaSignal#stats()}), once a second while asked. */
    public enum Kind { ANSWER, OFFER, CANDIDATE, CONNECTED, DISCONNECTED, TRACK_ADDED, TRACK_REMOVED, ACTIVE_SPEAKER, ERROR,
        MEDIA_STATS }
}
