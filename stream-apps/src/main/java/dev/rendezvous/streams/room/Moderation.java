package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.HostEvent.Reason;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.MeetingEnded;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.model.SignalRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Host controls, moderation: REMOVE, MUTE and MUTE_ALL (with the mute locks they leave, enforced on the person's
 * later publish offers and track updates), and END for all. Part of {@link HostActions}.
 */
final class Moderation {

    private final RoomMemberStore rooms;
    private final KeyValueStore<String, RoomControl> controls;
    private final KeyValueStore<String, RoomPlacement> placements;
    private final RoomOutputs out;
    private final HostActions.Doors doors;

    Moderation(RoomMemberStore rooms, KeyValueStore<String, RoomControl> controls,
               KeyValueStore<String, RoomPlacement> placements, RoomOutputs out, HostActions.Doors doors) {
        this.rooms = rooms;
        this.controls = controls;
        this.placements = placements;
        this.out = out;
        this.doors = doors;
    }

    /** REMOVE: REMOVED to the participant's sockets, which leave; the participant may not join again until admitted. */
    HostDecision remove(String meetingId, RoomMembers room, RoomControl c, String actor, String target,
                        String requestId, long ts) {
        if (target.equals(actor)) {
            return HostDecision.refused(HostEvent.Outcome.CONFLICT, HostError.CANNOT_REMOVE_YOURSELF, "leave the meeting instead");
        }
        List<Member> sockets = room.socketsOf(target);
        if (sockets.isEmpty()) {
            return HostDecision.notFound();
        }
        if (!c.removed.contains(target)) {
            c.removed.add(target);
        }
        c.cohosts.remove(target);
        c.muteLocks.remove(target);
        out.deliver(Deliveries.to(sockets, RoomEvent.host(RoomEvent.Type.REMOVED, meetingId,
                HostEvent.about(target).withReason(Reason.REMOVED_BY_HOST).withBy(actor, requestId))), ts);
        Set<String> leaving = new LinkedHashSet<>();
        sockets.forEach(m -> leaving.add(m.socketId()));
        for (Member m : sockets) {
            doors.exit(meetingId, m, c, leaving, ts);
        }
        return HostDecision.applied();
    }

    /** MUTE of one participant. */
    HostDecision mute(String meetingId, RoomMembers room, RoomControl c, String target, String actor,
                      HostActionRequest req, long ts) {
        return room.has(target) ? mute(meetingId, room, c, List.of(target), actor, muteOf(req), req.requestId(), ts)
                : HostDecision.notFound();
    }

    /**
     * The meeting mutes newcomers (its "mute on entry" setting): the joiner's microphone is muted as by a host, and
     * they may unmute themselves.
     */
    void muteOnEntry(String meetingId, RoomMembers room, RoomControl c, Member joiner, long ts) {
        mute(meetingId, room, c, List.of(joiner.participantId()), null, new HostActionRequest.Mute(true, false, true),
                null, ts);
    }

    /** MUTE_ALL: every user and guest but the actor (hosts and co-hosts keep their microphones). */
    HostDecision muteAll(String meetingId, RoomMembers room, RoomControl c, String actor, HostActionRequest req, long ts) {
        List<String> targets = Roles.of(room).entrySet().stream()
                .filter(e -> e.getValue() == Role.USER || e.getValue() == Role.GUEST)
                .map(Map.Entry::getKey).filter(p -> !p.equals(actor)).toList();
        return mute(meetingId, room, c, targets, actor, muteOf(req), req.requestId(), ts);
    }

    /**
     * Mutes each target: its lock (the kinds muted without leave to unmute) set or cleared, a TRACK_UPDATE muting the
     * sources' producers to the room's forwarder per socket, MUTED to its sockets.
     */
    private HostDecision mute(String meetingId, RoomMembers room, RoomControl c, List<String> targets, String actor,
                              HostActionRequest.Mute mute, String requestId, long ts) {
        RoomPlacement placement = placements.get(meetingId);
        for (String target : targets) {
            RoomControl.MuteLock was = c.muteLocks.get(target);
            boolean lockAudio = mute.audio() ? !mute.allowUnmute() : was != null && was.audio();
            boolean lockVideo = mute.video() ? !mute.allowUnmute() : was != null && was.video();
            if (lockAudio || lockVideo) {
                c.muteLocks.put(target, new RoomControl.MuteLock(lockAudio, lockVideo));
            } else {
                c.muteLocks.remove(target);
            }
            List<Member> sockets = room.socketsOf(target);
            for (Member m : sockets) {
                if (placement != null) {
                    // the forwarder stops forwarding the producers of those sources (mid null: matched by source)
                    List<MediaTrack> tracks = new ArrayList<>();
                    if (mute.audio()) {
                        tracks.add(new MediaTrack(null, m.socketId(), target, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true));
                    }
                    if (mute.video()) {
                        tracks.add(new MediaTrack(null, m.socketId(), target, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, true));
                    }
                    String fwd = placement.primaryForwarderId();
                    out.command(new ForwarderCommand(fwd, meetingId, m.socketId(), target,
                            ForwarderCommand.Kind.TRACK_UPDATE, MediaSignal.trackUpdate(tracks), Instant.ofEpochMilli(ts)), ts);
                }
            }
            out.deliver(Deliveries.to(sockets, RoomEvent.host(RoomEvent.Type.MUTED, meetingId,
                    HostEvent.about(target).withMute(mute).withBy(actor, requestId))), ts);
        }
        return HostDecision.applied();
    }

