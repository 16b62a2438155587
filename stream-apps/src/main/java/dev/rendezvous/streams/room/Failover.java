package dev.rendezvous.streams.room;

import dev.rendezvous.streams.placement.ForwarderHealth;
import dev.rendezvous.streams.placement.ForwarderWeight;
import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves rooms off forwarders that died or drain. A dead forwarder sends nothing, so no record would ever trigger the
 * decision: a wall-clock punctuator of the room processor's task ({@link FailoverSettings#checkInterval()}) reads the
 * forwarders' metrics (the global store every task holds) and judges them with {@link ForwarderHealth} (silent =
 * its record unchanged for {@link FailoverSettings#unhealthyAfter()} on this process's clock; draining = it says so).
 * When the set of silent or draining forwarders changes, the task's placements are scanned; each room whose primary is
 * among them
 * <ul>
 *   <li>moves to its first usable standby (or, with none, to the best usable forwarder), which becomes primary; a new
 *       standby is chosen among the usable ones, the new primary excluded; the placement is published as MIGRATING
 *       (ACTIVE again at the new forwarder's first event, {@link MediaSignaling});</li>
 *   <li>the old forwarder gets CLOSE_ROOM (a draining one frees the room; a dead one never reads it, or reads it after
 *       a restart and has nothing to close);</li>
 *   <li>every member gets MEDIA_MOVED: the page closes its PeerConnections and publishes and subscribes again through
 *       the normal signaling, which now reaches the new forwarder; host mute locks are enforced on those new offers as
 *       on any ({@link Moderation#enforceMuteLocks});</li>
 *   <li>a recording in progress is started again on the new forwarder with the same recording id.</li>
 * </ul>
 * A room whose standby (not primary) is silent or draining gets a new standby. Live rooms on usable forwarders are
 * never touched. A room with nowhere to go stays and is tried again on the next check.
 *
 * <p>Unlike record processing, these outputs depend on the wall clock (as {@link GatewayWatch}'s do): a replay of the
 * input does not repeat them, the placements store (its changelog) keeps their result.
 */
final class Failover {

    private static final Logger log = LoggerFactory.getLogger(Failover.class);

    private final RoomTopologyConfig cfg;
    private final RoomOutputs out;
    private final MediaSignaling media;
    private final HostActions host;
    private final RoomMemberStore rooms;
    private final KeyValueStore<String, RoomPlacement> placements;
    private final ForwarderHealth health;
    private final FleetView fleetView;
    /** Places the moved rooms of one check in that check's usable fleet (the same map for all of them). */
    private final dev.rendezvous.streams.placement.Placer placer;
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<ForwarderMetrics>> fleetStore;
    /** What the last scan moved rooms away from; a scan runs again when this changes or a room could not move. */
    private Set<String> scannedFor = Set.of();
    private boolean retry;

    Failover(RoomTopologyConfig cfg, ProcessorContext<String, RoomOutput> ctx, RoomOutputs out, MediaSignaling media,
             HostActions host, RoomMemberStore rooms, FleetView fleetView) {
        this.cfg = cfg;
        this.fleetView = fleetView;
        this.placer = cfg.placement().placer();
        this.out = out;
        this.media = media;
        this.host = host;
        this.rooms = rooms;
        this.placements = ctx.getStateStore(RoomTopology.PLACEMENTS_STORE);
        this.fleetStore = ctx.getStateStore(RoomTopology.FORWARDER_METRICS_STORE);
        this.health = new ForwarderHealth(cfg.failover().unhealthyAfter());
        ctx.schedule(cfg.failover().checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::check);
    }

    /** The punctuator. */
    void check(long now) {
        Map<String, ForwarderMetrics> fleet = fleetView.at(fleetStore, now);
        ForwarderHealth.Judgement j = health.observe(fleet, now);
        media.judged(j);
        Set<String> avoided = j.avoided();
        if (avoided.equals(scannedFor) && !retry) {
            return;
        }
        if (!avoided.equals(scannedFor)) {
            log.info("forwarders silent for {}: {}; draining: {}", cfg.failover().unhealthyAfter(), j.silent(), j.draining());
        }
        scannedFor = avoided;
        retry = false;
        if (avoided.isEmpty()) {
            return;
        }
        List<RoomPlacement> affected = new ArrayList<>();
        try (KeyValueIterator<String, RoomPlacement> it = placements.all()) {
            it.forEachRemaining(kv -> {
                RoomPlacement p = kv.value;
                if (p != null && p.status() != RoomPlacement.Status.CLOSED
                        && (avoided.contains(p.primaryForwarderId())
                        || p.standbyForwarderIds().stream().anyMatch(avoided::contains))) {
                    affected.add(p);
                }
            });
        }
        Map<String, ForwarderMetrics> usable = MediaSignaling.usable(fleet, j);
        for (RoomPlacement p : affected) {
            if (avoided.contains(p.primaryForwarderId())) {
                retry |= !move(p, usable, now);
            } else {
                replaceStandbys(p, usable, now);
            }
        }
    }

    /** Moves the room to its standby (or the best usable forwarder); false when none is usable. */
    private boolean move(RoomPlacement p, Map<String, ForwarderMetrics> usable, long now) {
        String meetingId = p.meetingId();
        String from = p.primaryForwarderId();
        Instant at = Instant.ofEpochMilli(now);
        // a standby judged usable but whose last record is old (a long-dead one, first seen after our restart) is not
        String to = p.standbyForwarderIds().stream()
                .filter(s -> usable.containsKey(s)
                        && ForwarderWeight.healthy(usable.get(s), at, cfg.placement().healthyWithin()))
                .findFirst()
                .orElseGet(() -> placer.chooseInSnapshot(meetingId, usable, Instant.ofEpochMilli(now), null).stream()
                        .findFirst().orElse(null));
        if (to == null) {
            cfg.metrics().count(Outcome.FAILOVER_NO_FORWARDER);
            log.warn("meeting {} cannot leave forwarder {}: no other forwarder is usable", meetingId, from);
            return false;
        }
        RoomPlacement moved = new RoomPlacement(meetingId, to, standbys(meetingId, usable, to, now),
                RoomPlacement.Status.MIGRATING, Instant.ofEpochMilli(now));
        out.emit(meetingId, new RoomOutput.Placement(moved), now);
        out.command(new ForwarderCommand(from, meetingId, null, null, ForwarderCommand.Kind.CLOSE_ROOM, null,
                Instant.ofEpochMilli(now)), now);
        RoomMembers room = rooms.get(meetingId);
        if (room != null && !room.isEmpty()) {
            out.deliver(Deliveries.to(room.members(), RoomEvent.mediaMoved(meetingId, to)), now);
        }
        RoomControl control = host.load(meetingId);
        if (control.recording != null) {
            RoomControl.Running r = control.recording;
            control.recording = new RoomControl.Running(r.recordingId(), to, r.startedAt(), r.by());
            out.emit(meetingId, new RoomOutput.RecordingRequested(new RecordingControl(meetingId, r.recordingId(),
                    RecordingControl.Action.START, to, Instant.ofEpochMilli(now))), now);
            host.save(meetingId, control, now);
        }
        placements.put(meetingId, moved);
        cfg.metrics().count(Outcome.ROOM_MIGRATED);
        log.info("meeting {} moved from forwarder {} to {} ({} member(s){})", meetingId, from, to,
                room == null ? 0 : room.members().size(), control.recording != null ? ", recording continues" : "");
        return true;
    }

    /** The primary stays; standbys that are silent or draining are replaced. */
    private void replaceStandbys(RoomPlacement p, Map<String, ForwarderMetrics> usable, long now) {
        List<String> standbys = standbys(p.meetingId(), usable, p.primaryForwarderId(), now);
        if (standbys.equals(p.standbyForwarderIds())) {
            return;
        }
        RoomPlacement next = new RoomPlacement(p.meetingId(), p.primaryForwarderId(), standbys, p.status(),
                Instant.ofEpochMilli(now));
        out.emit(p.meetingId(), new RoomOutput.Placement(next), now);
        placements.put(p.meetingId(), next);
        cfg.metrics().count(Outcome.STANDBY_REPLACED);
    }

    /**
     * The room's standbys among the usable forwarders, {@code primary} excluded, best first: the best {@code hosts} of
     * them all without the primary. With scoring of every host that is the best of the others (each host is ranked on
     * its own); with the skeleton tree (64 forwarders or more) the primary's weight also shapes the tree's inner
     * choices, so for a percent or two of rooms it is another forwarder, as valid a weighted choice. All the rooms of
     * one check are placed in the same snapshot ({@code usable}), so a forwarder with a thousand rooms in a large
     * fleet costs a thousand tree lookups, not a thousand passes over the fleet.
     */
    private List<String> standbys(String meetingId, Map<String, ForwarderMetrics> usable, String primary, long now) {
        List<String> chosen = new ArrayList<>(placer.chooseInSnapshot(meetingId, usable, Instant.ofEpochMilli(now), null));
        chosen.remove(primary);
        return chosen.subList(0, Math.min(chosen.size(), cfg.placement().hosts() - 1));
    }
}
