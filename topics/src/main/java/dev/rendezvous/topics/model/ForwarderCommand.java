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

    public enum Kind { OFFER, ANSWER, CANDIDATE, TRACK_UPDATE, DISCONNECT, CLOSE_ROOM, RECORD_START, RECORD_STOP }
}