    private static HostActionRequest.Mute muteOf(HostActionRequest req) {
        HostActionRequest.Mute m = req.mute();
        if (m == null || (!m.audio() && !m.video())) {
            return new HostActionRequest.Mute(true, false, m == null || m.allowUnmute());   // nothing said: the microphone
        }
        return m;
    }

    /**
     * A client's publish offer or track update, with the kinds the host locked forced to muted (the person may not
     * unmute them); an attempt to unmute one is told {@code unmute_not_allowed}. Unchanged when nothing is locked.
     */
    SignalRequest enforceMuteLocks(String meetingId, SignalRequest req, long ts) {
        if (req == null || req.signal() == null || req.signal().tracks() == null
                || (req.kind() != SignalRequest.Kind.OFFER && req.kind() != SignalRequest.Kind.TRACK_UPDATE)) {
            return req;
        }
        RoomControl c = controls.get(meetingId);
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> from = room == null || req.socketId() == null ? Optional.empty() : room.find(req.socketId());
        if (c == null || from.isEmpty()) {
            return req;
        }
        RoomControl.MuteLock lock = c.muteLocks.get(from.get().participantId());
        if (lock == null) {
            return req;
        }
        boolean refused = false;
        List<MediaTrack> tracks = new ArrayList<>();
        for (MediaTrack t : req.signal().tracks()) {
            boolean locked = t != null && t.kind() != null && t.source() != MediaTrack.Source.SCREEN
                    && (t.kind() == MediaTrack.Kind.AUDIO ? lock.audio() : lock.video());
            if (locked && !t.muted()) {
                refused = true;
                tracks.add(new MediaTrack(t.mid(), t.socketId(), t.participantId(), t.kind(), t.source(), true));
            } else {
                tracks.add(t);
            }
        }
        if (!refused) {
            return req;
        }
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.socketId(),
                RoomEvent.rejected(meetingId, HostError.UNMUTE_NOT_ALLOWED.code(), "the host does not let you unmute", "media")), ts);
        MediaSignal s = req.signal();
        return new SignalRequest(req.meetingId(), req.socketId(), req.gatewayId(), req.gatewayPartition(),
                req.participantId(), req.kind(), new MediaSignal(s.pc(), s.sdp(), tracks, s.socketId(), s.error(),
                s.message(), s.fingerprint()), req.at());
    }

    /**
     * END for all: MEETING_ENDED to everyone in and waiting, {@code room.meeting.ended}, the control state cleared
     * (the room stays ended) and the room emptied. Nobody holds the host's seat any more: a stand-in host (someone
     * the rights passed to while the creator was away) becomes a co-host, as when the creator comes back, so the
     * creator and the co-hosts keep their rights for what outlives the meeting (its analytics, invitations).
     */
    HostDecision end(String meetingId, RoomMembers room, RoomControl c, String actor, String requestId, long ts) {
        List<Member> everyone = new ArrayList<>(room.members());
        c.waiting.forEach(w -> everyone.add(w.member()));
        out.deliver(Deliveries.to(everyone, RoomEvent.host(RoomEvent.Type.MEETING_ENDED, meetingId,
                HostEvent.about(null).withReason(Reason.ENDED_BY_HOST).withBy(actor, requestId))), ts);
        out.emit(meetingId, new RoomOutput.Ended(new MeetingEnded(meetingId, Instant.ofEpochMilli(ts), actor, requestId)), ts);
        c.ended = true;
        if (c.hostId != null && !c.hostId.equals(c.ownerId) && !c.cohosts.contains(c.hostId)) {
            c.cohosts.add(c.hostId);
        }
        c.hostId = null;
        c.waiting.clear();
        c.hands.clear();
        c.muteLocks.clear();
        if (!room.isEmpty()) {
            doors.closeAll(meetingId, ts);
        }
        return HostDecision.applied();
    }
}
