package dev.rendezvous.topics.model;

import java.time.Instant;

/** An order to one forwarder (topic {@code forwarder.command.issued}, key = forwarder id). */
public record ForwarderCommand(
        String forwarderId,
        String meetingId,
        String socketId,
        String participantId,
        Kind kind,
        MediaSignal signal,
        Instant at) {

    /**
     * SUBSCRIBE: start (or start over) the socket's subscribe side and offer it the room's tracks; sent when a
     * socket joins, so the subscribe connection is negotiated while the client still opens its camera, and when
     * a client restarts its media. TILE_VIEW: the socket's rendered tile sizes ({@link MediaSignal#tiles()}), which
     * cap the simulcast layers it is sent. STATS_START / STATS_STOP: report (or stop reporting) how the socket is
     * served, once a second, as MEDIA_STATS events.
     */
    public enum Kind { OFFER, ANSWER, CANDIDATE, TRACK_UPDATE, DISCONNECT, CLOSE_ROOM, RECORD_START, RECORD_STOP, SUBSCRIBE,
        TILE_VIEW, STATS_START, STATS_STOP }
}
