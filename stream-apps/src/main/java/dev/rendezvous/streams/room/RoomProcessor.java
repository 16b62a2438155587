package dev.rendezvous.streams.room;

import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomMembership;
import dev.rendezvous.topics.model.Regions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a room's joins, leaves, chat messages, media signals and forwarder events, in partition order, to
 * the room's state and says who must be told what. The media part is {@link MediaSignaling}, the host controls
 * {@link HostActions}; every output goes out through {@link RoomOutputs}.
 *
 * <p>Every output is a function of the input record (key, value, timestamp) and the stores only: time is
 * the record's timestamp, never the wall clock, so replaying the same input from the same restored state
 * gives the same output (same sequence numbers). The one exception is {@link Failover}, a wall-clock punctuator of
 * this processor (a dead forwarder sends no record that could trigger it). Outputs are forwarded before the stores
 * are written, so a
 * record that fails half-way leaves the state as it was and is retried whole.
 *
 * <p>Bad input never throws: it is counted and dropped, or refused to its sender. (A throw would make the
 * stream thread be replaced and the same record be read again, forever.)
 */
final class RoomProcessor implements Processor<String, RoomCommand, String, RoomOutput>, HostActions.Doors {

    private static final Logger log = LoggerFactory.getLogger(RoomProcessor.class);

    private final RoomTopologyConfig cfg;
    /** Shared by the instance's room tasks (one per topology): the failover checks' and the placements'. */
    private final FleetView fleetView;
    private final FleetView placementView;
    private RoomOutputs out;
    private RoomMemberStore rooms;
    private ChatRoom chat;
    private MediaSignaling media;
    private HostActions host;

    RoomProcessor(RoomTopologyConfig cfg, FleetView fleetView, FleetView placementView) {
        this.cfg = cfg;
        this.fleetView = fleetView;
        this.placementView = placementView;
    }

    @Override
    public void init(ProcessorContext<String, RoomOutput> context) {
        this.out = new RoomOutputs(context);
        this.rooms = RoomMemberStore.in(context);
        this.rooms.scheduleExpiry(context);
        this.chat = new ChatRoom(cfg, context, out, rooms);
        this.media = new MediaSignaling(cfg, context, out, rooms, placementView);
        this.host = new HostActions(cfg, context, out, this, rooms);
        // a dead forwarder sends nothing: a wall-clock punctuator notices it and moves its rooms
        new Failover(cfg, context, out, media, host, rooms, fleetView);
        // rooms nobody has been in for the retention: their control record is forgotten
        new ControlSweep(cfg, context, rooms);
    }

    @Override
    public void process(Record<String, RoomCommand> record) {
        String meetingId = record.key();
        RoomCommand command = record.value();
        if (meetingId == null || meetingId.isBlank() || command == null || !RoomMemberStore.usableMeetingId(meetingId)) {
            malformed("record without meeting id or value", meetingId);
        } else {
            command.dispatch(dispatch, meetingId, record.timestamp());
        }
    }

    /** What each kind of command goes to. */
    private final RoomCommand.Handler dispatch = new RoomCommand.Handler() {
        @Override
        public void membership(String meetingId, MemberRequest request, long ts) {
            RoomProcessor.this.membership(meetingId, request, ts);
        }

        @Override
        public void chat(String meetingId, ChatRequest request, long ts) {
            if (!chat.message(meetingId, request, ts)) {
                // without a socket and its gateway there is no one to answer
                malformed("chat request without socket or gateway address, or for another meeting", meetingId);
            }
        }

        @Override
        public void signal(String meetingId, dev.rendezvous.topics.model.SignalRequest request, long ts) {
            // a mute the host locked stays muted whatever the client says
            if (!media.signal(meetingId, host.enforceMuteLocks(meetingId, request, ts), ts)) {
                malformed("signal without kind, socket or gateway address, or for another meeting", meetingId);
            }
        }

        @Override
        public void fromForwarder(String meetingId, dev.rendezvous.topics.model.ForwarderEvent event, long ts) {
            if (!media.fromForwarder(meetingId, event, ts)) {
                malformed("forwarder event without kind or forwarder id, or for another meeting", meetingId);
            }
        }

        @Override
        public void hostAction(String meetingId, dev.rendezvous.topics.model.HostActionRequest request, long ts) {
            if (!host.request(meetingId, request, ts)) {
                malformed("host request without action, id, actor or reply address, or for another meeting", meetingId);
            }
        }

        @Override
        public void gatewayLost(String meetingId, RoomCommand.GatewayLost lost, long ts) {
            // exactly what each socket's LEAVE would have done (one waiting in the lobby leaves the lobby); a gateway
            // that comes back after this closes its sockets, whose pages join again (its HeartbeatPublisher)
            for (String socketId : lost.socketIds()) {
                leave(meetingId, lost.leaveOf(meetingId, socketId, ts), ts);
            }
        }
    };

