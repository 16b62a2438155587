package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rendezvous.streams.config.RoomStreamsSettings;
import dev.rendezvous.streams.config.StreamsProperties;
import dev.rendezvous.streams.placement.PlacementPolicy;
import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.streams.room.RoomTopologyTest.Counts;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsKind;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderMetrics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostActionRequest.Action;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import dev.rendezvous.topics.model.MeetingEnded;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Reaction;
import dev.rendezvous.topics.model.RecordingControl;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.SignalRequest;
import dev.rendezvous.topics.serde.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
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
 * Host controls through the room processor: who may do what (every action by every kind of actor), hand-over of the
 * host rights, the lobby, lock, remove, mute, end, hands and reactions, and replays of decided requests.
 */
class HostActionsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final String GW = "gw-a";
    private static final int PART = 1;
    private static final String FWD = "fwd-1";

    @TempDir
    Path stateDir;

    private final Counts counts = new Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, MemberRequest> members;
    private TestInputTopic<String, HostActionRequest> hostRequests;
    private TestInputTopic<String, SignalRequest> signals;
    private TestInputTopic<String, ChatRequest> chats;
    private TestInputTopic<String, ForwarderMetrics> metrics;
    private TestOutputTopic<String, GatewayDelivery> deliveries;
    private TestOutputTopic<String, ForwarderCommand> commands;
    private TestOutputTopic<String, MeetingEnded> ended;
    private TestOutputTopic<String, RecordingControl> recordingControls;
    private Instant now = T0;
    private String meeting = UUID.randomUUID().toString();

    /** The sweep's defaults but a time budget no test machine runs out of (a slice then stops at its batch only). */
    private static final ControlSweep.Settings SWEEP = new ControlSweep.Settings(ControlSweep.Settings.DEFAULT_RETENTION,
            200, Duration.ofSeconds(10), Duration.ofMinutes(10), null);

    @BeforeEach
    void start() {
        start(SWEEP);
    }

    private void start(ControlSweep.Settings sweep) {
        Topology topology = RoomTopology.build(new StreamsBuilder(), RoomTopologyConfig.defaults().withMetrics(counts)
                .withPlacement(PlacementPolicy.defaults()).withControlSweep(sweep)).build();
        Properties props = RoomStreamsSettings.properties(new KafkaConnectionProperties("unused:9092", 1),
                new StreamsProperties("host-actions-topology-test", stateDir, Duration.ofMillis(100), 1), counts);
        driver = new TopologyTestDriver(topology, props, T0);
        members = input(Topics.MEMBER_REQUESTED);
        hostRequests = input(Topics.HOST_REQUESTED);
        signals = input(Topics.SIGNAL_REQUESTED);
        chats = input(Topics.CHAT_REQUESTED);
        metrics = input(Topics.FORWARDER_METRICS);
        deliveries = output(Topics.GATEWAY_DELIVERIES);
        commands = output(Topics.FORWARDER_COMMANDS);
        ended = output(Topics.MEETING_ENDED);
        recordingControls = output(Topics.RECORDING_CONTROL);
        metrics.pipeInput(FWD, new ForwarderMetrics(FWD, "local", T0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), T0);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    // ------------------------------------------------------------------------------ authorisation matrix

    /** Who acts. */
    enum Actor {
        HOST, COHOST, USER, GUEST, REMOVED, WAITING, NEVER_JOINED, REST_OWNER, REST_COHOST, REST_STRANGER
    }

    /**
     * The room every matrix case starts from: the owner "host" (socket h), co-hosts "co" (c) and "co2" (c2), users
     * "u" (u) and "t" (t, the target, hand raised), guest "guest:g" (g); "r" was removed (its socket r is out); the
     * lobby is on and "w" waits (socket w).
     */
    private void matrixRoom() {
        meeting = UUID.randomUUID().toString();
        join("h", "host", Role.HOST);
        join("c", "co", Role.USER);
        join("c2", "co2", Role.USER);
        join("u", "u", Role.USER);
        join("t", "t", Role.USER);
        join("g", "guest:g", Role.GUEST);
        join("r", "r", Role.USER);
        assertApplied(ws("h", "host", Action.PROMOTE, "co"));
        assertApplied(ws("h", "host", Action.PROMOTE, "co2"));
        assertApplied(ws("h", "host", Action.REMOVE, "r"));
        assertApplied(ws("t", "t", Action.RAISE_HAND, null));
        assertApplied(ws("h", "host", Action.LOBBY_ON, null));
        join("w", "w", Role.USER);
        drain();
    }

    private HostActionRequest request(Actor who, Action a) {
        String target = switch (a) {
            case ADMIT, DENY -> "w";
            case REMOVE, MUTE, PROMOTE, LOWER_HAND -> "t";
            case DEMOTE -> "co2";
            default -> null;
        };
        HostActionRequest.Mute mute = a == Action.MUTE || a == Action.MUTE_ALL ? new HostActionRequest.Mute(true, true, true) : null;
        Reaction reaction = a == Action.REACT ? Reaction.CLAP : null;
        return switch (who) {
            case HOST -> ws("h", "host", a, target, mute, reaction);
            case COHOST -> ws("c", "co", a, target, mute, reaction);
            case USER -> ws("u", "u", a, target, mute, reaction);
            case GUEST -> ws("g", "guest:g", a, target, mute, reaction);
            case REMOVED -> ws("r", "r", a, target, mute, reaction);
            case WAITING -> ws("w", "w", a, target, mute, reaction);
            case NEVER_JOINED -> ws("x", "x", a, target, mute, reaction);
            case REST_OWNER -> rest("host", true, a, target, mute);
            case REST_COHOST -> rest("co", false, a, target, mute);
            case REST_STRANGER -> rest("stranger", false, a, target, mute);
        };
    }

    private static boolean allowed(Actor who, Action a) {
        boolean anyMember = a == Action.LIST || a == Action.RAISE_HAND || a == Action.REACT;
        boolean needsSocket = a == Action.RAISE_HAND || a == Action.REACT;
        return switch (who) {
            case HOST -> true;
            case REST_OWNER -> !needsSocket;
            case COHOST -> true;
            case REST_COHOST -> !needsSocket;
            case USER, GUEST -> anyMember;
            case REMOVED, WAITING, NEVER_JOINED, REST_STRANGER -> false;
        };
    }

    @Test
    void shouldAllowEachActionOnlyToTheRolesThatMayDoItAndChangeNothingOnARefusal() {
        List<Action> actions = List.of(Action.values()).stream()
                .filter(a -> a != Action.RECORD_START && a != Action.RECORD_STOP).toList();
        List<String> failures = new ArrayList<>();
        for (Actor who : Actor.values()) {
            for (Action a : actions) {
                matrixRoom();
                String roomBefore = json(roomStore().get(meeting));
                String controlBefore = controlWithoutRecent();
                HostEvent result = act(request(who, a));
                List<GatewayDelivery> effects = others;
                List<ForwarderCommand> cmds = commands.readValuesToList();
                boolean applied = result.outcome() == HostEvent.Outcome.APPLIED;
                if (applied != allowed(who, a)) {
                    failures.add(who + " " + a + " → " + result.outcome() + " " + result.error());
                    continue;
                }
                if (!applied) {
                    if (result.outcome() != HostEvent.Outcome.FORBIDDEN) {
                        failures.add(who + " " + a + " refused as " + result.outcome() + ", not FORBIDDEN");
                    }
                    if (!effects.isEmpty() || !cmds.isEmpty() || !ended.isEmpty()
                            || !roomBefore.equals(json(roomStore().get(meeting)))
                            || !controlBefore.equals(controlWithoutRecent())) {
                        failures.add(who + " " + a + " was refused but changed something: " + effects);
                    }
                } else if (a != Action.LIST && effects.isEmpty() && cmds.isEmpty()
                        && controlBefore.equals(controlWithoutRecent())) {
                    failures.add(who + " " + a + " was applied but had no effect");
                }
                ended.readValuesToList();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(counts.of(Outcome.HOST_REFUSED)).isPositive();
    }

    // ------------------------------------------------------------------------------ recording

    @Test
    void shouldStartARecordingOnTheRoomsForwarderTellEveryoneAndRefuseASecondStart() {
        matrixRoom();
        drain();
        assertThat(act(request(Actor.USER, Action.RECORD_START)).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(act(request(Actor.GUEST, Action.RECORD_START)).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(recordingControls.readValuesToList()).isEmpty();

        HostActionRequest start = ws("c", "co", Action.RECORD_START, null);   // a co-host may
        assertApplied(start);
        String id = RecordingControl.recordingIdFor(meeting, start.requestId());
        assertThat(recordingControls.readKeyValuesToList()).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo(meeting);
            assertThat(kv.value.action()).isEqualTo(RecordingControl.Action.START);
            assertThat(kv.value.recordingId()).isEqualTo(id);
            assertThat(kv.value.forwarderId()).isEqualTo(FWD);
            assertThat(kv.value.meetingId()).isEqualTo(meeting);
        });
        // everyone in the room (not the lobby) learns it from a room-state carrying the recording
        List<String> told = others.stream().filter(d -> d.event().type() == RoomEvent.Type.ROOM_STATE)
                .filter(d -> d.event().host().state().recording() != null
                        && d.event().host().state().recording().recordingId().equals(id))
                .flatMap(d -> d.socketIds().stream()).toList();
        assertThat(told).containsExactlyInAnyOrder("h", "c", "c2", "u", "t", "g");
        assertThat(control().recording.by()).isEqualTo("co");

        HostEvent again = act(ws("h", "host", Action.RECORD_START, null));
        assertThat(again.outcome()).isEqualTo(HostEvent.Outcome.CONFLICT);
        assertThat(again.error()).isEqualTo("already_recording");
        // a replay of the applied start repeats the answer and sends nothing to the forwarder
        assertThat(act(start).outcome()).isEqualTo(HostEvent.Outcome.APPLIED);
        assertThat(recordingControls.readValuesToList()).isEmpty();
    }

    @Test
    void shouldRecordAppliedHostActionsAndRecordingsAsAnalyticsButNotRefusalsHandsOrReplays() {
        TestOutputTopic<String, AnalyticsEvent> analytics = output(Topics.ANALYTICS_EVENTS);
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        join("b", "bob", Role.USER);
        analytics.readValuesToList();

        HostActionRequest promote = ws("h", "host", Action.PROMOTE, "alice");
        assertApplied(promote);
        assertThat(act(ws("b", "bob", Action.DEMOTE, "alice")).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertApplied(ws("a", "alice", Action.RAISE_HAND, null));
        HostActionRequest start = ws("a", "alice", Action.RECORD_START, null);
        assertApplied(start);
        assertApplied(ws("h", "host", Action.RECORD_STOP, null));
        hostRequests.pipeInput(meeting, promote, tick());   // a replayed request: its answer again, no event

        String rec = RecordingControl.recordingIdFor(meeting, start.requestId());
        List<AnalyticsEvent> events = analytics.readValuesToList();
        assertThat(events).extracting(AnalyticsEvent::kind).containsExactly(AnalyticsKind.HOST_ACTION,
                AnalyticsKind.RECORDING_STARTED, AnalyticsKind.HOST_ACTION, AnalyticsKind.RECORDING_STOPPED,
                AnalyticsKind.HOST_ACTION);
        assertThat(events).filteredOn(AnalyticsEvent.HostAction.class::isInstance)
                .extracting(e -> ((AnalyticsEvent.HostAction) e).action(), e -> ((AnalyticsEvent.HostAction) e).actorParticipantId())
                .containsExactly(tuple(Action.PROMOTE, "host"), tuple(Action.RECORD_START, "alice"),
                        tuple(Action.RECORD_STOP, "host"));
        assertThat(((AnalyticsEvent.HostAction) events.get(0)).target()).isEqualTo("alice");
        assertThat(events.get(1)).isEqualTo(AnalyticsEvent.RecordingStarted.of(meeting, events.get(1).at(), rec, FWD));
        assertThat(events.get(3)).isEqualTo(AnalyticsEvent.RecordingStopped.of(meeting, events.get(3).at(), rec, FWD));
        assertThat(events).extracting(AnalyticsEvent::meetingId).containsOnly(meeting);
    }

    @Test
    void shouldTellAJoinerAboutTheRunningRecordingInItsJoined() {
        matrixRoom();
        assertApplied(rest("host", true, Action.RECORD_START, null, null));
        drain();
        members.pipeInput(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, "late", GW, PART, "late",
                "Late", Role.USER, T0, null, false), tick());
        GatewayDelivery joined = deliveries.readValuesToList().stream()
                .filter(d -> d.event().type() == RoomEvent.Type.JOINED && d.socketIds().contains("late"))
                .findFirst().orElseThrow();
        assertThat(joined.event().host().state().recording()).isNotNull();
    }

    @Test
    void shouldStopOnRequestOnTheMeetingsEndAndWhenTheRoomEmpties() {
        matrixRoom();
        HostActionRequest start = ws("h", "host", Action.RECORD_START, null);
        assertApplied(start);
        String id = RecordingControl.recordingIdFor(meeting, start.requestId());
        recordingControls.readValuesToList();

        HostActionRequest wrong = ws("h", "host", Action.RECORD_STOP, null);
        wrong = new HostActionRequest(wrong.requestId(), meeting, Action.RECORD_STOP, "host", "h", GW, PART, "h", false,
                null, null, null, "rec-other", T0);
        assertThat(act(wrong).outcome()).isEqualTo(HostEvent.Outcome.NOT_FOUND);
        assertApplied(ws("c", "co", Action.RECORD_STOP, null));
        assertThat(recordingControls.readValuesToList()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(RecordingControl.Action.STOP);
            assertThat(c.recordingId()).isEqualTo(id);
            assertThat(c.forwarderId()).isEqualTo(FWD);
        });
        assertThat(others).filteredOn(d -> d.event().type() == RoomEvent.Type.ROOM_STATE)
                .allSatisfy(d -> assertThat(d.event().host().state().recording()).isNull())
                .isNotEmpty();
        assertThat(act(ws("h", "host", Action.RECORD_STOP, null)).error()).isEqualTo("not_recording");

        // the end of the meeting stops it
        assertApplied(ws("h", "host", Action.RECORD_START, null));
        recordingControls.readValuesToList();
        assertApplied(ws("h", "host", Action.END, null));
        assertThat(recordingControls.readValuesToList()).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(RecordingControl.Action.STOP));

        // the last one out stops it too
        meeting = UUID.randomUUID().toString();
        join("a", "alice", Role.HOST);
        join("b", "bob", Role.USER);
        assertApplied(ws("a", "alice", Action.RECORD_START, null));
        recordingControls.readValuesToList();
        leave("a");
        assertThat(recordingControls.readValuesToList()).isEmpty();
        leave("b");
        assertThat(recordingControls.readValuesToList()).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo(RecordingControl.Action.STOP));
        assertThat(control().recording).isNull();
    }

    @Test
    void shouldRefuseToRecordARoomNobodyIsIn() {
        HostEvent r = act(rest("host", true, Action.RECORD_START, null, null));
        assertThat(r.outcome()).isEqualTo(HostEvent.Outcome.CONFLICT);
        assertThat(r.error()).isEqualTo("nothing_to_record");
        assertThat(recordingControls.readValuesToList()).isEmpty();
    }

    @Test
    void shouldAnswerNotFoundAndConflictForTargetsNotInThatState() {
        matrixRoom();
        assertThat(act(ws("h", "host", Action.REMOVE, "nobody")).outcome()).isEqualTo(HostEvent.Outcome.NOT_FOUND);
        assertThat(act(ws("h", "host", Action.MUTE, "nobody")).outcome()).isEqualTo(HostEvent.Outcome.NOT_FOUND);
        HostEvent admitIn = act(ws("h", "host", Action.ADMIT, "u"));
        assertThat(admitIn.outcome()).isEqualTo(HostEvent.Outcome.CONFLICT);
        assertThat(admitIn.error()).isEqualTo("not_waiting");
        assertThat(act(ws("h", "host", Action.DENY, "u")).error()).isEqualTo("not_waiting");
        assertThat(act(ws("h", "host", Action.PROMOTE, "co")).error()).isEqualTo("already_cohost");
        assertThat(act(ws("h", "host", Action.PROMOTE, "guest:g")).error()).isEqualTo("guest_cannot_be_cohost");
        assertThat(act(ws("h", "host", Action.DEMOTE, "u")).error()).isEqualTo("not_cohost");
        assertThat(act(ws("h", "host", Action.REMOVE, "host")).error()).isEqualTo("cannot_remove_yourself");
        HostEvent cohostOnHost = act(ws("c", "co", Action.REMOVE, "host"));
        assertThat(cohostOnHost.outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(roles()).containsEntry("host", Role.HOST);
        assertThat(act(ws("h", "host", Action.REMOVE, null)).outcome()).isEqualTo(HostEvent.Outcome.INVALID);
    }

    @Test
    void shouldListEveryoneInAndWaitingWithTheirRoles() {
        matrixRoom();
        HostEvent r = act(rest("co", false, Action.LIST, null, null));
        assertThat(r.people()).extracting(HostEvent.Person::participantId, HostEvent.Person::role, HostEvent.Person::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("host", Role.HOST, HostEvent.State.IN),
                        org.assertj.core.groups.Tuple.tuple("co", Role.COHOST, HostEvent.State.IN),
                        org.assertj.core.groups.Tuple.tuple("co2", Role.COHOST, HostEvent.State.IN),
                        org.assertj.core.groups.Tuple.tuple("u", Role.USER, HostEvent.State.IN),
                        org.assertj.core.groups.Tuple.tuple("t", Role.USER, HostEvent.State.IN),
                        org.assertj.core.groups.Tuple.tuple("guest:g", Role.GUEST, HostEvent.State.IN),
                        org.assertj.core.groups.Tuple.tuple("w", Role.USER, HostEvent.State.LOBBY));
    }

    @Test
    void shouldTellTheRequesterOfAListTheirOwnRightsAlsoAfterLeavingAndAfterTheEnd() {
        matrixRoom();
        assertThat(act(rest("co", false, Action.LIST, null, null)).role()).isEqualTo(Role.COHOST);
        assertThat(act(rest("host", true, Action.LIST, null, null)).role()).isEqualTo(Role.HOST);
        assertThat(act(rest("u", false, Action.LIST, null, null)).role()).as("a participant has none").isEqualTo(Role.USER);
        assertThat(act(ws("g", "guest:g", Action.LIST, null)).role()).isEqualTo(Role.USER);
        assertApplied(ws("c", "co", Action.DEMOTE, "co2"));   // a co-host takes another's rights (the contract)
        assertThat(act(rest("co2", false, Action.LIST, null, null)).role()).as("demoted: none").isEqualTo(Role.USER);
        assertApplied(ws("h", "host", Action.PROMOTE, "t"));
        assertApplied(ws("h", "host", Action.REMOVE, "t"));
        assertThat(act(rest("t", false, Action.LIST, null, null)).outcome()).as("a removed co-host has no rights")
                .isEqualTo(HostEvent.Outcome.FORBIDDEN);

        leave("c");
        HostEvent left = act(rest("co", false, Action.LIST, null, null));
        assertThat(left.outcome()).isEqualTo(HostEvent.Outcome.APPLIED);
        assertThat(left.role()).as("a co-host who left keeps the rights").isEqualTo(Role.COHOST);
        assertThat(left.people()).extracting(HostEvent.Person::participantId).doesNotContain("co");

        assertApplied(ws("h", "host", Action.END, null));
        HostEvent ended = act(rest("co", false, Action.LIST, null, null));
        assertThat(ended.outcome()).isEqualTo(HostEvent.Outcome.APPLIED);
        assertThat(ended.people()).isEmpty();
        assertThat(ended.role()).as("and after the end").isEqualTo(Role.COHOST);
        assertThat(act(rest("u", false, Action.LIST, null, null)).outcome()).as("a participant, after the end")
                .isEqualTo(HostEvent.Outcome.FORBIDDEN);

    }

    @Test
    void shouldForgetTheControlOfARoomIdlePastTheRetentionButKeepAnOccupiedOnesAndListsShouldNotKeepIt() {
        String occupied = meeting;
        join("h", "host", Role.HOST);
        join("c", "co", Role.USER);
        assertApplied(ws("h", "host", Action.PROMOTE, "co"));
        meeting = UUID.randomUUID().toString();
        String ended = meeting;
        join("h2", "host", Role.HOST);
        join("c2", "co", Role.USER);
        assertApplied(ws("h2", "host", Action.PROMOTE, "co"));
        assertApplied(ws("h2", "host", Action.END, null));
        drain();
        Duration retention = SWEEP.retention();

        meeting = UUID.randomUUID().toString();
        String waiting = meeting;   // nobody in, but someone in the lobby
        join("h3", "host", Role.HOST);
        assertApplied(ws("h3", "host", Action.LOBBY_ON, null));
        join("w3", "w", Role.USER);
        leave("h3");
        drain();
        meeting = UUID.randomUUID().toString();
        String idle = meeting;   // not ended, nobody in
        join("h4", "host", Role.HOST);
        join("r4", "r", Role.USER);
        assertApplied(ws("h4", "host", Action.REMOVE, "r"));
        leave("h4");
        drain();
        meeting = ended;

        driver.advanceWallClockTime(retention.minusHours(1));
        // a LIST just before the retention runs out (its record's time too) reads the record and changes nothing
        KeyValueStore<String, RoomControl> controls = driver.getKeyValueStore(RoomTopology.CONTROL_STORE);
        long touched = controls.get(ended).touchedAt;
        now = T0.plus(retention).minus(Duration.ofHours(1));
        assertThat(act(rest("co", false, Action.LIST, null, null)).role()).isEqualTo(Role.COHOST);
        assertThat(controls.get(ended)).as("within the retention").isNotNull();
        assertThat(controls.get(ended).touchedAt).as("a LIST does not keep it").isEqualTo(touched);
        assertThat(act(rest("co", false, Action.LOCK, null, null)).error()).isEqualTo("meeting_ended");
        assertThat(controls.get(ended).touchedAt).as("nor does a refusal after the end").isEqualTo(touched);
        meeting = idle;
        long idleTouched = controls.get(idle).touchedAt;
        assertThat(act(rest("stranger", false, Action.LOCK, null, null)).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(controls.get(idle).touchedAt).as("nor a stranger's refused request").isEqualTo(idleTouched);
        join("r5", "r", Role.USER);   // removed: refused
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.event().type() == RoomEvent.Type.REJECTED).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("removed"));
        assertThat(controls.get(idle).touchedAt).as("nor a refused JOIN").isEqualTo(idleTouched);
        meeting = ended;

        driver.advanceWallClockTime(Duration.ofHours(2));
        walkAll();
        assertThat(controls.get(ended)).as("idle past the retention").isNull();
        assertThat(controls.get(occupied)).as("people are in it").isNotNull();
        assertThat(controls.get(waiting)).as("someone waits in its lobby").isNotNull();
        assertThat(controls.get(idle)).as("idle past the retention, a refusal notwithstanding").isNull();
        assertThat(counts.of(RoomMetrics.Outcome.ROOM_CONTROL_FORGOTTEN)).isEqualTo(2);
        assertThat(act(rest("co", false, Action.LIST, null, null)).outcome())
                .as("a forgotten room's co-host has no rights left").isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(controls.get(ended)).as("a refused LIST creates no record").isNull();
        assertThat(act(rest("co", false, Action.LOCK, null, null)).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(controls.get(ended).touchedAt).as("a refusal is remembered for a replay, in a record already old")
                .isEqualTo(1);
        walkAll();
        assertThat(controls.get(ended)).as("which the next walk forgets").isNull();

        meeting = occupied;
        assertThat(act(rest("co", false, Action.LIST, null, null)).role()).isEqualTo(Role.COHOST);
    }

    @Test
    void shouldKeepARecordFromBeforeTouchedAtOneRetentionFromWhenTheSweepFirstSawIt() {
        join("h", "host", Role.HOST);
        leave("h");
        KeyValueStore<String, RoomControl> controls = driver.getKeyValueStore(RoomTopology.CONTROL_STORE);
        RoomControl legacy = controls.get(meeting);
        legacy.touchedAt = 0;   // as stored by the previous version
        controls.put(meeting, legacy);
        Duration retention = SWEEP.retention();

        driver.advanceWallClockTime(retention.plusDays(1));
        walkAll();
        assertThat(controls.get(meeting)).as("stamped, not forgotten").isNotNull();
        long stamped = controls.get(meeting).touchedAt;
        assertThat(stamped).as("the time of the walk that saw it").isGreaterThanOrEqualTo(
                T0.plus(retention.plusDays(1)).toEpochMilli());
        driver.advanceWallClockTime(retention.minusHours(1));
        walkAll();
        assertThat(controls.get(meeting)).as("not before one retention").isNotNull();
        driver.advanceWallClockTime(Duration.ofHours(1));
        walkAll();
        assertThat(controls.get(meeting)).as("one retention after it was stamped").isNull();
    }

    @Test
    void shouldWalkTheWholeStoreInSlicesWhereverAWalkStartsAndRestAfterAWholeWalk() {
        // random (as in production), before every key, after every key, between two keys, on a key
        List<String> starts = java.util.Arrays.asList(null, "", "~", "35", "40000000-0000-4000-8000-000000000000");
        for (int run = 0; run < starts.size(); run++) {
            driver.close();
            start(new ControlSweep.Settings(SWEEP.retention(), 2, SWEEP.budget(), SWEEP.rest(), starts.get(run)));
            int forgottenBefore = counts.of(RoomMetrics.Outcome.ROOM_CONTROL_FORGOTTEN);
            List<String> rooms = new ArrayList<>();
            for (int k = 1; k <= 7; k++) {
                meeting = String.format("%d0000000-0000-4000-8000-%012d", k, run);
                rooms.add(meeting);
                join("h" + k, "host", Role.HOST);
                leave("h" + k);
            }
            drain();
            KeyValueStore<String, RoomControl> controls = driver.getKeyValueStore(RoomTopology.CONTROL_STORE);
            String as = "walk from " + starts.get(run);

            driver.advanceWallClockTime(SWEEP.retention().plusHours(1));   // the first slice: two records at most
            assertThat(rooms.stream().filter(r -> controls.get(r) != null).count()).as(as).isGreaterThanOrEqualTo(5);
            // 7 records, 2 a slice, a walk split in two at its start: 5 slices read them all and end the walk
            for (int i = 0; i < 4; i++) {
                driver.advanceWallClockTime(ControlSweep.INTERVAL);
            }
            assertThat(rooms).as(as).allSatisfy(r -> assertThat(controls.get(r)).as(r).isNull());
            assertThat(counts.of(RoomMetrics.Outcome.ROOM_CONTROL_FORGOTTEN) - forgottenBefore).as(as).isEqualTo(7);

            meeting = UUID.randomUUID().toString();   // idle past the retention at once (its record's time is T0)
            join("hx", "host", Role.HOST);
            leave("hx");
            for (int i = 0; i < 3; i++) {
                driver.advanceWallClockTime(ControlSweep.INTERVAL);
            }
            assertThat(controls.get(meeting)).as(as + ": the sweep rests after a whole walk").isNotNull();
            driver.advanceWallClockTime(SWEEP.rest());
            driver.advanceWallClockTime(ControlSweep.INTERVAL);   // a walk of one record: two slices
            assertThat(controls.get(meeting)).as(as + ": the next walk").isNull();
        }
    }

    @Test
    void shouldMakeTheStandInHostACohostAtTheEndAsWhenTheCreatorReturns() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        join("b", "bob", Role.USER);
        leave("h");   // no co-host: the rights pass to the longest-present registered participant
        assertThat(roles()).containsEntry("alice", Role.HOST);
        assertApplied(ws("a", "alice", Action.END, null));

        assertThat(control().hostId).as("nobody holds the host's seat after the end").isNull();
        assertThat(act(rest("alice", false, Action.LIST, null, null)).role()).as("the stand-in, after the end")
                .isEqualTo(Role.COHOST);
        assertThat(act(rest("bob", false, Action.LIST, null, null)).outcome()).as("a participant, after the end")
                .isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(act(rest("host", true, Action.LIST, null, null)).role()).as("the creator").isEqualTo(Role.HOST);
    }

    // ------------------------------------------------------------------------------ roles and hand-over

    @Test
    void shouldPassHostRightsToACohostThenToTheLongestPresentRegisteredParticipantAndBackToTheOwner() {
        join("g", "guest:g", Role.GUEST);      // present longest, but a guest
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        join("b", "bob", Role.USER);
        join("c", "carol", Role.USER);
        assertThat(roles()).containsEntry("host", Role.HOST).containsEntry("alice", Role.USER);
        assertApplied(ws("h", "host", Action.PROMOTE, "bob"));
        drain();

        leave("h");
        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(roleChanges(out)).containsExactly("bob:HOST:HOST_LEFT");
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.ROLE_CHANGED).singleElement()
                .satisfies(d -> assertThat(d.socketIds()).containsExactly("g", "a", "b", "c"));
        assertThat(roles()).containsEntry("bob", Role.HOST).containsEntry("alice", Role.USER);
        assertThat(roles().values().stream().filter(r -> r == Role.HOST)).hasSize(1);

        leave("b");   // no co-host left: the longest-present registered participant, not the guest
        assertThat(roleChanges(deliveries.readValuesToList())).containsExactly("alice:HOST:HOST_LEFT");
        assertThat(roles()).containsEntry("alice", Role.HOST).containsEntry("guest:g", Role.GUEST);

        join("h2", "host", Role.HOST);   // the owner comes back: host again; the stand-in becomes co-host
        List<GatewayDelivery> back = deliveries.readValuesToList();
        assertThat(roleChanges(back)).containsExactly("alice:COHOST:OWNER_RETURNED");
        GatewayDelivery joined = back.stream().filter(d -> d.event().type() == RoomEvent.Type.JOINED).findFirst().orElseThrow();
        assertThat(joined.event().participant().role()).isEqualTo(Role.HOST);
        assertThat(joined.event().host().state().hostParticipantId()).isEqualTo("host");
        assertThat(joined.event().host().state().cohosts()).containsExactly("alice");
        assertThat(roles()).containsEntry("host", Role.HOST).containsEntry("alice", Role.COHOST);

        leave("h2");
        leave("a");
        leave("c");
        assertThat(control().hostId).as("only a guest left: nobody has host rights").isNull();
    }

    @Test
    void shouldGiveNobodyHostRightsBeforeTheOwnerFirstComes() {
        join("a", "alice", Role.USER);
        join("b", "bob", Role.USER);
        assertThat(roles()).containsEntry("alice", Role.USER).containsEntry("bob", Role.USER);
        assertThat(act(ws("a", "alice", Action.REMOVE, "bob")).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        // the owner may act through REST without being in the room
        assertApplied(rest("host", true, Action.PROMOTE, "alice", null));
        assertThat(roles()).containsEntry("alice", Role.COHOST);
    }

    // ------------------------------------------------------------------------------ lobby and lock

    @Test
    void shouldKeepJoinersInTheLobbyInArrivalOrderUntilAdmittedOrDenied() {
        join("h", "host", Role.HOST, true);   // the stored lobby flag is on; the owner skips the lobby
        drain();
        join("a", "alice", Role.USER, true);
        join("b", "bob", Role.GUEST, true);
        join("c", "carol", Role.USER, true);
        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.LOBBY)
                .extracting(d -> d.socketIds().get(0)).containsExactly("a", "b", "c");
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.LOBBY_CHANGED)
                .allSatisfy(d -> assertThat(d.socketIds()).containsExactly("h"))
                .extracting(d -> names(d.event().host().people()))
                .containsExactly(List.of("alice"), List.of("alice", "bob"), List.of("alice", "bob", "carol"));
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h");

        chat("a", "m1");   // waiting is not being in the room
        assertThat(deliveries.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("not_in_room"));

        assertApplied(ws("h", "host", Action.ADMIT, "carol"));
        assertApplied(ws("h", "host", Action.ADMIT, "alice"));
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "c", "a");
        HostActionRequest deny = ws("h", "host", Action.DENY, "bob");
        hostRequests.pipeInput(meeting, deny, tick());
        List<GatewayDelivery> denied = deliveries.readValuesToList();
        assertThat(denied).filteredOn(d -> d.socketIds().contains("b")).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("denied"));
        assertThat(denied).filteredOn(d -> d.event().type() == RoomEvent.Type.LOBBY_CHANGED)
                .extracting(d -> d.event().host().people()).last().asList().isEmpty();
        assertThat(control().waiting).isEmpty();
    }

    @Test
    void shouldLetAnInvitedUserSkipTheLobbyButNotTheLock() {
        join("h", "host", Role.HOST, true);
        drain();
        members.pipeInput(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, "i", GW, PART, "ivy", "ivy",
                Role.USER, T0, null, true, true), tick());
        join("s", "sam", Role.USER, true);
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "i");
        assertThat(control().waiting).extracting(w -> w.member().participantId()).containsExactly("sam");

        assertApplied(ws("h", "host", Action.LOCK, null));
        drain();
        members.pipeInput(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, "j", GW, PART, "jo", "jo",
                Role.USER, T0, null, true, true), tick());
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.socketIds().contains("j")).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("meeting_locked"));
    }

    @Test
    void shouldLetEveryoneWaitingInInTheirOrderWhenTheLobbyIsTurnedOffAndDropALeaverFromTheLobby() {
        join("h", "host", Role.HOST, true);
        join("a", "alice", Role.USER, true);
        join("b", "bob", Role.USER, true);
        join("c", "carol", Role.USER, true);
        leave("b");
        drain();
        assertThat(control().waiting).extracting(w -> w.member().socketId()).containsExactly("a", "c");
        assertApplied(ws("h", "host", Action.LOBBY_OFF, null));
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "a", "c");
        join("d", "dave", Role.USER, true);   // the stored flag has not changed: the room's setting stands
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).contains("d");
    }

    @Test
    void shouldRefuseJoinersWhenTheLobbyIsFull() {
        join("h", "host", Role.HOST, true);
        for (int i = 0; i < Admission.MAX_WAITING; i++) {
            join("w" + i, "p" + i, Role.GUEST, true);
        }
        drain();
        join("late", "late", Role.GUEST, true);
        assertThat(deliveries.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("lobby_full"));
        assertThat(control().waiting).hasSize(Admission.MAX_WAITING);
    }

    @Test
    void shouldRefuseNewcomersOfALockedMeetingButNotTheHost() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        assertApplied(ws("h", "host", Action.LOCK, null));
        drain();
        join("b", "bob", Role.USER);
        assertThat(deliveries.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("meeting_locked"));
        join("h2", "host", Role.HOST);
        join("a2", "alice", Role.USER);   // alice is already in: her second tab is not new
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "a", "h2", "a2");
        assertApplied(ws("h", "host", Action.UNLOCK, null));
        join("b", "bob", Role.USER);
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).contains("b");
    }

    // ------------------------------------------------------------------------------ remove, mute, end

    @Test
    void shouldRemoveEverySocketOfTheParticipantDropTheirMediaAndRefuseThemUntilAdmittedAgain() {
        join("h", "host", Role.HOST);
        join("g1", "guest:g", Role.GUEST);
        join("g2", "guest:g", Role.GUEST);
        join("a", "alice", Role.USER);
        drain();
        HostEvent r = act(ws("h", "host", Action.REMOVE, "guest:g"));
        assertThat(r.outcome()).isEqualTo(HostEvent.Outcome.APPLIED);
        List<GatewayDelivery> out = others;
        GatewayDelivery removed = out.stream().filter(d -> d.event().type() == RoomEvent.Type.REMOVED).findFirst().orElseThrow();
        assertThat(removed.socketIds()).containsExactly("g1", "g2");
        assertThat(removed.event().host().reason()).isEqualTo(HostEvent.Reason.REMOVED_BY_HOST);
        assertThat(removed.event().host().by()).isEqualTo("host");
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.PARTICIPANT_LEFT)
                .allSatisfy(d -> assertThat(d.socketIds()).doesNotContain("g1", "g2")).hasSize(2);
        assertThat(commands.readValuesToList()).filteredOn(c -> c.kind() == ForwarderCommand.Kind.DISCONNECT)
                .extracting(ForwarderCommand::socketId).containsExactly("g1", "g2");
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "a");

        join("g3", "guest:g", Role.GUEST);   // same identity, new socket
        assertThat(deliveries.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("removed"));
        assertApplied(ws("h", "host", Action.ADMIT, "guest:g"));
        join("g4", "guest:g", Role.GUEST);
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "a", "g4");
    }

    @Test
    void shouldRefuseJoinersPastTheMeetingsCapButLetTheHostAndASecondSocketIn() {
        settingsJoin("h", "host", Role.HOST, 2, false);
        settingsJoin("a", "alice", Role.USER, 2, false);
        drain();
        settingsJoin("b", "bob", Role.USER, 2, false);
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.socketIds().contains("b")).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("room_full"));
        settingsJoin("a2", "alice", Role.USER, 2, false);   // alice's second tab: still two people
        settingsJoin("h2", "host", Role.HOST, 2, false);
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).containsExactly("h", "a", "a2", "h2");
        settingsJoin("c", "carol", Role.USER, 3, false);    // the host raised the cap
        assertThat(roomStore().get(meeting).members()).extracting(Member::socketId).contains("c");
    }

    @Test
    void shouldMuteNewcomersMicrophonesWhenTheMeetingSaysSoButNotTheHosts() {
        settingsJoin("h", "host", Role.HOST, null, true);
        settingsJoin("a", "alice", Role.USER, null, true);
        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.MUTED).singleElement().satisfies(d -> {
            assertThat(d.socketIds()).containsExactly("a");
            assertThat(d.event().host().mute().audio()).isTrue();
            assertThat(d.event().host().mute().video()).isFalse();
            assertThat(d.event().host().mute().allowUnmute()).as("they may unmute themselves").isTrue();
        });
        assertThat(control().muteLocks).doesNotContainKey("alice");
        settingsJoin("b", "bob", Role.USER, null, false);   // the setting was turned off
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.event().type() == RoomEvent.Type.MUTED).isEmpty();
    }

    private void settingsJoin(String socket, String pid, Role role, Integer max, boolean muteOnEntry) {
        members.pipeInput(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, GW, PART, pid, pid, role,
                T0, null, false, null, max, muteOnEntry), tick());
    }

    @Test
    void shouldMuteThroughTheForwarderAndKeepALockedMuteWhateverTheClientSays() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        drain();
        assertApplied(ws("h", "host", Action.MUTE, "alice", new HostActionRequest.Mute(true, false, false), null));
        assertThat(others).filteredOn(d -> d.event().type() == RoomEvent.Type.MUTED).singleElement()
                .satisfies(d -> assertThat(d.event().host().mute().allowUnmute()).isFalse());
        assertThat(commands.readValuesToList()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ForwarderCommand.Kind.TRACK_UPDATE);
            assertThat(c.socketId()).isEqualTo("a");
            assertThat(c.signal().tracks()).extracting(MediaTrack::mid, MediaTrack::source, MediaTrack::muted)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(null, MediaTrack.Source.MICROPHONE, true));
        });
        assertThat(control().muteLocks).containsKey("alice");

        signal("a", SignalRequest.Kind.TRACK_UPDATE, List.of(
                new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false)));
        ForwarderCommand update = commands.readValuesToList().stream()
                .filter(c -> c.kind() == ForwarderCommand.Kind.TRACK_UPDATE).findFirst().orElseThrow();
        assertThat(update.signal().tracks()).extracting(MediaTrack::mid, MediaTrack::muted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0", true), org.assertj.core.groups.Tuple.tuple("1", false));
        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.REJECTED).singleElement()
                .satisfies(d -> {
                    assertThat(d.event().errorCode()).isEqualTo("unmute_not_allowed");
                    assertThat(d.socketIds()).containsExactly("a");
                });
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.MEDIA_STATE)
                .as("the others are told what the forwarder does: the microphone stays muted")
                .singleElement()
                .satisfies(d -> assertThat(d.event().signal().tracks()).extracting(MediaTrack::source, MediaTrack::muted)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(MediaTrack.Source.MICROPHONE, true),
                                org.assertj.core.groups.Tuple.tuple(MediaTrack.Source.CAMERA, false)));

        assertApplied(ws("h", "host", Action.MUTE, "alice", new HostActionRequest.Mute(true, false, true), null));
        drain();
        signal("a", SignalRequest.Kind.TRACK_UPDATE, List.of(
                new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false)));
        assertThat(commands.readValuesToList()).singleElement()
                .satisfies(c -> assertThat(c.signal().tracks().get(0).muted()).as("allowed to unmute").isFalse());
    }

    @Test
    void shouldSendTheForwarderAMuteForEachSocketAndTellThePerson() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        join("g", "guest:g", Role.GUEST);
        drain();
        hostRequests.pipeInput(meeting, ws("h", "host", Action.MUTE_ALL, null, new HostActionRequest.Mute(true, true, true), null), tick());
        List<ForwarderCommand> cmds = commands.readValuesToList();
        assertThat(cmds).extracting(ForwarderCommand::socketId).containsExactly("a", "g");
        assertThat(cmds).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(ForwarderCommand.Kind.TRACK_UPDATE);
            assertThat(c.forwarderId()).isEqualTo(FWD);
            assertThat(c.signal().tracks()).extracting(MediaTrack::mid, MediaTrack::source, MediaTrack::muted)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(null, MediaTrack.Source.MICROPHONE, true),
                            org.assertj.core.groups.Tuple.tuple(null, MediaTrack.Source.CAMERA, true));
        });
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.event().type() == RoomEvent.Type.MUTED)
                .extracting(d -> d.socketIds().get(0)).containsExactly("a", "g");
    }

    @Test
    void shouldEndTheMeetingForEveryoneCloseTheRoomOnTheForwarderAndRefuseLaterJoins() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        assertApplied(ws("h", "host", Action.LOBBY_ON, null));
        join("w", "wait", Role.USER);
        drain();
        HostEvent r = act(rest("host", true, Action.END, null, null));
        assertThat(r.outcome()).isEqualTo(HostEvent.Outcome.APPLIED);
        List<GatewayDelivery> out = others;
        assertThat(out).filteredOn(d -> d.event().type() == RoomEvent.Type.MEETING_ENDED).singleElement()
                .satisfies(d -> assertThat(d.socketIds()).containsExactly("h", "a", "w"));
        assertThat(commands.readValuesToList()).extracting(ForwarderCommand::kind)
                .containsExactly(ForwarderCommand.Kind.DISCONNECT, ForwarderCommand.Kind.DISCONNECT, ForwarderCommand.Kind.CLOSE_ROOM);
        assertThat(ended.readValuesToList()).singleElement().satisfies(e -> {
            assertThat(e.meetingId()).isEqualTo(meeting);
            assertThat(e.byParticipantId()).isEqualTo("host");
            assertThat(e.endedAt()).isNotNull();
        });
        assertThat(roomStore().get(meeting)).isNull();
        join("h3", "host", Role.HOST);
        assertThat(deliveries.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.event().errorCode()).isEqualTo("meeting_ended"));
        assertThat(act(ws("h", "host", Action.LOCK, null)).error()).isEqualTo("not_joined");
        assertThat(act(rest("host", true, Action.LOCK, null, null)).error()).isEqualTo("meeting_ended");
    }

    // ------------------------------------------------------------------------------ hands and reactions

    @Test
    void shouldBroadcastHandsAndReactionsAndLetOnlyHostsLowerSomeoneElsesHand() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        join("b", "bob", Role.USER);
        drain();
        hostRequests.pipeInput(meeting, ws("a", "alice", Action.RAISE_HAND, null), tick());
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.event().type() == RoomEvent.Type.HAND).singleElement()
                .satisfies(d -> {
                    assertThat(d.socketIds()).containsExactly("h", "a", "b");
                    assertThat(d.event().host().participantId()).isEqualTo("alice");
                    assertThat(d.event().host().raised()).isTrue();
                });
        assertThat(act(ws("b", "bob", Action.LOWER_HAND, "alice")).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(control().hands).containsExactly("alice");
        hostRequests.pipeInput(meeting, ws("h", "host", Action.LOWER_HAND, "alice"), tick());
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.event().type() == RoomEvent.Type.HAND).singleElement()
                .satisfies(d -> {
                    assertThat(d.event().host().raised()).isFalse();
                    assertThat(d.event().host().by()).isEqualTo("host");
                });
        hostRequests.pipeInput(meeting, ws("b", "bob", Action.REACT, null, null, Reaction.PARTY), tick());
        assertThat(deliveries.readValuesToList()).filteredOn(d -> d.event().type() == RoomEvent.Type.REACTION).singleElement()
                .satisfies(d -> {
                    assertThat(d.socketIds()).containsExactly("h", "a", "b");
                    assertThat(d.event().host().reaction()).isEqualTo(Reaction.PARTY);
                    assertThat(d.event().host().participantId()).isEqualTo("bob");
                });
        hostRequests.pipeInput(meeting, ws("b", "bob", Action.RAISE_HAND, null), tick());
        leave("b");
        assertThat(control().hands).as("a hand goes down with its last socket").isEmpty();
    }

    // ------------------------------------------------------------------------------ replays

    @Test
    void shouldRepeatOnlyTheAnswerWhenADecidedRequestIsReplayed() {
        join("h", "host", Role.HOST);
        join("a", "alice", Role.USER);
        join("g", "guest:g", Role.GUEST);
        drain();
        HostActionRequest promote = ws("h", "host", Action.PROMOTE, "alice");
        HostActionRequest demote = ws("h", "host", Action.DEMOTE, "alice");
        HostActionRequest remove = ws("h", "host", Action.REMOVE, "guest:g");
        HostActionRequest end = rest("host", true, Action.END, null, null);
        assertApplied(promote);
        assertApplied(demote);
        assertApplied(remove);
        drain();

        // a crash replays the partition from an older offset over the saved state
        for (HostActionRequest again : List.of(promote, demote, remove)) {
            hostRequests.pipeInput(meeting, again, tick());
            List<GatewayDelivery> out = deliveries.readValuesToList();
            assertThat(out).as(again.action() + " replayed").singleElement()
                    .satisfies(d -> assertThat(d.event().type()).isEqualTo(RoomEvent.Type.HOST_RESULT));
            assertThat(out.get(0).event().host().outcome()).isEqualTo(HostEvent.Outcome.APPLIED);
        }
        assertThat(commands.isEmpty()).as("no second DISCONNECT").isTrue();
        assertThat(roles()).containsEntry("alice", Role.USER);
        assertThat(counts.of(Outcome.HOST_REPEATED)).isEqualTo(3);

        HostActionRequest refused = ws("a", "alice", Action.LOCK, null);
        assertThat(act(refused).outcome()).isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertApplied(ws("h", "host", Action.PROMOTE, "alice"));
        assertThat(act(refused).outcome()).as("a replayed refusal stays refused").isEqualTo(HostEvent.Outcome.FORBIDDEN);
        assertThat(control().locked).isFalse();

        assertApplied(end);
        drain();
        hostRequests.pipeInput(meeting, end, tick());
        assertThat(ended.isEmpty()).as("one room.meeting.ended").isTrue();
        assertThat(deliveries.readValuesToList()).singleElement()
                .satisfies(d -> assertThat(d.event().host().outcome()).isEqualTo(HostEvent.Outcome.APPLIED));
    }

    @Test
    void shouldDropMalformedHostRequests() {
        join("h", "host", Role.HOST);
        drain();
        hostRequests.pipeInput(meeting, new HostActionRequest(null, meeting, Action.LOCK, "host", "h", GW, PART, "h",
                false, null, null, null, T0), tick());
        hostRequests.pipeInput(meeting, new HostActionRequest("r1", "other", Action.LOCK, "host", "h", GW, PART, "h",
                false, null, null, null, T0), tick());
        assertThat(deliveries.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.MALFORMED)).isEqualTo(2);
        assertThat(control().locked).isFalse();
    }

    // ------------------------------------------------------------------------------ helpers

    private <V> TestInputTopic<String, V> input(TopicSpec<V> t) {
        return driver.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(TopicSpec<V> t) {
        return driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    private Instant tick() {
        Instant t = now;
        now = now.plusMillis(10);
        return t;
    }

    private void join(String socket, String pid, Role role) {
        join(socket, pid, role, null);
    }

    private void join(String socket, String pid, Role role, Boolean lobby) {
        members.pipeInput(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, GW, PART, pid, pid, role,
                T0, null, lobby), tick());
    }

    private void leave(String socket) {
        members.pipeInput(meeting, new MemberRequest(MemberRequest.Action.LEAVE, meeting, socket, GW, PART, null, null,
                null, T0), tick());
    }

    private void chat(String socket, String id) {
        chats.pipeInput(meeting, new ChatRequest(meeting, socket, GW, PART, "p", "n", id, "hi", T0), tick());
    }

    private void signal(String socket, SignalRequest.Kind kind, List<MediaTrack> tracks) {
        signals.pipeInput(meeting, new SignalRequest(meeting, socket, GW, PART, socket, kind,
                MediaSignal.trackUpdate(tracks), T0), tick());
    }

    private HostActionRequest ws(String socket, String pid, Action a, String target) {
        return ws(socket, pid, a, target, null, null);
    }

    private HostActionRequest ws(String socket, String pid, Action a, String target, HostActionRequest.Mute mute,
                                 Reaction reaction) {
        return new HostActionRequest(UUID.randomUUID().toString(), meeting, a, pid, socket, GW, PART, socket,
                false, target, mute, reaction, T0);
    }

    private HostActionRequest rest(String pid, boolean owner, Action a, String target, HostActionRequest.Mute mute) {
        String id = UUID.randomUUID().toString();
        return new HostActionRequest(id, meeting, a, pid, null, GW, PART, HostActionRequest.restReplyTo(id), owner,
                target, mute, null, T0);
    }

    /** The deliveries of the last {@link #act} other than its answer. */
    private List<GatewayDelivery> others = List.of();

    /** Pipes the request and returns its answer; the request's other deliveries are in {@link #others}. */
    private HostEvent act(HostActionRequest req) {
        hostRequests.pipeInput(meeting, req, tick());
        List<GatewayDelivery> out = deliveries.readValuesToList();
        GatewayDelivery result = out.stream()
                .filter(d -> d.event().type() == RoomEvent.Type.HOST_RESULT && d.socketIds().contains(req.replyTo()))
                .findFirst().orElseThrow(() -> new AssertionError("no answer to " + req.action() + ": " + out));
        assertThat(result.gatewayId()).isEqualTo(GW);
        assertThat(result.event().host().requestId()).isEqualTo(req.requestId());
        List<GatewayDelivery> rest = new ArrayList<>(out);
        rest.remove(result);
        others = rest;
        return result.event().host();
    }

    private void assertApplied(HostActionRequest req) {
        HostEvent r = act(req);
        assertThat(r.outcome()).as(req.action() + " " + r.error()).isEqualTo(HostEvent.Outcome.APPLIED);
    }

    private void drain() {
        deliveries.readValuesToList();
        commands.readValuesToList();
        ended.readValuesToList();
        recordingControls.readValuesToList();
    }

    /**
     * Lets the sweep end the walk it is in (two slices at most with the few records of these tests), rest, and walk
     * the whole store again: every record is read at least once after the wall-clock time this is called at.
     */
    private void walkAll() {
        driver.advanceWallClockTime(ControlSweep.INTERVAL);
        driver.advanceWallClockTime(ControlSweep.INTERVAL);
        driver.advanceWallClockTime(SWEEP.rest());
        driver.advanceWallClockTime(ControlSweep.INTERVAL);
    }

    private RoomMemberStore roomStore() {
        return RoomMemberStore.over(driver.getKeyValueStore(RoomTopology.MEMBERS_STORE),
                driver.getKeyValueStore(RoomTopology.DEPARTURES_STORE));
    }

    private RoomControl control() {
        KeyValueStore<String, RoomControl> s = driver.getKeyValueStore(RoomTopology.CONTROL_STORE);
        return s.get(meeting);
    }

    private String controlWithoutRecent() {
        RoomControl c = control();
        if (c == null) {
            return "null";
        }
        c.recent = List.of();
        c.touchedAt = 0;
        return json(c);
    }

    private static String json(Object o) {
        return Json.mapper().writeValueAsString(o);
    }

    private Map<String, Role> roles() {
        return Roles.of(roomStore().get(meeting));
    }

    private static List<String> roleChanges(List<GatewayDelivery> out) {
        return out.stream().filter(d -> d.event().type() == RoomEvent.Type.ROLE_CHANGED)
                .map(d -> d.event().host().participantId() + ":" + d.event().host().role() + ":" + d.event().host().reason())
                .toList();
    }

    private static List<String> names(List<HostEvent.Person> people) {
        return people.stream().map(HostEvent.Person::displayName).toList();
    }
}
