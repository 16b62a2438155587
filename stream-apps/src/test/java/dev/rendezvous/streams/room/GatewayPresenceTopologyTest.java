package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.config.RoomStreamsSettings;
import dev.rendezvous.streams.config.StreamsProperties;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomMembership;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence that expires: the room processor takes the members of a gateway whose heartbeats stop (or that goes
 * away, or comes back as a new process) out of their rooms with the full effects of a LEAVE. Wall-clock time is
 * the driver's ({@code advanceWallClockTime}); event time is the harness's (T0 + one second per input).
 */
class GatewayPresenceTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-00000000000a";
    private static final String OTHER_MEETING = "6f1c1b8e-0000-4000-8000-00000000000b";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private RoomTopologyTest.Harness h;
    private TestInputTopic<String, GatewayHeartbeat> beats;
    private final Map<String, Integer> beatCount = new HashMap<>();

    @BeforeEach
    void start() {
        Topology topology = RoomTopology.build(new StreamsBuilder(), RoomTopologyConfig.defaults(),
                new PresenceSettings(Duration.ofSeconds(10), Duration.ofSeconds(1))).build();
        Properties props = RoomStreamsSettings.properties(new KafkaConnectionProperties("unused:9092", 1),
                new StreamsProperties("presence-topology-test", stateDir, Duration.ofMillis(100), 1),
                RoomMetrics.none());
        driver = new TopologyTestDriver(topology, props, T0);
        h = new RoomTopologyTest.Harness(driver);
        beats = driver.createInputTopic(Topics.GATEWAY_HEARTBEATS.name(),
                Topics.GATEWAY_HEARTBEATS.keySerde().serializer(), Topics.GATEWAY_HEARTBEATS.valueSerde().serializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldRemoveTheMembersOfASilentGatewayWithEveryEffectOfALeave() {
        TestInputTopic<String, ForwarderMetrics> fleet = driver.createInputTopic(Topics.FORWARDER_METRICS.name(),
                Topics.FORWARDER_METRICS.keySerde().serializer(), Topics.FORWARDER_METRICS.valueSerde().serializer());
        fleet.pipeInput("fwd-a", new ForwarderMetrics("fwd-a", "local", T0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), T0);
        TestOutputTopic<String, ForwarderCommand> commands = driver.createOutputTopic(Topics.FORWARDER_COMMANDS.name(),
                Topics.FORWARDER_COMMANDS.keySerde().deserializer(), Topics.FORWARDER_COMMANDS.valueSerde().deserializer());
        beat("gw-a", "a-1");
        beat("gw-b", "b-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.HOST);
        join(MEETING, "s2", "gw-b", 2, "bob", Role.USER);
        join(MEETING, "s3", "gw-a", 1, "carol", Role.USER);
        join(OTHER_MEETING, "s4", "gw-a", 1, "dave", Role.USER);
        h.drain();
        commands.readRecordsToList();

        // gw-b keeps beating, gw-a has stopped: nothing happens before 10 s of silence
        beatFor("gw-b", "b-1", 9);
        assertThat(h.deliveries.readRecordsToList()).isEmpty();
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2", "s3");

        beatFor("gw-b", "b-1", 2);

        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2");
        assertThat(h.members(OTHER_MEETING)).isEmpty();
        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        // bob is told that alice and carol left, and who is host now
        assertThat(out).filteredOn(d -> d.socketIds().contains("s2") && d.event().type() == RoomEvent.Type.PARTICIPANT_LEFT)
                .extracting(d -> d.event().participant().socketId()).containsExactly("s1", "s3");
        assertThat(out).filteredOn(d -> d.socketIds().contains("s2") && d.event().type() == RoomEvent.Type.ROLE_CHANGED)
                .isNotEmpty();
        // as with LEAVEs in that order: carol, still in the room when alice went, was told too
        assertThat(out).filteredOn(d -> d.socketIds().contains("s3") && d.event().type() == RoomEvent.Type.PARTICIPANT_LEFT)
                .extracting(d -> d.event().participant().socketId()).containsExactly("s1");
        assertThat(out).noneMatch(d -> d.socketIds().contains("s1") || d.socketIds().contains("s4"));
        List<RoomMembership> changes = h.memberships.readValuesToList();
        assertThat(changes).filteredOn(c -> c.meetingId().equals(MEETING)).last()
                .satisfies(c -> assertThat(c.members()).extracting(Member::socketId).containsExactly("s2"));
        assertThat(changes).filteredOn(c -> c.meetingId().equals(OTHER_MEETING)).last()
                .satisfies(c -> assertThat(c.members()).isEmpty());
        assertThat(h.analytics.readValuesToList()).filteredOn(AnalyticsEvent.ParticipantLeft.class::isInstance)
                .extracting(a -> ((AnalyticsEvent.ParticipantLeft) a).participantId()).containsExactlyInAnyOrder("p-alice", "p-carol", "p-dave");
        // the forwarder drops their media, and closes the room left empty
        List<ForwarderCommand> sent = commands.readValuesToList();
        assertThat(sent).filteredOn(c -> c.kind() == ForwarderCommand.Kind.DISCONNECT).extracting(ForwarderCommand::socketId)
                .containsExactlyInAnyOrder("s1", "s3", "s4");
        assertThat(sent).filteredOn(c -> c.kind() == ForwarderCommand.Kind.CLOSE_ROOM).extracting(ForwarderCommand::meetingId)
                .containsExactly(OTHER_MEETING);

        // handed over once: later checks find nothing more to do
        beatFor("gw-b", "b-1", 5);
        assertThat(h.deliveries.readRecordsToList()).isEmpty();
        assertThat(h.memberships.readRecordsToList()).isEmpty();
    }

    @Test
    void shouldKeepTheMembersOfAGatewayThatKeepsBeating() {
        beat("gw-a", "a-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.USER);
        join(MEETING, "s2", "gw-a", 1, "bob", Role.USER);
        h.drain();

        beatFor("gw-a", "a-1", 60);

        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2");
        assertThat(h.deliveries.readRecordsToList()).isEmpty();
        assertThat(h.memberships.readRecordsToList()).isEmpty();
    }

    @Test
    void shouldNotExpireSocketsThatLeftOrGatewaysThatNeverBeat() {
        beat("gw-a", "a-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.USER);
        join(MEETING, "s2", "gw-old", 3, "bob", Role.USER);   // a gateway without heartbeats: never judged
        h.leave(MEETING, "s1", "gw-a", 1);
        h.drain();

        driver.advanceWallClockTime(Duration.ofSeconds(30));

        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2");
        assertThat(h.deliveries.readRecordsToList()).isEmpty();
        assertThat(driver.getKeyValueStore(GatewayWatch.SOCKETS_STORE).get(GatewayWatch.key("gw-a", MEETING))).isNull();
    }

    @Test
    void shouldExpireNothingWhileNoGatewayAtAllBeats() {
        beat("gw-a", "a-1");
        beat("gw-b", "b-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.USER);
        join(MEETING, "s2", "gw-b", 2, "bob", Role.USER);
        h.drain();

        // e.g. the broker was unreachable: every heartbeat stopped at once; that is this view going stale
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        for (int i = 0; i < 30; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2");

        // beats come back from gw-b only: gw-a is then judged, after a silence of its own
        beatFor("gw-b", "b-1", 2);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2");
    }

    @Test
    void shouldLeaveNoGhostWhenADeclaredDeadGatewayRevives() {
        beat("gw-a", "a-1");
        beat("gw-b", "b-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.USER);
        join(MEETING, "s2", "gw-b", 2, "bob", Role.USER);
        h.drain();
        beatFor("gw-b", "b-1", 11);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2");
        h.drain();

        // gw-a was only cut off: it beats again (same process), its socket s1 still open there
        beatFor("gw-a", "a-1", 1);
        beatFor("gw-b", "b-1", 1);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2");
        // gw-a closes its sockets after such a silence (GatewayHeartbeats); s1's page reconnects (a new WebSocket, so a
        // new socket id) and joins again
        join(MEETING, "s1b", "gw-a", 1, "alice", Role.USER);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2", "s1b");
        h.drain();
        for (int i = 0; i < 20; i++) {
            beatFor("gw-a", "a-1", 1);
            beat("gw-b", "b-1");
        }
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2", "s1b");
        assertThat(h.deliveries.readRecordsToList()).isEmpty();
    }

    @Test
    void shouldRemoveAtOnceTheSocketsOfAGatewayThatGoesAwayOrComesBackAsANewProcess() {
        beat("gw-a", "a-1");
        beat("gw-b", "b-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.USER);
        join(MEETING, "s2", "gw-b", 2, "bob", Role.USER);
        driver.advanceWallClockTime(Duration.ofSeconds(1));   // the watch has seen both processes
        h.drain();

        // gw-a restarts: its new process started after s1 joined, and s3 joins through it
        Instant restarted = h.timeOf(h.clock.get());
        beats.pipeInput("gw-a", new GatewayHeartbeat("gw-a", "a-2", restarted, restarted, GatewayHeartbeat.Status.ALIVE));
        join(MEETING, "s3", "gw-a", 1, "carol", Role.USER);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s2", "s3");
        assertThat(h.deliveries.readValuesToList())
                .filteredOn(d -> d.event().type() == RoomEvent.Type.PARTICIPANT_LEFT && d.socketIds().contains("s2"))
                .extracting(d -> d.event().participant().socketId()).containsExactly("s1");

        // gw-b shuts down gracefully: it says so, and bob goes at the next check, not 10 s later
        Instant bye = h.timeOf(h.clock.get());
        beats.pipeInput("gw-b", new GatewayHeartbeat("gw-b", "b-1", T0, bye, GatewayHeartbeat.Status.GOING_AWAY));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s3");
    }

    @Test
    void shouldDropTheLobbyEntryOfASocketOnALostGateway() {
        beat("gw-a", "a-1");
        beat("gw-b", "b-1");
        h.pipeMember(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, "h", "gw-b", 2, "p-host", "host",
                Role.HOST, T0, null, true));
        h.pipeMember(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, "w", "gw-a", 1, "p-wait", "wait",
                Role.USER, T0, null, true));
        RoomControl before = driver.<String, RoomControl>getKeyValueStore(RoomTopology.CONTROL_STORE).get(MEETING);
        assertThat(before.waiting).extracting(w -> w.member().socketId()).containsExactly("w");
        h.drain();

        beatFor("gw-b", "b-1", 11);

        RoomControl after = driver.<String, RoomControl>getKeyValueStore(RoomTopology.CONTROL_STORE).get(MEETING);
        assertThat(after.waiting).isEmpty();
        assertThat(h.deliveries.readValuesToList()).filteredOn(d -> d.socketIds().contains("h"))
                .extracting(d -> d.event().type()).contains(RoomEvent.Type.LOBBY_CHANGED);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("h");
    }

    @Test
    void shouldLetAPageThatReconnectedThroughAnotherGatewayTakeItsOldSocketsPlaceAtOnce() {
        driver.createInputTopic(Topics.FORWARDER_METRICS.name(), Topics.FORWARDER_METRICS.keySerde().serializer(),
                Topics.FORWARDER_METRICS.valueSerde().serializer())
                .pipeInput("fwd-a", new ForwarderMetrics("fwd-a", "local", T0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), T0);
        TestOutputTopic<String, ForwarderCommand> commands = driver.createOutputTopic(Topics.FORWARDER_COMMANDS.name(),
                Topics.FORWARDER_COMMANDS.keySerde().deserializer(), Topics.FORWARDER_COMMANDS.valueSerde().deserializer());
        beat("gw-a", "a-1");
        beat("gw-b", "b-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.HOST);
        join(MEETING, "s2", "gw-b", 2, "bob", Role.USER);
        h.drain();
        commands.readRecordsToList();

        // gw-b died; bob's page came back through gw-a on a new socket that names its old one
        rejoin(MEETING, "s3", "gw-a", 1, "bob", "s2");

        // no waiting for gw-b's silence: s3 took s2's place in the same step
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s3");
        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).filteredOn(d -> d.socketIds().contains("s1")).extracting(d -> d.event().type())
                .containsExactly(RoomEvent.Type.PARTICIPANT_JOINED, RoomEvent.Type.PARTICIPANT_LEFT);
        assertThat(out).filteredOn(d -> d.socketIds().contains("s1") && d.event().type() == RoomEvent.Type.PARTICIPANT_JOINED)
                .singleElement().satisfies(d -> {
                    assertThat(d.event().participant().socketId()).isEqualTo("s3");
                    assertThat(d.event().participant().participantId()).isEqualTo("p-bob");
                    assertThat(d.event().ref()).isEqualTo("s2");
                });
        // bob's new page sees alice and itself, not its old socket, and is told nothing about the old one leaving
        assertThat(out).filteredOn(d -> d.socketIds().contains("s3")).extracting(d -> d.event().type())
                .containsExactly(RoomEvent.Type.JOINED);
        assertThat(out).filteredOn(d -> d.socketIds().contains("s3")).singleElement()
                .satisfies(d -> assertThat(d.event().participants()).extracting(p -> p.socketId())
                        .containsExactlyInAnyOrder("s1", "s3"));
        assertThat(out).noneMatch(d -> d.socketIds().contains("s2"));
        assertThat(commands.readValuesToList()).filteredOn(c -> c.kind() == ForwarderCommand.Kind.DISCONNECT)
                .extracting(ForwarderCommand::socketId).containsExactly("s2");

        // gw-b's silence later hands s2 over again: bob's new socket stays, nobody new leaves
        beatFor("gw-a", "a-1", 11);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s3");
        assertThat(h.deliveries.readValuesToList()).noneMatch(d -> d.event().type() == RoomEvent.Type.PARTICIPANT_LEFT
                && !d.event().participant().socketId().equals("s2"));
    }

    @Test
    void shouldNotLetANewSocketReplaceSomeoneElsesSocket() {
        beat("gw-a", "a-1");
        join(MEETING, "s1", "gw-a", 1, "alice", Role.HOST);
        h.drain();

        rejoin(MEETING, "s2", "gw-a", 1, "mallory", "s1");

        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2");
        assertThat(h.deliveries.readValuesToList()).filteredOn(d -> d.socketIds().contains("s1"))
                .singleElement().satisfies(d -> {
                    assertThat(d.event().type()).isEqualTo(RoomEvent.Type.PARTICIPANT_JOINED);
                    assertThat(d.event().ref()).isNull();
                });
    }

    // ---------------------------------------------------------------------------------------- helpers

    private void rejoin(String meeting, String socket, String gateway, int partition, String name, String replaces) {
        h.pipeMember(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, gateway, partition,
                "p-" + name, name, Role.USER, T0, null, null, null, null, null, null, replaces));
    }

    private void join(String meeting, String socket, String gateway, int partition, String name, Role role) {
        h.pipeMember(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, gateway, partition,
                "p-" + name, name, role, T0));
    }

    /** One beat of a running process: its {@code at} advances with every beat. */
    private void beat(String gateway, String instance) {
        int n = beatCount.merge(gateway + "/" + instance, 1, Integer::sum);
        beats.pipeInput(gateway, new GatewayHeartbeat(gateway, instance, T0.minusSeconds(60), T0.plusSeconds(n),
                GatewayHeartbeat.Status.ALIVE));
    }

    /** {@code seconds} of wall-clock time during which only {@code gateway} beats, once a second. */
    private void beatFor(String gateway, String instance, int seconds) {
        for (int i = 0; i < seconds; i++) {
            beat(gateway, instance);
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }
    }
}
