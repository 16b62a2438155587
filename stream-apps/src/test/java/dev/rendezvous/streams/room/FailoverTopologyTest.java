package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.config.RoomStreamsSettings;
import dev.rendezvous.streams.config.StreamsProperties;
import dev.rendezvous.streams.placement.PlacementPolicy;
import dev.rendezvous.streams.placement.WeightedRendezvous;
import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.streams.room.RoomTopologyTest.Counts;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.model.SignalRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover decisions of the room processor ({@link Failover}): a forwarder whose metrics stop for 3 s, or that drains,
 * loses its rooms to their standbys; the members are told to reconnect their media; a recording continues on the new
 * forwarder; a forwarder that comes back with the same id gets new rooms; live rooms on healthy forwarders stay.
 * Wall-clock time is driven by the test driver (the check is a wall-clock punctuator, every 100 ms by default).
 */
class FailoverTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-000000000001";
    private static final List<String> FLEET = List.of("fwd-a", "fwd-b", "fwd-c");

    @TempDir
    Path stateDir;

    private final Counts counts = new Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, MemberRequest> memberRequests;
    private TestInputTopic<String, ForwarderEvent> events;
    private TestInputTopic<String, ForwarderMetrics> metrics;
    private TestOutputTopic<String, GatewayDelivery> deliveries;
    private TestOutputTopic<String, ForwarderCommand> commands;
    private TestOutputTopic<String, RoomPlacement> placements;
    private TestOutputTopic<String, RecordingControl> recordingControls;
    /** The driver's wall clock. */
    private Instant wall = T0;

    @BeforeEach
    void start() {
        Topology topology = RoomTopology.build(new StreamsBuilder(),
                RoomTopologyConfig.defaults().withMetrics(counts).withPlacement(PlacementPolicy.defaults())).build();
        Properties props = RoomStreamsSettings.properties(new KafkaConnectionProperties("unused:9092", 1),
                new StreamsProperties("failover-topology-test", stateDir, Duration.ofMillis(100), 1), counts);
        driver = new TopologyTestDriver(topology, props, T0);
        memberRequests = driver.createInputTopic(Topics.MEMBER_REQUESTED.name(),
                Topics.MEMBER_REQUESTED.keySerde().serializer(), Topics.MEMBER_REQUESTED.valueSerde().serializer());
        events = driver.createInputTopic(Topics.FORWARDER_EVENTS.name(),
                Topics.FORWARDER_EVENTS.keySerde().serializer(), Topics.FORWARDER_EVENTS.valueSerde().serializer());
        metrics = driver.createInputTopic(Topics.FORWARDER_METRICS.name(),
                Topics.FORWARDER_METRICS.keySerde().serializer(), Topics.FORWARDER_METRICS.valueSerde().serializer());
        deliveries = driver.createOutputTopic(Topics.GATEWAY_DELIVERIES.name(),
                Topics.GATEWAY_DELIVERIES.keySerde().deserializer(), Topics.GATEWAY_DELIVERIES.valueSerde().deserializer());
        commands = driver.createOutputTopic(Topics.FORWARDER_COMMANDS.name(),
                Topics.FORWARDER_COMMANDS.keySerde().deserializer(), Topics.FORWARDER_COMMANDS.valueSerde().deserializer());
        placements = driver.createOutputTopic(Topics.PLACEMENT_ASSIGNED.name(),
                Topics.PLACEMENT_ASSIGNED.keySerde().deserializer(), Topics.PLACEMENT_ASSIGNED.valueSerde().deserializer());
        recordingControls = driver.createOutputTopic(Topics.RECORDING_CONTROL.name(),
                Topics.RECORDING_CONTROL.keySerde().deserializer(), Topics.RECORDING_CONTROL.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldMoveARoomToItsStandbyWithANewStandbyWhenItsForwarderIsSilentFor3Seconds() {
        RoomPlacement placed = placeTwoMembers();
        String dead = placed.primaryForwarderId();
        String standby = placed.standbyForwarderIds().get(0);
        String third = others(dead, standby).get(0);

        // 2.5 s of silence: still its room (stale is not yet dead)
        run(Duration.ofMillis(2500), others(dead).toArray(String[]::new));
        assertThat(placements.isEmpty()).isTrue();
        assertThat(placementStore().get(MEETING).primaryForwarderId()).isEqualTo(dead);

        // past 3 s: moved to the standby, which becomes primary; the new standby is the one left (not the new primary)
        run(Duration.ofMillis(1000), others(dead).toArray(String[]::new));
        RoomPlacement moved = placements.readValue();
        assertThat(moved.status()).isEqualTo(RoomPlacement.Status.MIGRATING);
        assertThat(moved.primaryForwarderId()).isEqualTo(standby);
        assertThat(moved.standbyForwarderIds()).containsExactly(third);
        assertThat(placementStore().get(MEETING)).isEqualTo(moved);
        assertThat(placements.isEmpty()).isTrue();

        // the dead forwarder is told to close the room (harmless if it never reads it)
        List<ForwarderCommand> cmds = commands.readValuesToList();
        assertThat(cmds).extracting(ForwarderCommand::forwarderId, ForwarderCommand::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(dead, ForwarderCommand.Kind.CLOSE_ROOM));

        // every member is told to reconnect its media
        assertThat(movedSockets()).containsExactlyInAnyOrder("s1", "s2");
        assertThat(counts.of(Outcome.ROOM_MIGRATED)).isEqualTo(1);

        // the pages' new signaling goes to the new primary; its first event makes the room ACTIVE again
        signal("s1", SignalRequest.Kind.SUBSCRIBE);
        assertThat(commands.readValue().forwarderId()).isEqualTo(standby);
        events.pipeInput(MEETING, new ForwarderEvent(dead, MEETING, "s1", ForwarderEvent.Kind.OFFER,
                MediaSignal.offer(MediaSignal.Pc.SUBSCRIBE, "v=0 late", List.of()), wall), wall);
        assertThat(deliveries.isEmpty()).as("the old forwarder is not listened to").isTrue();
        events.pipeInput(MEETING, new ForwarderEvent(standby, MEETING, "s1", ForwarderEvent.Kind.OFFER,
                MediaSignal.offer(MediaSignal.Pc.SUBSCRIBE, "v=0 new", List.of()), wall), wall);
        assertThat(deliveries.readValue().event().type()).isEqualTo(RoomEvent.Type.SIGNAL);
        RoomPlacement active = placements.readValue();
        assertThat(active.status()).isEqualTo(RoomPlacement.Status.ACTIVE);
        assertThat(active.primaryForwarderId()).isEqualTo(standby);
        assertThat(counts.of(Outcome.MIGRATION_COMPLETED)).isEqualTo(1);

        // nothing more happens while the new primary stays healthy
        run(Duration.ofSeconds(5), others(dead).toArray(String[]::new));
        assertThat(placements.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.ROOM_MIGRATED)).isEqualTo(1);
    }

    @Test
    void shouldMoveTheRoomWithinOneDefaultCheckIntervalOfTheThreeSecondsOfSilence() {
        RoomPlacement placed = placeTwoMembers();
        String dead = placed.primaryForwarderId();
        String[] alive = others(dead).toArray(String[]::new);
        // the primary's last record arrives, then the wall clock moves in 20-ms steps (finer than any check interval)
        report(dead, 100, 0, false);
        Instant last = wall;
        Instant movedAt = null;
        for (int i = 0; i < 300 && movedAt == null; i++) {
            wall = wall.plusMillis(20);
            if (i % 5 == 0) {
                for (String id : alive) {
                    report(id, 100, 0, false);
                }
            }
            driver.advanceWallClockTime(Duration.ofMillis(20));
            if (!placements.isEmpty()) {
                movedAt = wall;
            }
        }
        assertThat(movedAt).as("the room moved").isNotNull();
        assertThat(placements.readValue().primaryForwarderId()).isEqualTo(placed.standbyForwarderIds().get(0));
        // silent means 3 s without a change; noticed at the first check after that (0.1 s apart by default: at most
        // two checks' worth late, one for seeing the record arrive and one for the decision)
        assertThat(Duration.between(last, movedAt)).isBetween(Duration.ofMillis(3000), Duration.ofMillis(3200));
    }

    @Test
    void shouldLeaveALiveRoomOnItsForwarderWhileItsMetricsKeepComingEvenWhenAnotherBecomesBetter() {
        RoomPlacement placed = placeTwoMembers();
        // the primary fills up (a much worse weight) and a big new forwarder arrives: no rebalancing of a live room
        run(Duration.ofSeconds(10), FLEET.toArray(String[]::new));
        report(placed.primaryForwarderId(), 100, 99, false);
        report("fwd-big", 10_000, 0, false);
        run(Duration.ofSeconds(10), "fwd-a", "fwd-b", "fwd-c", "fwd-big");
        assertThat(placements.isEmpty()).isTrue();
        assertThat(placementStore().get(MEETING)).isEqualTo(placed);
        assertThat(commands.isEmpty()).isTrue();
        assertThat(movedSockets()).isEmpty();
    }

    @Test
    void shouldNotMoveAnythingWhenEveryForwarderIsSilentAtOnce() {
        RoomPlacement placed = placeTwoMembers();
        // our own view is stale (a broker outage), not the whole fleet dead
        run(Duration.ofSeconds(10));
        assertThat(placements.isEmpty()).isTrue();
        assertThat(placementStore().get(MEETING)).isEqualTo(placed);
    }

    @Test
    void shouldContinueARecordingOnTheNewForwarderWithTheSameRecordingId() {
        RoomPlacement placed = placeTwoMembers();
        KeyValueStore<String, RoomControl> controls = driver.getKeyValueStore(RoomTopology.CONTROL_STORE);
        RoomControl c = new RoomControl();
        c.recording = new RoomControl.Running("rec-1", placed.primaryForwarderId(), T0, "p-alice");
        controls.put(MEETING, c);

        run(Duration.ofMillis(3500), others(placed.primaryForwarderId()).toArray(String[]::new));

        String to = placed.standbyForwarderIds().get(0);
        RecordingControl again = recordingControls.readValue();
        assertThat(again.action()).isEqualTo(RecordingControl.Action.START);
        assertThat(again.recordingId()).isEqualTo("rec-1");
        assertThat(again.forwarderId()).isEqualTo(to);
        assertThat(recordingControls.isEmpty()).as("no STOP: the recorder would end the file").isTrue();
        assertThat(controls.get(MEETING).recording.forwarderId()).isEqualTo(to);
        assertThat(controls.get(MEETING).recording.startedAt()).isEqualTo(T0);
    }

    @Test
    void shouldMoveTheRoomsOfADrainingForwarderAtOnceAndGiveItNoNewRooms() {
        RoomPlacement placed = placeTwoMembers();
        String draining = placed.primaryForwarderId();
        report(draining, 100, 0, true);
        run(Duration.ofMillis(500), FLEET.toArray(String[]::new));   // draining, but its metrics keep coming

        RoomPlacement moved = placements.readValue();
        assertThat(moved.status()).isEqualTo(RoomPlacement.Status.MIGRATING);
        assertThat(moved.primaryForwarderId()).isEqualTo(placed.standbyForwarderIds().get(0));
        assertThat(moved.standbyForwarderIds()).doesNotContain(draining, moved.primaryForwarderId()).hasSize(1);
        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::forwarderId, ForwarderCommand::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(draining, ForwarderCommand.Kind.CLOSE_ROOM));
        assertThat(movedSockets()).containsExactlyInAnyOrder("s1", "s2");

        // a room that would have gone to it goes elsewhere
        String meeting = meetingWhoseBestIs(draining);
        joinMeeting(meeting, "s9", "zoe");
        RoomPlacement other = placements.readValue();
        assertThat(other.meetingId()).isEqualTo(meeting);
        assertThat(other.primaryForwarderId()).isNotEqualTo(draining);
        assertThat(other.standbyForwarderIds()).doesNotContain(draining);
    }

    @Test
    void shouldGiveNewRoomsToAForwarderThatComesBackWithTheSameId() {
        RoomPlacement placed = placeTwoMembers();
        String lost = placed.primaryForwarderId();
        run(Duration.ofMillis(3500), others(lost).toArray(String[]::new));
        assertThat(placements.readValue().primaryForwarderId()).isNotEqualTo(lost);
        drain();

        // while it is silent, a room whose best forwarder it is goes elsewhere
        String meeting = meetingWhoseBestIs(lost);
        joinMeeting(meeting, "s8", "yan");
        assertThat(placements.readValue().primaryForwarderId()).isNotEqualTo(lost);
        drain();

        // it restarts with the same id: healthy again at the next check; the moved room stays where it is
        run(Duration.ofMillis(500), FLEET.toArray(String[]::new));
        String meeting2 = meetingWhoseBestIs(lost, meeting);
        joinMeeting(meeting2, "s9", "zoe");
        RoomPlacement back = placements.readValue();
        assertThat(back.meetingId()).isEqualTo(meeting2);
        assertThat(back.primaryForwarderId()).isEqualTo(lost);
        assertThat(placementStore().get(MEETING).primaryForwarderId()).isEqualTo(placed.standbyForwarderIds().get(0));
    }

    @Test
    void shouldChooseANewStandbyWhenOnlyTheStandbyIsSilent() {
        RoomPlacement placed = placeTwoMembers();
        String standby = placed.standbyForwarderIds().get(0);
        run(Duration.ofMillis(3500), others(standby).toArray(String[]::new));

        RoomPlacement next = placements.readValue();
        assertThat(next.primaryForwarderId()).isEqualTo(placed.primaryForwarderId());
        assertThat(next.status()).isEqualTo(RoomPlacement.Status.ACTIVE);
        assertThat(next.standbyForwarderIds()).containsExactly(others(placed.primaryForwarderId(), standby).get(0));
        assertThat(movedSockets()).as("media stays where it is").isEmpty();
        assertThat(commands.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.STANDBY_REPLACED)).isEqualTo(1);
    }

    @Test
    void shouldKeepTryingARoomThatHasNowhereToGoUntilAForwarderIsUsable() {
        report("fwd-a", 100, 0, false);
        report("fwd-b", 100, 0, false);
        joinMeeting(MEETING, "s1", "alice");
        RoomPlacement placed = placements.readValue();
        String primary = placed.primaryForwarderId();
        String other = placed.standbyForwarderIds().get(0);
        report(other, 100, 0, true);   // the standby drains
        run(Duration.ofMillis(3500), other);   // and the primary dies
        assertThat(counts.of(Outcome.FAILOVER_NO_FORWARDER)).isPositive();
        assertThat(placementStore().get(MEETING).primaryForwarderId()).isEqualTo(primary);

        report("fwd-c", 100, 0, false);
        run(Duration.ofMillis(500), other, "fwd-c");
        RoomPlacement moved = placementStore().get(MEETING);
        assertThat(moved.primaryForwarderId()).isEqualTo("fwd-c");
        assertThat(moved.status()).isEqualTo(RoomPlacement.Status.MIGRATING);
    }

    @Test
    void shouldMoveEveryRoomOfADeadForwarderInALargeFleetInOneCheckEachWithAStandbyThatIsNotItsPrimary() {
        // 80 forwarders (the skeleton tree's size): rooms are placed, and moved, in a snapshot of the fleet
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            fleet.add("fwd-" + i);
            report("fwd-" + i, 100, 0, false);
        }
        java.util.Map<String, RoomPlacement> placed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            String meeting = String.format("6f1c1b8e-0000-4000-9000-%012d", i);
            joinMeeting(meeting, "s-" + i, "p" + i);
            placed.put(meeting, placementStore().get(meeting));
        }
        drain();
        String dead = placed.values().iterator().next().primaryForwarderId();
        List<RoomPlacement> onDead = placed.values().stream().filter(p -> p.primaryForwarderId().equals(dead)).toList();
        assertThat(onDead).as("a few rooms on the forwarder that dies").isNotEmpty();

        List<String> alive = new ArrayList<>(fleet);
        alive.remove(dead);
        run(Duration.ofMillis(3500), alive.toArray(String[]::new));

        java.util.Map<String, RoomPlacement> moved = new java.util.HashMap<>();
        placements.readValuesToList().forEach(p -> moved.put(p.meetingId(), p));
        for (RoomPlacement before : onDead) {
            RoomPlacement after = moved.get(before.meetingId());
            assertThat(after).as(before.meetingId()).isNotNull();
            assertThat(after.primaryForwarderId()).isEqualTo(before.standbyForwarderIds().get(0));
            assertThat(after.standbyForwarderIds()).hasSize(1).doesNotContain(dead, after.primaryForwarderId());
        }
        // rooms whose standby was the dead one keep their primary and get another standby
        placed.values().stream().filter(p -> p.standbyForwarderIds().contains(dead)).forEach(p -> {
            RoomPlacement after = moved.get(p.meetingId());
            assertThat(after.primaryForwarderId()).isEqualTo(p.primaryForwarderId());
            assertThat(after.standbyForwarderIds()).hasSize(1).doesNotContain(dead, p.primaryForwarderId());
        });
        assertThat(counts.of(Outcome.ROOM_MIGRATED)).isEqualTo(onDead.size());
        assertThat(moved.values()).extracting(RoomPlacement::at).as("all in one check").hasSize(moved.size())
                .containsOnly(moved.values().iterator().next().at());
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Three forwarders report, two members join: the room is placed (primary + 1 standby). */
    private RoomPlacement placeTwoMembers() {
        FLEET.forEach(id -> report(id, 100, 0, false));
        joinMeeting(MEETING, "s1", "alice");
        joinMeeting(MEETING, "s2", "bob");
        RoomPlacement placed = placements.readValue();
        assertThat(placed.status()).isEqualTo(RoomPlacement.Status.ACTIVE);
        assertThat(placed.standbyForwarderIds()).hasSize(1);
        drain();
        return placed;
    }

    /** Advances the wall clock by {@code d} in 500 ms steps; the {@code alive} forwarders report at each step. */
    private void run(Duration d, String... alive) {
        for (long ms = 0; ms < d.toMillis(); ms += 500) {
            wall = wall.plusMillis(500);
            for (String id : alive) {
                ForwarderMetrics last = lastReport.getOrDefault(id, null);
                report(id, last == null ? 100 : last.capacity(), last == null ? 0 : last.participants(),
                        last != null && last.isDraining());
            }
            driver.advanceWallClockTime(Duration.ofMillis(500));
        }
    }

    private final java.util.Map<String, ForwarderMetrics> lastReport = new java.util.HashMap<>();

    private void report(String forwarderId, int capacity, int participants, boolean draining) {
        ForwarderMetrics m = new ForwarderMetrics(forwarderId, "local", wall, capacity, 0, participants,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0).withDraining(draining);
        lastReport.put(forwarderId, m);
        metrics.pipeInput(forwarderId, m, wall);
    }

    private void joinMeeting(String meeting, String socket, String name) {
        memberRequests.pipeInput(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, "gw-a", 0,
                "p-" + name, name, Role.USER, wall), wall);
    }

    private void signal(String socket, SignalRequest.Kind kind) {
        driver.createInputTopic(Topics.SIGNAL_REQUESTED.name(), Topics.SIGNAL_REQUESTED.keySerde().serializer(),
                        Topics.SIGNAL_REQUESTED.valueSerde().serializer())
                .pipeInput(MEETING, new SignalRequest(MEETING, socket, "gw-a", 0, "p-" + socket, kind,
                        MediaSignal.subscribe(null), wall), wall);
    }

    /** The sockets that got MEDIA_MOVED since the last read. */
    private Set<String> movedSockets() {
        return deliveries.readValuesToList().stream()
                .filter(d -> d.event().type() == RoomEvent.Type.MEDIA_MOVED)
                .flatMap(d -> d.socketIds().stream())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<String> others(String... not) {
        List<String> out = new ArrayList<>(FLEET);
        out.removeAll(List.of(not));
        return out;
    }

    /** A meeting id (not {@code MEETING}, nor {@code except}) whose best forwarder of the three is {@code forwarderId}. */
    private static String meetingWhoseBestIs(String forwarderId, String... except) {
        List<WeightedRendezvous.Host> hosts = FLEET.stream().map(id -> new WeightedRendezvous.Host(id, 100)).toList();
        for (int i = 2; ; i++) {
            String id = String.format("6f1c1b8e-0000-4000-8000-%012d", i);
            if (!List.of(except).contains(id) && WeightedRendezvous.best(id, hosts, 1).get(0).equals(forwarderId)) {
                return id;
            }
        }
    }

    private void drain() {
        deliveries.readRecordsToList();
        commands.readRecordsToList();
        placements.readRecordsToList();
        recordingControls.readRecordsToList();
    }

    private KeyValueStore<String, RoomPlacement> placementStore() {
        return driver.getKeyValueStore(RoomTopology.PLACEMENTS_STORE);
    }
}
