package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A socket asks to join or says it left a meeting (topic {@code room.member.requested}, key = meeting id).
 * {@code mediaFingerprint} (JOIN, optional): the SHA-256 certificate fingerprint of the client's subscribe
 * PeerConnection, passed to the forwarder with the SUBSCRIBE the join starts (see {@link MediaSignal}).
 * {@code lobby} (JOIN, optional): the meeting's lobby flag as stored when the gateway read it; the room processor
 * follows a change of it (a host may also turn the lobby on and off in the room).
 * {@code invited} (JOIN, optional): the joining user was invited by the host ({@code POST …/invites}); invited
 * people skip the lobby (not the lock).
 * {@code maxParticipants}, {@code muteOnEntry} (JOIN, optional): the meeting's stored settings as the gateway read
 * them; the room processor refuses joiners past the cap ({@code room_full}) and mutes newcomers' microphones.
 * {@code region} (JOIN, optional): the client's region hint (the page's, else its gateway's region label); placement
 * puts a new room on a forwarder of that region first.
 * {@code replaces} (JOIN, optional): the socket id this page held before its connection broke (its gateway died or the
 * network blinked); when that socket is still in the room under the same participant id, the new socket takes its place
 * (the old one leaves without a notice to the others). Ignored otherwise.
 */
public record MemberRequest(
        Action action,
        String meetingId,
        String socketId,
        String gatewayId,
        int gatewayPartition,
        String participantId,
        String displayName,
        Role role,
        Instant at,
        String mediaFingerprint,
        Boolean lobby,
        Boolean invited,
        Integer maxParticipants,
        Boolean muteOnEntry,
        String region,
        String replaces) {

    public enum Action { JOIN, LEAVE }

    public MemberRequest(Action action, String meetingId, String socketId, String gatewayId, int gatewayPartition,
                         String participantId, String displayName, Role role, Instant at) {
        this(action, meetingId, socketId, gatewayId, gatewayPartition, participantId, displayName, role, at, null);
    }

    public MemberRequest(Action action, String meetingId, String socketId, String gatewayId, int gatewayPartition,
                         String participantId, String displayName, Role role, Instant at, String mediaFingerprint) {
        this(action, meetingId, socketId, gatewayId, gatewayPartition, participantId, displayName, role, at,
                mediaFingerprint, null, null, null, null, null);
    }

    public MemberRequest(Action action, String meetingId, String socketId, String gatewayId, int gatewayPartition,
                         String participantId, String displayName, Role role, Instant at, String mediaFingerprint,
                         Boolean lobby) {
        this(action, meetingId, socketId, gatewayId, gatewayPartition, participantId, displayName, role, at,
                mediaFingerprint, lobby, null, null, null, null);
    }

    public MemberRequest(Action action, String meetingId, String socketId, String gatewayId, int gatewayPartition,
                         String participantId, String displayName, Role role, Instant at, String mediaFingerprint,
                         Boolean lobby, Boolean invited) {
        this(action, meetingId, socketId, gatewayId, gatewayPartition, participantId, displayName, role, at,
                mediaFingerprint, lobby, invited, null, null, null);
    }

    public MemberRequest(Action action, String meetingId, String socketId, String gatewayId, int gatewayPartition,
                         String participantId, String displayName, Role role, Instant at, String mediaFingerprint,
                         Boolean lobby, Boolean invited, Integer maxParticipants, Boolean muteOnEntry) {
        this(action, meetingId, socketId, gatewayId, gatewayPartition, participantId, displayName, role, at,
                mediaFingerprint, lobby, invited, maxParticipants, muteOnEntry, null);
    }

    public MemberRequest(Action action, String meetingId, String socketId, String gatewayId, int gatewayPartition,
                         String participantId, String displayName, Role role, Instant at, String mediaFingerprint,
                         Boolean lobby, Boolean invited, Integer maxParticipants, Boolean muteOnEntry, String region) {
        this(action, meetingId, socketId, gatewayId, gatewayPartition, participantId, displayName, role, at,
                mediaFingerprint, lobby, invited, maxParticipants, muteOnEntry, region, null);
    }

    public Member member() {
        return new Member(socketId, gatewayId, gatewayPartition, participantId, displayName, role, at, region);
    }
}
