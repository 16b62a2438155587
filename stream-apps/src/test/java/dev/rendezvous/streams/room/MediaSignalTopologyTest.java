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
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import dev.rendezvous.topics.model.SignalRequest;
import dev.rendezvous.topics.model.TileView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media signaling through the room processor: placement, routing to the forwarder, and back to sockets. */
class MediaSignalTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-000000000001";
    private static final MediaSignal OFFER = MediaSignal.offer(MediaSignal.Pc.PUBLISH, "v=0 offer", List.of());

    @TempDir
    Path stateDir;

    private final Counts counts = new Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, MemberRequest> memberRequests;
    private TestInputTopic<String, SignalRequest> signals;
    private TestInputTopic<String, ForwarderEvent> events;
    private TestInputTopic<String, ForwarderMetrics> metrics;
    private TestOutputTopic<String, GatewayDelivery> deliveries;
    private TestOutputTopic<String, ForwarderCommand> commands;
    private TestOutputTopic<String, RoomPlacement> placements;
    /** Event time of the next input, advanced one second per input. */
    private Instant now = T0;

    @BeforeEach
    void start() {
        Topology topology = RoomTopology.build(new StreamsBuilder(),
                RoomTopologyConfig.defaults().withMetrics(counts).withPlacement(PlacementPolicy.defaults())).build();
        Properties props = RoomStreamsSettings.properties(new KafkaConnectionProperties("unused:9092", 1),
                new StreamsProperties("media-signal-topology-test", stateDir, Duration.ofMillis(100), 1), counts);
        driver = new TopologyTestDriver(topology, props, T0);
        memberRequests = input(Topics.MEMBER_REQUESTED);
        signals = input(Topics.SIGNAL_REQUESTED);
        events = input(Topics.FORWARDER_EVENTS);
        metrics = input(Topics.FORWARDER_METRICS);
        deliveries = output(Topics.GATEWAY_DELIVERIES);
        commands = output(Topics.FORWARDER_COMMANDS);
        placements = output(Topics.PLACEMENT_ASSIGNED);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    // ------------------------------------------------------------------------------- client → forwarder

    @Test
    void shouldPlaceTheRoomWhenAMemberJoinsAndStartTheirSubscribeSideOnItsPrimaryKeyedByForwarderId() {
        report("fwd-a", 100, 0);
        report("fwd-b", 100, 0);
        report("fwd-c", 100, 0);

        join("s1", "gw-a", 2, "alice");

        TestRecord<String, RoomPlacement> placed = placements.readRecord();
        assertThat(placed.key()).isEqualTo(MEETING);
        RoomPlacement p = placed.value();
        assertThat(p.status()).isEqualTo(RoomPlacement.Status.ACTIVE);
        assertThat(p.standbyForwarderIds()).hasSize(1).doesNotContain(p.primaryForwarderId());
        // the same choice as the pure function on the same weights
        List<String> expected = WeightedRendezvous.best(MEETING, List.of(new WeightedRendezvous.Host("fwd-a", 100),
                new WeightedRendezvous.Host("fwd-b", 100), new WeightedRendezvous.Host("fwd-c", 100)), 2);
        assertThat(p.primaryForwarderId()).isEqualTo(expected.get(0));
        assertThat(p.standbyForwarderIds()).containsExactly(expected.get(1));

        // the joiner's subscribe side starts at once, before the page has sent any media frame
        TestRecord<String, ForwarderCommand> subscribe = commands.readRecord();
        assertThat(subscribe.key()).isEqualTo(p.primaryForwarderId());
        assertThat(subscribe.value().kind()).isEqualTo(ForwarderCommand.Kind.SUBSCRIBE);
        assertThat(subscribe.value().socketId()).isEqualTo("s1");
        assertThat(subscribe.value().participantId()).isEqualTo("p-alice");
        assertThat(subscribe.value().at()).isEqualTo(T0);
        assertThat(subscribe.value().signal()).isEqualTo(MediaSignal.subscribe(null));
        assertThat(commands.isEmpty()).isTrue();
        assertThat(placementStore().get(MEETING)).isEqualTo(p);
        assertThat(counts.of(Outcome.PLACEMENT_MADE)).isEqualTo(1);
        assertThat(counts.of(Outcome.FORWARDER_SUBSCRIBE_SENT)).isEqualTo(1);
        drain();

        signal("s1", "gw-a", 2, SignalRequest.Kind.OFFER, OFFER);

        TestRecord<String, ForwarderCommand> cmd = commands.readRecord();
        assertThat(cmd.key()).isEqualTo(p.primaryForwarderId());
        assertThat(cmd.value().forwarderId()).isEqualTo(p.primaryForwarderId());
        assertThat(cmd.value().kind()).isEqualTo(ForwarderCommand.Kind.OFFER);
        assertThat(cmd.value().meetingId()).isEqualTo(MEETING);
        assertThat(cmd.value().socketId()).isEqualTo("s1");
        assertThat(cmd.value().participantId()).isEqualTo("p-alice");
        assertThat(cmd.value().signal()).isEqualTo(OFFER);
        assertThat(cmd.value().at()).isEqualTo(T0.plusSeconds(1));   // the signal's record time
        assertThat(cmd.timestamp()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
        assertThat(deliveries.isEmpty()).isTrue();
        assertThat(placements.isEmpty()).as("placed once").isTrue();
        assertThat(counts.of(Outcome.PLACEMENT_MADE)).isEqualTo(1);
        assertThat(counts.of(Outcome.SIGNAL_ROUTED)).isEqualTo(1);
    }

    @Test
    void shouldPassTheJoinersSubscribeFingerprintToTheForwarder() {
        report("fwd-a", 100, 0);
        String fp = String.join(":", java.util.Collections.nCopies(32, "0F"));
        memberRequests.pipeInput(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, "s1", "gw-a", 0,
                "p-alice", "alice", Role.USER, T0, fp), tick());
        ForwarderCommand c = commands.readValue();
        assertThat(c.kind()).isEqualTo(ForwarderCommand.Kind.SUBSCRIBE);
        assertThat(c.signal().fingerprint()).isEqualTo(fp);
    }

    @Test
    void shouldPlaceANewRoomInTheJoinersRegionWithAStandbyElsewhereWhenTheRegionHasOneForwarder() {
        // fwd-us has ten times the free capacity, but the joiner's hint is eu
        metrics.pipeInput("fwd-us", new ForwarderMetrics("fwd-us", "us", now, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), now);
        metrics.pipeInput("fwd-eu", new ForwarderMetrics("fwd-eu", "eu", now, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), now);
        memberRequests.pipeInput(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, "s1", "gw-a", 0,
                "p-alice", "alice", Role.USER, T0, null, null, null, null, null, "eu"), tick());
        RoomPlacement p = placements.readValue();
        assertThat(p.primaryForwarderId()).isEqualTo("fwd-eu");
        assertThat(p.standbyForwarderIds()).containsExactly("fwd-us");
        // a malformed hint is no hint (the gateway refuses it; a record from elsewhere must not break placement)
        memberRequests.pipeInput("m-2", new MemberRequest(MemberRequest.Action.JOIN, "m-2", "s2", "gw-a", 0,
                "p-bob", "bob", Role.USER, T0, null, null, null, null, null, "e u/../"), tick());
        assertThat(placements.readValue().primaryForwarderId()).isIn("fwd-us", "fwd-eu");
    }

    @Test
    void shouldPlaceTheRoomsOfALargeFleetFromASnapshotReadAgainOncePerRefreshButLeaveADrainingOneOutAtOnce() {
        // from skeletonFrom (64) forwarders the fleet is read once per refresh (1 s of wall-clock time), not per room
        Map<String, ForwarderMetrics> fleet = new LinkedHashMap<>();
        for (int i = 0; i < 80; i++) {
            ForwarderMetrics m = new ForwarderMetrics("fwd-" + i, "local", now, 100 + i, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            fleet.put(m.forwarderId(), m);
            metrics.pipeInput(m.forwarderId(), m, now);
        }
        PlacementPolicy policy = PlacementPolicy.defaults();
        assertThat(placeRoom("m-1")).as("the same choice as the pure function")
                .isEqualTo(policy.placer().choose("m-1", fleet, now.minusSeconds(1), null));

        // one forwarder much bigger than all the others together: the pure function would put nearly every room there
        ForwarderMetrics big = new ForwarderMetrics("fwd-big", "local", now, 1_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        metrics.pipeInput(big.forwarderId(), big, now);
        Map<String, ForwarderMetrics> withBig = new LinkedHashMap<>(fleet);
        withBig.put(big.forwarderId(), big);
        assertThat(policy.placer().choose("m-2", withBig, now, null)).contains("fwd-big");
        assertThat(placeRoom("m-2")).as("not in the snapshot yet")
                .isEqualTo(policy.placer().choose("m-2", fleet, now.minusSeconds(1), null)).doesNotContain("fwd-big");

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(policy.placer().choose("m-3", withBig, now, null)).contains("fwd-big");
        assertThat(placeRoom("m-3")).as("read again after the refresh").contains("fwd-big");

        // draining: the failover check's judgement (every 100 ms) leaves it out at once, before the next refresh
        ForwarderMetrics drains = new ForwarderMetrics("fwd-big", "local", now, 1_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                true);
        metrics.pipeInput(drains.forwarderId(), drains, now);
        driver.advanceWallClockTime(Duration.ofMillis(200));
        assertThat(policy.placer().choose("m-4", withBig, now, null)).contains("fwd-big");
        assertThat(placeRoom("m-4")).doesNotContain("fwd-big").hasSize(2);
    }

    @Test
    void shouldPlaceTheRoomsOfASmallFleetWithTheFreshestMetricsHoweverOftenItsForwardersReport() {
        // a few forwarders reporting every second for a while (each report an overwrite in the global store)
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 3; i++) {
                metrics.pipeInput("fwd-" + i, new ForwarderMetrics("fwd-" + i, "local", now, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0), now);
            }
        }
        assertThat(placeRoom("m-1")).hasSize(2);
        // a much bigger forwarder that has just started gets the next room at once: no snapshot in between
        metrics.pipeInput("fwd-big", new ForwarderMetrics("fwd-big", "local", now, 1_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0), now);
        assertThat(placeRoom("m-2")).contains("fwd-big");
    }

    /** A first member joins meeting {@code meetingId}; the forwarders its room was placed on, primary first. */
    private List<String> placeRoom(String meetingId) {
        memberRequests.pipeInput(meetingId, new MemberRequest(MemberRequest.Action.JOIN, meetingId, "s-" + meetingId,
                "gw-a", 0, "p-" + meetingId, "someone", Role.USER, T0), tick());
        RoomPlacement p = placements.readValue();
        drain();
        List<String> chosen = new java.util.ArrayList<>(List.of(p.primaryForwarderId()));
        chosen.addAll(p.standbyForwarderIds());
        return chosen;
    }

    @Test
    void shouldPlaceTheRoomOnTheFirstSignalWhenNoForwarderWasUpAtTheJoin() {
        join("s1", "gw-a", 0, "alice");
        assertThat(commands.isEmpty()).as("no forwarder: the join stands without media").isTrue();
        assertThat(placements.isEmpty()).isTrue();
        assertThat(deliveries.readValue().event().type()).isEqualTo(RoomEvent.Type.JOINED);
        assertThat(counts.of(Outcome.PLACEMENT_NO_FORWARDER)).isEqualTo(1);

        report("fwd-a", 100, 0);
        signal("s1", "gw-a", 0, SignalRequest.Kind.SUBSCRIBE, MediaSignal.empty());
        signal("s1", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);

        assertThat(placements.readValue().primaryForwarderId()).isEqualTo("fwd-a");
        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind)
                .containsExactly(ForwarderCommand.Kind.SUBSCRIBE, ForwarderCommand.Kind.OFFER);
        assertThat(counts.of(Outcome.PLACEMENT_MADE)).isEqualTo(1);
    }

    @Test
    void shouldMapEachSignalKindToItsCommand() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        for (SignalRequest.Kind k : SignalRequest.Kind.values()) {
            signal("s1", "gw-a", 0, k, MediaSignal.empty());
        }
        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind).containsExactly(
                ForwarderCommand.Kind.SUBSCRIBE,   // the join's
                ForwarderCommand.Kind.OFFER, ForwarderCommand.Kind.ANSWER, ForwarderCommand.Kind.CANDIDATE,
                ForwarderCommand.Kind.TRACK_UPDATE, ForwarderCommand.Kind.OFFER, ForwarderCommand.Kind.SUBSCRIBE,
                ForwarderCommand.Kind.TILE_VIEW, ForwarderCommand.Kind.STATS_START, ForwarderCommand.Kind.STATS_STOP);
    }

    @Test
    void shouldPassATileViewToTheRoomsForwarderAndTellNobodyElse() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 2, "alice");
        join("s2", "gw-b", 4, "bob");
        drain();
        List<TileView> tiles = List.of(TileView.shown("s2", MediaTrack.Source.CAMERA, 320, 180),
                TileView.hidden("s2", MediaTrack.Source.SCREEN));

        signal("s1", "gw-a", 2, SignalRequest.Kind.TILE_VIEW, MediaSignal.tileView(tiles));

        List<ForwarderCommand> sent = commands.readValuesToList();
        assertThat(sent).extracting(ForwarderCommand::kind, ForwarderCommand::forwarderId, ForwarderCommand::socketId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ForwarderCommand.Kind.TILE_VIEW, "fwd-a", "s1"));
        assertThat(sent.get(0).signal().tiles()).isEqualTo(tiles);
        assertThat(deliveries.isEmpty()).as("a tile view is for the forwarder only").isTrue();
    }

    @Test
    void shouldRejectASignalFromASocketThatHasNotJoined() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        drain();

        signal("stranger", "gw-b", 3, SignalRequest.Kind.TRACK_UPDATE, MediaSignal.empty());

        GatewayDelivery d = deliveries.readValue();
        assertThat(d.gatewayId()).isEqualTo("gw-b");
        assertThat(d.partition()).isEqualTo(3);
        assertThat(d.socketIds()).containsExactly("stranger");
        assertThat(d.event().type()).isEqualTo(RoomEvent.Type.REJECTED);
        assertThat(d.event().errorCode()).isEqualTo("not_joined");
        assertThat(d.event().ref()).isEqualTo("media");
        assertThat(commands.isEmpty()).isTrue();
        assertThat(placements.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.SIGNAL_REJECTED_NOT_JOINED)).isEqualTo(1);
    }

    @Test
    void shouldRejectWithMediaUnavailableWhenNoForwarderIsHealthy() {
        join("s1", "gw-a", 1, "alice");
        drain();

        signal("s1", "gw-a", 1, SignalRequest.Kind.OFFER, OFFER);   // no forwarder ever reported

        GatewayDelivery d = deliveries.readValue();
        assertThat(d.socketIds()).containsExactly("s1");
        assertThat(d.event().errorCode()).isEqualTo("media_unavailable");
        assertThat(d.event().errorMessage()).isEqualTo("no media server is available; try again shortly");
        assertThat(d.event().ref()).isEqualTo("publish");
        assertThat(commands.isEmpty()).isTrue();
        assertThat(placements.isEmpty()).isTrue();
        assertThat(placementStore().get(MEETING)).isNull();
        assertThat(counts.of(Outcome.PLACEMENT_NO_FORWARDER)).as("at the join, then at the offer").isEqualTo(2);

        // a forwarder whose last report is 30 s old is no better
        reportAt("fwd-a", 100, 0, now.minusSeconds(30));
        signal("s1", "gw-a", 1, SignalRequest.Kind.OFFER, OFFER);
        assertThat(deliveries.readValue().event().errorCode()).isEqualTo("media_unavailable");
        assertThat(counts.of(Outcome.PLACEMENT_NO_FORWARDER)).isEqualTo(3);
    }

    @Test
    void shouldChooseAnotherForwarderWhenTheBestOnesMetricsAreStale() {
        // alone, fwd-big would win almost every room; its metrics stop at T0
        reportAt("fwd-big", 1_000_000, 0, now);
        report("fwd-small", 10, 0);
        now = now.plusSeconds(20);   // 20 s later fwd-small reports again, fwd-big does not
        report("fwd-small", 10, 0);

        join("s1", "gw-a", 0, "alice");

        RoomPlacement p = placements.readValue();
        assertThat(p.primaryForwarderId()).isEqualTo("fwd-small");
        assertThat(p.standbyForwarderIds()).isEmpty();
        assertThat(commands.readKeyValue().key).isEqualTo("fwd-small");
    }

    @Test
    void shouldKeepThePlacementAcrossSignalsEvenWhenWeightsChange() {
        report("fwd-a", 100, 0);
        report("fwd-b", 100, 0);
        join("s1", "gw-a", 0, "alice");
        join("s2", "gw-a", 0, "bob");
        signal("s1", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        String primary = placements.readValue().primaryForwarderId();
        String other = primary.equals("fwd-a") ? "fwd-b" : "fwd-a";
        // the primary fills up, the other empties: a fresh placement would now pick the other one
        report(primary, 100, 100);
        report(other, 1_000_000, 0);
        commands.readValuesToList();

        signal("s2", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        signal("s1", "gw-a", 0, SignalRequest.Kind.CANDIDATE, MediaSignal.empty());

        assertThat(placements.isEmpty()).isTrue();
        assertThat(commands.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(primary, primary);
        assertThat(counts.of(Outcome.PLACEMENT_MADE)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------- leaves

    @Test
    void shouldTellThePrimaryToDisconnectALeavingSocket() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        join("s2", "gw-b", 1, "bob");
        signal("s1", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        drain();

        leave("s2", "gw-b", 1);

        TestRecord<String, ForwarderCommand> cmd = commands.readRecord();
        assertThat(cmd.key()).isEqualTo("fwd-a");
        assertThat(cmd.value().kind()).isEqualTo(ForwarderCommand.Kind.DISCONNECT);
        assertThat(cmd.value().socketId()).isEqualTo("s2");
        assertThat(cmd.value().participantId()).isEqualTo("p-bob");
        assertThat(commands.isEmpty()).isTrue();
        assertThat(placements.isEmpty()).isTrue();
        assertThat(placementStore().get(MEETING)).isNotNull();
    }

    @Test
    void shouldCloseTheRoomOnItsForwarderWhenTheLastMemberLeaves() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        signal("s1", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        drain();

        leave("s1", "gw-a", 0);

        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind, ForwarderCommand::socketId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ForwarderCommand.Kind.DISCONNECT, "s1"),
                        org.assertj.core.groups.Tuple.tuple(ForwarderCommand.Kind.CLOSE_ROOM, null));
        List<TestRecord<String, RoomPlacement>> out = placements.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsOnly(MEETING);
        assertThat(out.get(0).value().status()).isEqualTo(RoomPlacement.Status.CLOSED);
        assertThat(out.get(0).value().primaryForwarderId()).isEqualTo("fwd-a");
        assertThat(out.get(1).value()).as("then a tombstone").isNull();
        assertThat(placementStore().get(MEETING)).isNull();
        assertThat(counts.of(Outcome.PLACEMENT_CLOSED)).isEqualTo(1);

        // the meeting can be joined and placed again
        join("s9", "gw-a", 0, "zoe");
        signal("s9", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        assertThat(placements.readValue().status()).isEqualTo(RoomPlacement.Status.ACTIVE);
    }

    @Test
    void shouldSendTheForwarderItsCommandsAgainForAJoinOrALeaveReadAgain() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        drain();

        join("s1", "gw-a", 0, "alice");   // read again (a replay after a crash, or a gateway retry)
        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind, ForwarderCommand::socketId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ForwarderCommand.Kind.SUBSCRIBE, "s1"));

        leave("s1", "gw-a", 0);           // closes the room: the placement is gone
        drain();
        leave("s1", "gw-a", 0);           // read again: the forwarder still hears of it
        assertThat(commands.readRecordsToList()).extracting(TestRecord::key, r -> r.value().kind(), r -> r.value().socketId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fwd-a", ForwarderCommand.Kind.DISCONNECT, "s1"),
                        org.assertj.core.groups.Tuple.tuple("fwd-a", ForwarderCommand.Kind.CLOSE_ROOM, null));
        assertThat(placementStore().get(MEETING)).isNull();
        assertThat(counts.of(Outcome.LEAVE_REPEATED)).isEqualTo(1);
    }

    @Test
    void shouldSendNoForwarderCommandWhenAnUnplacedRoomEmpties() {
        join("s1", "gw-a", 0, "alice");
        leave("s1", "gw-a", 0);
        assertThat(commands.isEmpty()).isTrue();
        assertThat(placements.isEmpty()).isTrue();
    }

    // ------------------------------------------------------------------------------- forwarder → clients

    @Test
    void shouldDeliverTheForwardersAnswerOnlyToItsSocketsGatewayPartition() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 2, "alice");
        join("s2", "gw-b", 4, "bob");
        join("s3", "gw-a", 2, "carol");
        signal("s2", "gw-b", 4, SignalRequest.Kind.OFFER, OFFER);
        drain();

        MediaSignal answer = MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0 answer");
        event("fwd-a", "s2", ForwarderEvent.Kind.ANSWER, answer);

        TestRecord<String, GatewayDelivery> d = deliveries.readRecord();
        assertThat(d.key()).isEqualTo("gw-b");
        assertThat(d.value().partition()).isEqualTo(4);
        assertThat(d.value().socketIds()).containsExactly("s2");
        assertThat(d.value().event()).isEqualTo(RoomEvent.signal(MEETING, "ANSWER", answer));
        assertThat(deliveries.isEmpty()).isTrue();

        event("fwd-a", "s1", ForwarderEvent.Kind.OFFER, MediaSignal.offer(MediaSignal.Pc.SUBSCRIBE, "v=0 sub", List.of()));
        event("fwd-a", "s3", ForwarderEvent.Kind.ERROR, MediaSignal.error(MediaSignal.Pc.PUBLISH, "bad_offer", "no"));
        assertThat(deliveries.readValuesToList()).extracting(g -> g.socketIds().get(0), g -> g.event().ref())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s1", "OFFER"),
                        org.assertj.core.groups.Tuple.tuple("s3", "ERROR"));
        assertThat(counts.of(Outcome.FORWARDER_SIGNAL_DELIVERED)).isEqualTo(3);
    }

    @Test
    void shouldDeliverMediaStatsOnlyToTheSocketTheyDescribe() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 2, "alice");
        join("s2", "gw-b", 4, "bob");
        signal("s2", "gw-b", 4, SignalRequest.Kind.STATS_START, MediaSignal.empty());
        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind, ForwarderCommand::socketId)
                .endsWith(org.assertj.core.groups.Tuple.tuple(ForwarderCommand.Kind.STATS_START, "s2"));
        drain();

        MediaSignal stats = MediaSignal.stats(new dev.rendezvous.topics.model.MediaStats(900_000, false, 0.01, 20,
                List.of(new dev.rendezvous.topics.model.MediaStats.TrackStats("s1", MediaTrack.Source.CAMERA,
                        dev.rendezvous.topics.model.MediaStats.State.FORWARDING, 1, 1, 3, 640, 500_000))));
        event("fwd-a", "s2", ForwarderEvent.Kind.MEDIA_STATS, stats);

        GatewayDelivery d = deliveries.readValue();
        assertThat(d.gatewayId()).isEqualTo("gw-b");
        assertThat(d.socketIds()).containsExactly("s2");
        assertThat(d.event()).isEqualTo(RoomEvent.signal(MEETING, "MEDIA_STATS", stats));
        assertThat(deliveries.isEmpty()).as("nobody else is told").isTrue();
    }

    @Test
    void shouldDropAForwarderAnswerForASocketThatLeft() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        join("s2", "gw-a", 0, "bob");
        signal("s2", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        leave("s2", "gw-a", 0);
        drain();

        event("fwd-a", "s2", ForwarderEvent.Kind.ANSWER, MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0"));

        assertThat(deliveries.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.FORWARDER_SIGNAL_SOCKET_GONE)).isEqualTo(1);
    }

    @Test
    void shouldTellEveryMemberWhoIsSpeaking() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 2, "alice");
        join("s2", "gw-b", 4, "bob");
        join("s3", "gw-a", 2, "carol");
        signal("s1", "gw-a", 2, SignalRequest.Kind.OFFER, OFFER);
        drain();

        event("fwd-a", "s3", ForwarderEvent.Kind.ACTIVE_SPEAKER, MediaSignal.speaker("s3"));

        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(out).extracting(GatewayDelivery::gatewayId, GatewayDelivery::socketIds).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gw-a", List.of("s1", "s3")),
                org.assertj.core.groups.Tuple.tuple("gw-b", List.of("s2")));
        assertThat(out).extracting(GatewayDelivery::event).containsOnly(RoomEvent.activeSpeaker(MEETING, "s3"));
    }

    @Test
    void shouldTellEveryMemberWhenSomeoneMutesAndStillSendTheTrackUpdateToTheForwarder() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 2, "alice");
        join("s2", "gw-b", 4, "bob");
        signal("s1", "gw-a", 2, SignalRequest.Kind.OFFER, OFFER);
        drain();

        signal("s1", "gw-a", 2, SignalRequest.Kind.TRACK_UPDATE, MediaSignal.trackUpdate(List.of(
                new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true),
                new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false))));

        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind)
                .containsExactly(ForwarderCommand.Kind.TRACK_UPDATE);
        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(out).extracting(GatewayDelivery::gatewayId, GatewayDelivery::socketIds).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("gw-a", List.of("s1")),
                org.assertj.core.groups.Tuple.tuple("gw-b", List.of("s2")));
        RoomEvent e = out.get(0).event();
        assertThat(e.type()).isEqualTo(RoomEvent.Type.MEDIA_STATE);
        assertThat(e.signal().socketId()).isEqualTo("s1");
        assertThat(e.signal().tracks()).containsExactly(
                new MediaTrack(null, "s1", "p-alice", MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, true),
                new MediaTrack(null, "s1", "p-alice", MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false));
        assertThat(counts.of(Outcome.MEDIA_STATE_DELIVERED)).isEqualTo(1);

        // a track update without tracks tells nobody anything
        signal("s1", "gw-a", 2, SignalRequest.Kind.TRACK_UPDATE, MediaSignal.empty());
        assertThat(deliveries.isEmpty()).isTrue();
    }

    @Test
    void shouldCountStatusEventsWithoutDeliveringThem() {
        report("fwd-a", 100, 0);
        join("s1", "gw-a", 0, "alice");
        signal("s1", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        drain();

        event("fwd-a", "s1", ForwarderEvent.Kind.CONNECTED, null);
        event("fwd-a", "s1", ForwarderEvent.Kind.TRACK_ADDED, MediaSignal.empty());
        event("fwd-a", "s1", ForwarderEvent.Kind.TRACK_REMOVED, MediaSignal.empty());
        event("fwd-a", "s1", ForwarderEvent.Kind.CANDIDATE, MediaSignal.empty());
        event("fwd-a", "s1", ForwarderEvent.Kind.DISCONNECTED, null);

        assertThat(deliveries.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.FORWARDER_CONNECTED)).isEqualTo(1);
        assertThat(counts.of(Outcome.FORWARDER_TRACK_CHANGED)).isEqualTo(2);
        assertThat(counts.of(Outcome.FORWARDER_CANDIDATE)).isEqualTo(1);
        assertThat(counts.of(Outcome.FORWARDER_DISCONNECTED)).isEqualTo(1);
    }

    @Test
    void shouldIgnoreEventsFromAForwarderThatIsNotTheRoomsPrimary() {
        join("s1", "gw-a", 0, "alice");
        event("fwd-a", "s1", ForwarderEvent.Kind.ANSWER, MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0"));   // not placed yet
        report("fwd-a", 100, 0);
        signal("s1", "gw-a", 0, SignalRequest.Kind.OFFER, OFFER);
        drain();

        event("fwd-rogue", "s1", ForwarderEvent.Kind.ANSWER, MediaSignal.answer(MediaSignal.Pc.PUBLISH, "v=0"));
        event("fwd-rogue", "s1", ForwarderEvent.Kind.ACTIVE_SPEAKER, MediaSignal.speaker("s1"));

        assertThat(deliveries.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.FORWARDER_EVENT_NOT_PRIMARY)).isEqualTo(3);
    }

    @Test
    void shouldCountMalformedSignalsAndEvents() {
        join("s1", "gw-a", 0, "alice");
        signals.pipeInput(MEETING, new SignalRequest(MEETING, "s1", "gw-a", 0, "p-alice", null, OFFER, T0), tick());
        signals.pipeInput(MEETING, new SignalRequest("other", "s1", "gw-a", 0, "p-alice", SignalRequest.Kind.OFFER, OFFER, T0), tick());
        events.pipeInput(MEETING, new ForwarderEvent(null, MEETING, "s1", ForwarderEvent.Kind.ANSWER, null, T0), tick());
        assertThat(counts.of(Outcome.MALFORMED)).isEqualTo(3);
        assertThat(commands.isEmpty()).isTrue();
    }

    // ------------------------------------------------------------------------------- topology

    @Test
    void shouldNameTheNewSourcesSinksAndStores() {
        String description = RoomTopology.build(new StreamsBuilder(), RoomTopologyConfig.defaults()).build()
                .describe().toString();
        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(description).contains("signal-requests-source", "forwarder-events-source", "forwarder-metrics-source",
                "forwarder-commands-sink", "placements-sink", RoomTopology.PLACEMENTS_STORE,
                RoomTopology.FORWARDER_METRICS_STORE);
    }

    // ======================================================================================= harness

    private <V> TestInputTopic<String, V> input(dev.rendezvous.topics.TopicSpec<V> t) {
        return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(dev.rendezvous.topics.TopicSpec<V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    private Instant tick() {
        Instant t = now;
        now = now.plusSeconds(1);
        return t;
    }

    private void report(String forwarderId, int capacity, int participants) {
        reportAt(forwarderId, capacity, participants, now);
    }

    private void reportAt(String forwarderId, int capacity, int participants, Instant at) {
        metrics.pipeInput(forwarderId, new ForwarderMetrics(forwarderId, "local", at, capacity, 0, participants,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0), at);
    }

    private void join(String socket, String gateway, int partition, String name) {
        memberRequests.pipeInput(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, socket, gateway, partition,
                "p-" + name, name, Role.USER, T0), tick());
    }

    private void leave(String socket, String gateway, int partition) {
        memberRequests.pipeInput(MEETING, new MemberRequest(MemberRequest.Action.LEAVE, MEETING, socket, gateway, partition,
                null, null, null, T0), tick());
    }

    private void signal(String socket, String gateway, int partition, SignalRequest.Kind kind, MediaSignal s) {
        signals.pipeInput(MEETING, new SignalRequest(MEETING, socket, gateway, partition, "p-" + socket, kind, s, T0), tick());
    }

    private void event(String forwarder, String socket, ForwarderEvent.Kind kind, MediaSignal s) {
        events.pipeInput(MEETING, new ForwarderEvent(forwarder, MEETING, socket, kind, s, T0), tick());
    }

    private void drain() {
        deliveries.readRecordsToList();
        commands.readRecordsToList();
        placements.readRecordsToList();
    }

    private KeyValueStore<String, RoomPlacement> placementStore() {
        return driver.getKeyValueStore(RoomTopology.PLACEMENTS_STORE);
    }
}