    // ---- membership -------------------------------------------------------------------------------

    private void membership(String meetingId, MemberRequest req, long ts) {
        if (req == null || req.action() == null || blank(req.socketId())
                || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            malformed("member request without action or socket, or for another meeting", meetingId);
            return;
        }
        switch (req.action()) {
            case JOIN -> join(meetingId, req, ts);
            case LEAVE -> leave(meetingId, req, ts);
        }
    }

    private void join(String meetingId, MemberRequest req, long ts) {
        if (blank(req.gatewayId()) || req.gatewayPartition() < 0
                || blank(req.participantId()) || blank(req.displayName())) {
            malformed("JOIN without gateway address, participant id or display name", meetingId);
            return;
        }
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        Optional<Member> existing = room.find(req.socketId());
        if (existing.isPresent()) {
            // the same socket again (a replay after a crash, or a gateway retry): every effect again
            repeatJoin(meetingId, room, existing.get(), req.mediaFingerprint(), ts);
            return;
        }
        Optional<MemberEntry> departed = rooms.departure(meetingId, req.socketId());
        if (departed.isPresent() && ts <= departed.get().leftAt()) {
            // a JOIN from before its socket's LEAVE, read again (both replayed): the socket is gone, it stays gone
            cfg.metrics().count(Outcome.JOIN_OF_DEPARTED_SOCKET);
            return;
        }
        departed.ifPresent(d -> rooms.forgetDeparture(meetingId, req.socketId()));   // a later JOIN: back in
        Member joiner = new Member(req.socketId(), req.gatewayId(), req.gatewayPartition(), req.participantId(),
                ChatValidation.truncate(req.displayName(), ChatValidation.MAX_SENDER_FIELD), req.role(), Instant.ofEpochMilli(ts),
                Regions.valid(req.region()) ? req.region() : null);
        // the room's control decides first: refused (ended, removed, locked), waiting in the lobby, or in
        RoomControl control = host.load(meetingId);
        boolean admitted = host.admitOnJoin(meetingId, joiner, req, room, control, ts);
        if (admitted) {
            // a page that reconnected names its earlier socket: still here (its gateway died, or has not noticed yet)
            // under the same identity, it is swapped out (admission above let the newcomer in as someone present)
            Optional<Member> replaced = blank(req.replaces()) || req.replaces().equals(req.socketId()) ? Optional.empty()
                    : room.find(req.replaces()).filter(old -> old.participantId().equals(joiner.participantId()));
            enter(meetingId, joiner, req.mediaFingerprint(), control, ts, replaced.map(Member::socketId).orElse(null));
            boolean in = Optional.ofNullable(rooms.get(meetingId)).flatMap(r -> r.find(joiner.socketId())).isPresent();
            if (replaced.isPresent() && in) {
                // the others get participant-left too (a page that read "replaces" has dropped it already and shows
                // nothing); the new socket is not told, its joined list already left the old one out
                exit(meetingId, replaced.get(), control, java.util.Set.of(joiner.socketId()), ts);
                cfg.metrics().count(Outcome.JOIN_REPLACED_SOCKET);
            }
        }
        // a refused JOIN (removed, locked, ended) is no activity: it leaves the record's time, so someone refused
        // again and again does not keep an empty room's record from being forgotten (ControlSweep)
        boolean activity = admitted || control.waitingSocket(joiner.socketId()) != null;
        host.save(meetingId, control, activity ? ts : control.touchedAt);
    }

