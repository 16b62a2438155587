package dev.rendezvous.topics.model;

import java.time.Instant;

/** WebRTC signaling from a client towards the room's forwarder (topic {@code signal.client.requested}). */
public record SignalRequest(
        String meetingId,
        String socketId,
        String gatewayId,
        int gatewayPartition,
        String participantId,
        Kind kind,
        MediaSignal signal,
        Instant at) {

    public enum Kind { OFFER, ANSWER, CANDIDATE, TRACK_UPDATE, RESTART }
}
