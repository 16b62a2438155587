package dev.rendezvous.streams.room;

import dev.rendezvous.streams.placement.Placer;
import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.model.SignalRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The room processor's media part: routes clients' signaling to their room's forwarder (placing the room
 * on first use), routes the forwarder's answers back to the sockets, and tells the forwarder when sockets
 * leave and rooms empty. Same rules as {@link RoomProcessor}: time is the record's timestamp, outputs are
 * forwarded before stores are written, bad input is counted, never thrown.
 *
 * <p>Placement is sticky: once a room has a {@link RoomPlacement} it keeps it while it has members, whatever
 * the weights do later (moving a live room would cut everyone's media), unless its forwarder dies or drains
 * ({@link Failover} then moves it to its standby, status MIGRATING until the new forwarder's first event). It is
 * forgotten when the last member leaves (CLOSE_ROOM to the forwarder, a CLOSED placement then a tombstone on the
 * compacted topic). New rooms never go to a forwarder that is draining or that the failover check found silent.
 */
final class MediaSignaling {

    static final String NOT_JOINED = "not_joined";
    static final String MEDIA_UNAVAILABLE = "media_unavailable";

    private final RoomTopologyConfig cfg;
    private final RoomOutputs out;
    private final RoomMemberStore rooms;
    private final KeyValueStore<String, RoomPlacement> placements;
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<ForwarderMetrics>> fleet;
    private final Placer placer;
    private final ProcessorContext<String, RoomOutput> ctx;
    /** Large fleets' placements read the fleet from here (shared, read again at most once per skeleton refresh). */
    private final FleetView placementView;
    /** The usable part of the last snapshot read, and what it was made of. */
    private Map<String, ForwarderMetrics> usableSnapshot;
    private Map<String, ForwarderMetrics> usableFrom;
    private dev.rendezvous.streams.placement.ForwarderHealth.Judgement usableWith;

    /** The failover check's latest judgement (silent and draining forwarders); none until its first run. */
    private dev.rendezvous.streams.placement.ForwarderHealth.Judgement judged =
            dev.rendezvous.streams.placement.ForwarderHealth.Judgement.NONE;

    MediaSignaling(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomOutputs out, RoomMemberStore rooms,
                   FleetView placementView) {
        this.cfg = cfg;
        this.ctx = ctx;
        this.placementView = placementView;
        this.out = out;
        this.rooms = rooms;
        this.placements = ctx.getStateStore(RoomTopology.PLACEMENTS_STORE);
        this.fleet = ctx.getStateStore(RoomTopology.FORWARDER_METRICS_STORE);
        this.placer = cfg.placement().placer();
    }

    // ---- client → forwarder -----------------------------------------------------------------------

    /** Returns false when the request is malformed (the caller counts it). */
    boolean signal(String meetingId, SignalRequest req, long ts) {
        if (req == null || req.kind() == null || blank(req.socketId()) || blank(req.gatewayId())
                || req.gatewayPartition() < 0 || (req.meetingId() != null && !req.meetingId().equals(meetingId))) {
            return false;
        }
        // the same refs the gateway and the forwarder use for media errors (docs/protocol.md)
        String ref = switch (req.kind()) {
            case OFFER, RESTART -> "publish";
            case ANSWER, SUBSCRIBE -> "subscribe";
            default -> "media";
        };
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> sender = room == null ? Optional.empty() : room.find(req.socketId());
        if (sender.isEmpty()) {
            reject(meetingId, req, NOT_JOINED, "join the meeting before sending media", ref, ts);
            cfg.metrics().count(Outcome.SIGNAL_REJECTED_NOT_JOINED);
            return true;
        }
        Member from = sender.get();
        Placed placed = placeIfNeeded(meetingId, from.region(), ts);
        if (placed == null) {
            reject(meetingId, req, MEDIA_UNAVAILABLE, "no media server is available; try again shortly", ref, ts);
            return true;
        }
        String participantId = blank(from.participantId()) ? req.participantId() : from.participantId();
        command(placed.placement().primaryForwarderId(), meetingId, from.socketId(), participantId,
                commandKind(req.kind()), req.signal(), ts);
        if (req.kind() == SignalRequest.Kind.TRACK_UPDATE) {
            mediaState(meetingId, room, from, req.signal(), ts);
        }
        placed.store(placements);
        cfg.metrics().count(Outcome.SIGNAL_ROUTED);
        return true;
    }

    /**
     * A member muted or unmuted its own tracks: everyone in the room is told at once (the forwarder only marks
     * the tracks, and its subscribe offers carry the flags only at their next renegotiation). Each track is
     * passed on with the sender's socket and participant, without its mid (that is the sender's own m-line).
     */
    private void mediaState(String meetingId, RoomMembers room, Member from, MediaSignal signal, long ts) {
        if (signal == null || signal.tracks() == null || signal.tracks().isEmpty()) {
            return;
        }
        List<MediaTrack> tracks = new java.util.ArrayList<>();
        for (MediaTrack t : signal.tracks()) {
            if (t != null && t.kind() != null && t.source() != null) {
                tracks.add(new MediaTrack(null, from.socketId(), from.participantId(), t.kind(), t.source(), t.muted()));
            }
        }
        if (!tracks.isEmpty()) {
            out.deliver(Deliveries.to(room.members(), RoomEvent.mediaState(meetingId, from.socketId(), tracks)), ts);
            cfg.metrics().count(Outcome.MEDIA_STATE_DELIVERED);
        }
    }

    /**
     * A socket joined: its subscribe side starts at once (SUBSCRIBE to the room's forwarder, placing the room if
     * needed), so the forwarder's subscribe offer travels while the client still opens its camera and builds its
     * publish offer. Without any live forwarder the join stands and nothing is sent: the client's first media
     * frame then gets {@code media_unavailable}. {@code fingerprint}: the certificate fingerprint the client will
     * use on its subscribe PeerConnection, if it said (null otherwise). Called by the room processor before it
     * writes the members store.
     */
    void memberJoined(String meetingId, Member m, String fingerprint, long ts) {
        Placed placed = placeIfNeeded(meetingId, m.region(), ts);
        if (placed == null) {
            return;
        }
        command(placed.placement().primaryForwarderId(), meetingId, m.socketId(), m.participantId(),
                ForwarderCommand.Kind.SUBSCRIBE, dev.rendezvous.topics.model.MediaSignal.subscribe(fingerprint), ts);
        placed.store(placements);
        cfg.metrics().count(Outcome.FORWARDER_SUBSCRIBE_SENT);
    }

    /** A room's placement; {@code fresh}: made just now and announced, not yet in the store. */
    private record Placed(RoomPlacement placement, boolean fresh) {
        /** Writes a fresh placement (after the outputs that depend on it were forwarded). */
        void store(KeyValueStore<String, RoomPlacement> store) {
            if (fresh) {
                store.put(placement.meetingId(), placement);
            }
        }
    }

    /**
     * The room's placement, made now (and announced on {@code room.placement.assigned}) when it has none; null
     * when no forwarder is available. {@code regionHint}: the region of the member who caused it (may be null).
     */
    private Placed placeIfNeeded(String meetingId, String regionHint, long ts) {
        RoomPlacement placement = placements.get(meetingId);
        if (placement != null) {
            return new Placed(placement, false);
        }
        Map<String, ForwarderMetrics> snapshot = placementView.at(fleet, ctx.currentSystemTimeMs());
        List<String> chosen = snapshot.size() >= cfg.placement().skeletonFrom()
                ? placer.chooseInSnapshot(meetingId, usableSnapshot(snapshot), Instant.ofEpochMilli(ts), regionHint)
                : placer.choose(meetingId, usableFleet(), Instant.ofEpochMilli(ts), regionHint);
        if (chosen.isEmpty()) {
            cfg.metrics().count(Outcome.PLACEMENT_NO_FORWARDER);
            return null;
        }
        placement = new RoomPlacement(meetingId, chosen.get(0), chosen.subList(1, chosen.size()),
                RoomPlacement.Status.ACTIVE, Instant.ofEpochMilli(ts));
        out.emit(meetingId, new RoomOutput.Placement(placement), ts);
        cfg.metrics().count(Outcome.PLACEMENT_MADE);
        return new Placed(placement, true);
    }

    static ForwarderCommand.Kind commandKind(SignalRequest.Kind k) {
        return switch (k) {
            case OFFER, RESTART -> ForwarderCommand.Kind.OFFER;   // an ICE restart is a new offer
            case ANSWER -> ForwarderCommand.Kind.ANSWER;
            case CANDIDATE -> ForwarderCommand.Kind.CANDIDATE;
            case TRACK_UPDATE -> ForwarderCommand.Kind.TRACK_UPDATE;
            case SUBSCRIBE -> ForwarderCommand.Kind.SUBSCRIBE;
            case TILE_VIEW -> ForwarderCommand.Kind.TILE_VIEW;
            case STATS_START -> ForwarderCommand.Kind.STATS_START;
            case STATS_STOP -> ForwarderCommand.Kind.STATS_STOP;
        };
    }

    /**
     * A socket left the room ({@code roomEmpty}: it was the last). Called by the room processor before it
     * writes the members store.
     */
    void memberLeft(String meetingId, Member m, boolean roomEmpty, long ts) {
        memberLeft(meetingId, m, roomEmpty, null, ts);
    }

    /** The room's primary forwarder, or null when the room is not placed. */
    String primaryOf(String meetingId) {
        RoomPlacement placement = placements.get(meetingId);
        return placement == null ? null : placement.primaryForwarderId();
    }

    /**
     * As {@link #memberLeft(String, Member, boolean, long)}; when the room has no placement any more (a LEAVE read
     * again after it closed the room), the commands go to {@code formerPrimary}, the forwarder it was on.
     */
    void memberLeft(String meetingId, Member m, boolean roomEmpty, String formerPrimary, long ts) {
        RoomPlacement placement = placements.get(meetingId);
        if (placement == null && formerPrimary != null && roomEmpty) {
            placement = new RoomPlacement(meetingId, formerPrimary, List.of(), RoomPlacement.Status.ACTIVE, Instant.ofEpochMilli(ts));
        }
        if (placement == null) {
            return;
        }
        String primary = placement.primaryForwarderId();
        command(primary, meetingId, m.socketId(), m.participantId(), ForwarderCommand.Kind.DISCONNECT, null, ts);
        cfg.metrics().count(Outcome.FORWARDER_DISCONNECT_SENT);
        if (roomEmpty) {
            command(primary, meetingId, null, null, ForwarderCommand.Kind.CLOSE_ROOM, null, ts);
            out.emit(meetingId, new RoomOutput.Placement(new RoomPlacement(meetingId, primary,
                    placement.standbyForwarderIds(), RoomPlacement.Status.CLOSED, Instant.ofEpochMilli(ts))), ts);
            // live readers see CLOSED; compaction then drops the meeting's key instead of keeping it forever
            out.emit(meetingId, new RoomOutput.Placement(null), ts);
            placements.delete(meetingId);
            cfg.metrics().count(Outcome.PLACEMENT_CLOSED);
        }
    }

    // ---- forwarder → clients ----------------------------------------------------------------------

    /** Returns false when the event is malformed (the caller counts it). */
    boolean fromForwarder(String meetingId, ForwarderEvent ev, long ts) {
        if (ev == null || ev.kind() == null || blank(ev.forwarderId())
                || (ev.meetingId() != null && !ev.meetingId().equals(meetingId))) {
            return false;
        }
        RoomPlacement placement = placements.get(meetingId);
        if (placement == null || !ev.forwarderId().equals(placement.primaryForwarderId())) {
            cfg.metrics().count(Outcome.FORWARDER_EVENT_NOT_PRIMARY);
            return true;
        }
        if (placement.status() == RoomPlacement.Status.MIGRATING) {
            // the new forwarder answers for the room: the move is done
            RoomPlacement active = new RoomPlacement(meetingId, placement.primaryForwarderId(),
                    placement.standbyForwarderIds(), RoomPlacement.Status.ACTIVE, Instant.ofEpochMilli(ts));
            out.emit(meetingId, new RoomOutput.Placement(active), ts);
            placements.put(meetingId, active);
            cfg.metrics().count(Outcome.MIGRATION_COMPLETED);
        }
        switch (ev.kind()) {
            case ANSWER, OFFER, ERROR, MEDIA_STATS -> toSocket(meetingId, ev, ts);
            case ACTIVE_SPEAKER -> activeSpeaker(meetingId, ev, ts);
            case CONNECTED -> cfg.metrics().count(Outcome.FORWARDER_CONNECTED);
            case DISCONNECTED -> cfg.metrics().count(Outcome.FORWARDER_DISCONNECTED);
            case TRACK_ADDED, TRACK_REMOVED -> cfg.metrics().count(Outcome.FORWARDER_TRACK_CHANGED);
            case CANDIDATE -> cfg.metrics().count(Outcome.FORWARDER_CANDIDATE);
        }
        return true;
    }

    private void toSocket(String meetingId, ForwarderEvent ev, long ts) {
        RoomMembers room = rooms.get(meetingId);
        Optional<Member> to = room == null || ev.socketId() == null ? Optional.empty() : room.find(ev.socketId());
        if (to.isEmpty()) {
            cfg.metrics().count(Outcome.FORWARDER_SIGNAL_SOCKET_GONE);
            return;
        }
        Member m = to.get();
        out.deliver(Deliveries.toSocket(m.gatewayId(), m.gatewayPartition(), m.socketId(),
                RoomEvent.signal(meetingId, ev.kind().name(), ev.signal())), ts);
        cfg.metrics().count(Outcome.FORWARDER_SIGNAL_DELIVERED);
    }

    private void activeSpeaker(String meetingId, ForwarderEvent ev, long ts) {
        String speaker = ev.signal() != null && ev.signal().socketId() != null ? ev.signal().socketId() : ev.socketId();
        RoomMembers room = rooms.get(meetingId);
        if (room != null && speaker != null) {
            out.deliver(Deliveries.to(room.members(), RoomEvent.activeSpeaker(meetingId, speaker)), ts);
        }
        cfg.metrics().count(Outcome.FORWARDER_ACTIVE_SPEAKER);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Every forwarder's latest metrics (the global store holds one value per forwarder id), read now: a scan per
     * placement of a small fleet, where it costs a few microseconds and gives the freshest weights.
     */
    Map<String, ForwarderMetrics> fleet() {
        return FleetView.read(fleet);
    }

    /**
     * The usable forwarders of the shared snapshot {@code all} (read again at most once per skeleton refresh, on the
     * wall clock), used when it holds {@code skeletonFrom} forwarders or more: a scan and decoding of every
     * forwarder's metrics and the placer's pass over them would be O(n) per new room (tens of milliseconds at 10,000
     * forwarders) where the tree lookup is O(log n). The same map object until the snapshot is read again or the
     * failover check's judgement changes, so that the placer keeps its groups and trees between placements. Weights
     * and health are then up to two refreshes old (2 s by default, against 10 s for a forwarder to count as
     * unhealthy); a forwarder judged silent or draining is left out at once.
     */
    private Map<String, ForwarderMetrics> usableSnapshot(Map<String, ForwarderMetrics> all) {
        if (usableSnapshot == null || all != usableFrom || !judged.equals(usableWith)) {
            usableSnapshot = usable(all, judged);
            usableFrom = all;
            usableWith = judged;
        }
        return usableSnapshot;
    }

    /** The failover check's latest judgement (called on each of its runs). */
    void judged(dev.rendezvous.streams.placement.ForwarderHealth.Judgement j) {
        this.judged = j;
    }

    /** The fleet without the forwarders that are draining or found silent: where rooms may go. */
    Map<String, ForwarderMetrics> usableFleet() {
        return usable(fleet(), judged);
    }

    static Map<String, ForwarderMetrics> usable(Map<String, ForwarderMetrics> fleet,
                                                dev.rendezvous.streams.placement.ForwarderHealth.Judgement j) {
        Map<String, ForwarderMetrics> usable = new LinkedHashMap<>(fleet);
        usable.entrySet().removeIf(e -> e.getValue().isDraining() || !j.usable(e.getKey()));
        return usable;
    }

    private void command(String forwarderId, String meetingId, String socketId, String participantId,
                         ForwarderCommand.Kind kind, dev.rendezvous.topics.model.MediaSignal signal, long ts) {
        out.command(new ForwarderCommand(forwarderId, meetingId, socketId, participantId, kind, signal,
                Instant.ofEpochMilli(ts)), ts);
    }

    private void reject(String meetingId, SignalRequest req, String code, String message, String ref, long ts) {
        out.deliver(Deliveries.toSocket(req.gatewayId(), req.gatewayPartition(), req.socketId(),
                RoomEvent.rejected(meetingId, code, message, ref)), ts);
    }


    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
