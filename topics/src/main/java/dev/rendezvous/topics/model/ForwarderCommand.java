package dev.rendezvous.topics.model;

import java.time.Instant;

/** An order to one forwarder (topic {@code forwarder.command.issued}, key = forwarder id). */
public record ForwarderCommand(
        String forwarderId,
        String meetingId,
        String socketId,
        String participantId,
        Kind kind,
        String payload,
        Instant at) {

    public enum Kind { OFFER, CANDIDATE, TRACK_UPDATE, DISCONNECT, CLOSE_ROOM, RECORD_START, RECORD_STOP }
}