    /** Puts a socket in the room (a JOIN let in, or someone admitted from the lobby). */
    @Override
    public void enter(String meetingId, Member arriving, String fingerprint, RoomControl control, long ts) {
        enter(meetingId, arriving, fingerprint, control, ts, null);
    }

    private void enter(String meetingId, Member arriving, String fingerprint, RoomControl control, long ts,
                       String replaces) {
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        if (room.members().size() >= cfg.maxSocketsPerRoom()) {
            out.deliver(Deliveries.toSocket(arriving.gatewayId(), arriving.gatewayPartition(), arriving.socketId(),
                    RoomEvent.rejected(meetingId, HostError.ROOM_FULL.code(), "this meeting has reached its limit of "
                            + cfg.maxSocketsPerRoom() + " connections", meetingId)), ts);
            cfg.metrics().count(Outcome.JOIN_REFUSED_ROOM_CAP);
            return;
        }
        Map<String, dev.rendezvous.topics.model.Role> rolesBefore = Roles.of(room);
        RoomMembers after = host.arrange(control, room.with(arriving), arriving.participantId());
        Member joiner = after.find(arriving.socketId()).orElse(arriving);

        joinEffects(meetingId, joiner, after, room.members(), fingerprint, control, replaces, ts);
        host.entered(meetingId, control, rolesBefore, after, joiner, ts);
        rooms.put(meetingId, after);
        if (room.members().isEmpty()) {
            chat.opened(meetingId);
        }
        cfg.metrics().count(Outcome.JOINED);
    }

    /**
     * What a JOIN tells: JOINED to the joiner, PARTICIPANT_JOINED to {@code others}, the new membership, analytics,
     * and SUBSCRIBE to the forwarder (which starts the joiner's subscribe side now, while the page still opens its
     * camera). The same for a first JOIN and a repeated one, so a replay after a crash loses nothing.
     */
    private void joinEffects(String meetingId, Member joiner, RoomMembers after, List<Member> others, String fingerprint,
                             RoomControl control, String replaces, long ts) {
        RoomMembers seen = replaces == null ? after : after.without(replaces);
        out.deliver(Deliveries.to(List.of(joiner), Roles.joined(meetingId, joiner, seen, control)), ts);
        out.deliver(Deliveries.to(others.stream().filter(o -> !o.socketId().equals(replaces)).toList(),
                replaces == null ? RoomEvent.participantJoined(meetingId, joiner.participant())
                        : RoomEvent.participantRejoined(meetingId, joiner.participant(), replaces)), ts);
        out.emit(meetingId, new RoomOutput.MembershipChanged(new RoomMembership(meetingId, after.members(), Instant.ofEpochMilli(ts))), ts);
        out.emit(meetingId, new RoomOutput.Analytics(AnalyticsEvent.ParticipantJoined.of(meetingId, Instant.ofEpochMilli(ts),
                joiner.participantId(), joiner.socketId(), joiner.displayName(), joiner.role())), ts);
        media.memberJoined(meetingId, joiner, fingerprint, ts);
    }

    /** A JOIN of a socket already in the room: its effects again, from the room as stored (duplicates are harmless). */
    private void repeatJoin(String meetingId, RoomMembers room, Member m, String fingerprint, long ts) {
        joinEffects(meetingId, m, room, room.othersThan(m.socketId()), fingerprint, host.load(meetingId), null, ts);
        cfg.metrics().count(Outcome.JOIN_REPEATED);
    }

    private void leave(String meetingId, MemberRequest req, long ts) {
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> gone = room == null ? Optional.empty() : room.find(req.socketId());
        RoomControl control = host.load(meetingId);
        if (gone.isEmpty()) {
            Optional<MemberEntry> departed = rooms.departure(meetingId, req.socketId());
            if (host.leftLobby(meetingId, req.socketId(), control, ts)) {
                host.save(meetingId, control, ts);
            } else if (departed.isPresent()) {
                // the socket left already (a replay after a crash, or a retried LEAVE): every effect again
                RoomMembers now = room == null ? RoomMembers.empty() : room;
                leaveEffects(meetingId, departed.get().member(), now, java.util.Set.of(), departed.get().forwarderId(), ts);
                cfg.metrics().count(Outcome.LEAVE_REPEATED);
            } else {
                cfg.metrics().count(Outcome.LEAVE_UNKNOWN_SOCKET);
            }
            return;
        }
        exit(meetingId, gone.get(), control, java.util.Set.of(), ts);
        host.save(meetingId, control, ts);
    }

