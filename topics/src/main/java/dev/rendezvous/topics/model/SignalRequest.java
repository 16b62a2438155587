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

    /**
     * OFFER: the publish PeerConnection's offer; ANSWER: the subscribe PeerConnection's answer; SUBSCRIBE: the
     * client has a new (or no) subscribe PeerConnection and wants a fresh subscribe offer (sent after a media
     * restart; a JOIN implies one). TILE_VIEW: how the client renders the remote video tracks (their tile sizes, or
     * hidden), for the forwarder's layer choice. STATS_START / STATS_STOP: the client's stats overlay opened or closed;
     * while open, the forwarder reports how it serves the client once a second ({@link MediaStats}).
     */
    public enum Kind { OFFER, ANSWER, CANDIDATE, TRACK_UPDATE, RESTART, SUBSCRIBE, TILE_VIEW, STATS_START, STATS_STOP }
}