    /** Takes a socket out of the room (its LEAVE, or removed by a host). */
    @Override
    public void exit(String meetingId, Member m, RoomControl control, java.util.Set<String> untold, long ts) {
        RoomMembers room = Optional.ofNullable(rooms.get(meetingId)).orElseGet(RoomMembers::empty);
        Map<String, dev.rendezvous.topics.model.Role> rolesBefore = Roles.of(room);
        RoomMembers after = host.arrange(control, room.without(m.socketId()), null);

        String forwarder = media.primaryOf(meetingId);
        leaveEffects(meetingId, m, after, untold, null, ts);
        host.exited(meetingId, control, rolesBefore, after, m, ts);
        rooms.departed(meetingId, m, ts, forwarder);
        if (after.isEmpty()) {
            // The room closes: its members go (tombstones), its chat window once PostgreSQL holds its last message
            // (ChatWindows); a room that opens again before that continues from the window.
            rooms.delete(meetingId);
            chat.closed(meetingId, ts);
        } else {
            rooms.put(meetingId, after);
        }
        cfg.metrics().count(Outcome.LEFT);
    }

    /**
     * What a LEAVE tells: PARTICIPANT_LEFT to those still in the room (but {@code untold}), the new membership,
     * analytics, and DISCONNECT to the forwarder (CLOSE_ROOM with the last member). The same for a first LEAVE and a
     * repeated one.
     */
    private void leaveEffects(String meetingId, Member m, RoomMembers after, java.util.Set<String> untold,
                              String formerPrimary, long ts) {
        out.deliver(Deliveries.to(after.members().stream().filter(o -> !untold.contains(o.socketId())).toList(),
                RoomEvent.participantLeft(meetingId, m.participant())), ts);
        out.emit(meetingId, new RoomOutput.MembershipChanged(new RoomMembership(meetingId, after.members(), Instant.ofEpochMilli(ts))), ts);
        out.emit(meetingId, new RoomOutput.Analytics(AnalyticsEvent.ParticipantLeft.of(meetingId, Instant.ofEpochMilli(ts),
                m.participantId(), m.socketId(), m.joinedAt(), AnalyticsEvent.LeaveReason.LEFT)), ts);
        media.memberLeft(meetingId, m, after.isEmpty(), formerPrimary, ts);
    }

    /** The meeting ended: everyone's socket leaves at once, the forwarder drops them and closes the room. */
    @Override
    public void closeAll(String meetingId, long ts) {
        RoomMembers room = rooms.get(meetingId);
        if (room == null) {
            return;
        }
        out.emit(meetingId, new RoomOutput.MembershipChanged(new RoomMembership(meetingId, List.of(), Instant.ofEpochMilli(ts))), ts);
        List<Member> all = room.members();
        for (int i = 0; i < all.size(); i++) {
            Member m = all.get(i);
            out.emit(meetingId, new RoomOutput.Analytics(AnalyticsEvent.ParticipantLeft.of(meetingId,
                    Instant.ofEpochMilli(ts), m.participantId(), m.socketId(), m.joinedAt(),
                    AnalyticsEvent.LeaveReason.MEETING_ENDED)), ts);
            String forwarder = media.primaryOf(meetingId);
            media.memberLeft(meetingId, m, i == all.size() - 1, ts);
            rooms.departed(meetingId, m, ts, forwarder);
        }
        rooms.delete(meetingId);
        chat.closed(meetingId, ts);
        cfg.metrics().count(Outcome.LEFT);
    }

    // ---- output -----------------------------------------------------------------------------------


    private void malformed(String why, String meetingId) {
        cfg.metrics().count(Outcome.MALFORMED);
        if (log.isDebugEnabled()) {
            log.debug("dropped malformed request for meeting {}: {}", meetingId, why);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
