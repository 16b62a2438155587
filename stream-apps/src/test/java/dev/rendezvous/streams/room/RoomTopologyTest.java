package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.config.RoomStreamsSettings;
import dev.rendezvous.streams.config.StreamsProperties;
import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsKind;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomMembership;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-000000000001";
    private static final String OTHER_MEETING = "6f1c1b8e-0000-4000-8000-000000000002";

    @TempDir
    Path stateDir;

    private final Counts counts = new Counts();
    private final List<TopologyTestDriver> drivers = new ArrayList<>();
    private Harness h;

    @BeforeEach
    void start() {
        h = harness(RoomTopologyConfig.defaults());
    }

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    // ---------------------------------------------------------------------------------------- joins

    @Test
    void shouldSendJoinedToJoinerAndParticipantJoinedToOthersGroupedPerGateway() {
        h.join(MEETING, "s1", "gw-a", 2, "alice");
        h.join(MEETING, "s2", "gw-b", 4, "bob");
        h.drain();

        h.join(MEETING, "s3", "gw-a", 2, "carol");
        List<TestRecord<String, GatewayDelivery>> out = h.deliveries.readRecordsToList();

        assertThat(out).extracting(TestRecord::key).containsExactly("gw-a", "gw-a", "gw-b");
        GatewayDelivery joined = out.get(0).value();
        assertThat(joined.socketIds()).containsExactly("s3");
        assertThat(joined.partition()).isEqualTo(2);
        assertThat(joined.event().type()).isEqualTo(RoomEvent.Type.JOINED);
        assertThat(joined.event().participant().socketId()).isEqualTo("s3");
        assertThat(joined.event().participants()).extracting(Participant::socketId).containsExactly("s1", "s2", "s3");

        GatewayDelivery toA = out.get(1).value();
        assertThat(toA.event().type()).isEqualTo(RoomEvent.Type.PARTICIPANT_JOINED);
        assertThat(toA.event().participant().displayName()).isEqualTo("carol");
        assertThat(toA.socketIds()).containsExactly("s1");
        assertThat(toA.partition()).isEqualTo(2);
        GatewayDelivery toB = out.get(2).value();
        assertThat(toB.event().type()).isEqualTo(RoomEvent.Type.PARTICIPANT_JOINED);
        assertThat(toB.socketIds()).containsExactly("s2");
        assertThat(toB.partition()).isEqualTo(4);
    }

    @Test
    void shouldSendOneDeliveryPerGatewayListingAllItsRecipientSockets() {
        h.join(MEETING, "s1", "gw-a", 1, "alice");
        h.join(MEETING, "s2", "gw-a", 1, "bob");
        h.join(MEETING, "s3", "gw-b", 3, "carol");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 1, "m-1", "hello");

        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).gatewayId()).isEqualTo("gw-a");
        assertThat(out.get(0).socketIds()).containsExactly("s1", "s2");
        assertThat(out.get(1).gatewayId()).isEqualTo("gw-b");
        assertThat(out.get(1).socketIds()).containsExactly("s3");
    }

    @Test
    void shouldRouteDeliveriesThroughTheGatewayPartitioner() {
        // TopologyTestDriver presents every output topic with a single partition and TestRecord has no
        // partition: this shows the sink uses GatewayDeliveryPartitioner (deliveries naming a partition the
        // topic lacks are counted and fall back to partition 0); GatewayDeliveryPartitionerTest shows the
        // choice on a real partition count, ChatStoreIT reads the partitions of a real broker.
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        assertThat(counts.of(Outcome.DELIVERY_PARTITION_OUT_OF_RANGE)).isZero();

        h.join(MEETING, "s2", "gw-b", 5, "bob");   // JOINED to gw-b (5), PARTICIPANT_JOINED to gw-a (0)

        assertThat(counts.of(Outcome.DELIVERY_PARTITION_OUT_OF_RANGE)).isEqualTo(1);
        List<ProducerRecord<byte[], byte[]>> sent = h.producedTo(Topics.GATEWAY_DELIVERIES.name());
        assertThat(sent).extracting(r -> new String(r.key())).containsExactly("gw-a", "gw-b", "gw-a");
        assertThat(sent).extracting(ProducerRecord::partition).containsOnly(0);
    }

    @Test
    void shouldPublishMembershipAndJoinAnalyticsWithTheRecordTimestamp() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(MEETING, "s2", "gw-b", 1, "bob");

        List<TestRecord<String, RoomMembership>> memberships = h.memberships.readRecordsToList();
        assertThat(memberships).extracting(TestRecord::key).containsOnly(MEETING);
        RoomMembership last = memberships.get(1).value();
        assertThat(last.members()).extracting(Member::socketId).containsExactly("s1", "s2");
        assertThat(last.members().get(1).gatewayId()).isEqualTo("gw-b");
        assertThat(last.members().get(1).gatewayPartition()).isEqualTo(1);
        assertThat(last.members().get(1).joinedAt()).isEqualTo(h.timeOf(1));
        assertThat(last.updatedAt()).isEqualTo(h.timeOf(1));

        List<AnalyticsEvent> analytics = h.analytics.readValuesToList();
        assertThat(analytics).extracting(AnalyticsEvent::kind)
                .containsExactly(AnalyticsKind.PARTICIPANT_JOINED, AnalyticsKind.PARTICIPANT_JOINED);
        AnalyticsEvent.ParticipantJoined bob = (AnalyticsEvent.ParticipantJoined) analytics.get(1);
        assertThat(bob.participantId()).isEqualTo("p-bob");
        assertThat(bob.at()).isEqualTo(h.timeOf(1));
        assertThat(bob.socketId()).isEqualTo("s2");
        assertThat(bob.eventId()).isNotEqualTo(analytics.get(0).eventId());
        assertThat(counts.of(Outcome.JOINED)).isEqualTo(2);
    }

    @Test
    void shouldRepeatEveryEffectWhenTheSameSocketJoinsAgain() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        h.drain();

        h.join(MEETING, "s2", "gw-b", 1, "bob");

        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).extracting(d -> d.event().type(), GatewayDelivery::socketIds).containsExactly(
                tuple(RoomEvent.Type.JOINED, List.of("s2")), tuple(RoomEvent.Type.PARTICIPANT_JOINED, List.of("s1")));
        assertThat(out.get(0).event().participants()).extracting(Participant::socketId).containsExactly("s1", "s2");
        assertThat(h.memberships.readValue().members()).extracting(Member::socketId).containsExactly("s1", "s2");
        AnalyticsEvent again = h.analytics.readValue();
        assertThat(again.kind()).isEqualTo(AnalyticsKind.PARTICIPANT_JOINED);
        assertThat(again.eventId()).as("a repeated join is the same fact: the store counts it once")
                .isEqualTo(AnalyticsEvent.ParticipantJoined.of(MEETING, again.at(), "p-bob", "s2", "bob", null).eventId());
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2");
        assertThat(counts.of(Outcome.JOIN_REPEATED)).isEqualTo(1);
        assertThat(counts.of(Outcome.JOINED)).isEqualTo(2);
    }

    @Test
    void shouldRepeatAllEffectsOfAJoinReplayedFromStateSavedAheadOfItsOutput() {
        h.join(MEETING, "s1", "gw-a", 0, "alice").drain();
        long clock = h.clock.get();
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        List<Object> original = h.readAllOutputs();
        Map<String, List<KeyValue<String, Object>>> ahead = h.snapshotStores();

        // the state was saved after the JOIN, its outputs were lost: reading the JOIN again sends them all again
        Harness replay = harness(RoomTopologyConfig.defaults());
        replay.restoreStores(ahead);
        replay.clock.set(clock);
        replay.join(MEETING, "s2", "gw-b", 1, "bob");

        assertThat(original).hasSize(4);   // JOINED, PARTICIPANT_JOINED, membership, analytics
        assertThat(replay.readAllOutputs()).isEqualTo(original);
        assertThat(replay.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2");
    }

    @Test
    void shouldRepeatAllEffectsOfALeaveReplayedFromStateSavedAheadOfItsOutput() {
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob").join(MEETING, "s3", "gw-b", 1, "carol").drain();
        assertLeaveReplaysIdentically(h, "s1", "gw-a", 0, 3);   // PARTICIPANT_LEFT to s2 and s3, membership, analytics
    }

    @Test
    void shouldRepeatAllEffectsOfAReplayedLeaveThatClosedTheRoom() {
        h.join(MEETING, "s1", "gw-a", 0, "alice").drain();
        assertLeaveReplaysIdentically(h, "s1", "gw-a", 0, 2);   // the empty membership, analytics
    }

    private void assertLeaveReplaysIdentically(Harness h, String socket, String gateway, int partition, int outputs) {
        long clock = h.clock.get();
        h.leave(MEETING, socket, gateway, partition);
        List<Object> original = h.readAllOutputs();
        Map<String, List<KeyValue<String, Object>>> ahead = h.snapshotStores();

        // the state was saved after the LEAVE, its outputs were lost: reading the LEAVE again sends them all again
        Harness replay = harness(RoomTopologyConfig.defaults());
        replay.restoreStores(ahead);
        replay.clock.set(clock);
        replay.leave(MEETING, socket, gateway, partition);

        assertThat(original).hasSize(outputs);
        assertThat(replay.readAllOutputs()).isEqualTo(original);
        assertThat(counts.of(Outcome.LEAVE_REPEATED)).isEqualTo(1);
    }

    @Test
    void shouldLeaveTombstonesForTheRoomsEntriesWhenItClosesAndForItsChatWindowOncePostgresHoldsItsLastMessage() {
        List<ChatMessage> stored = new java.util.ArrayList<>();   // what the chat store wrote to PostgreSQL
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob")
                .chat(MEETING, "s1", "gw-a", 0, "m-1", "hi");
        ChatMessage first = h.accepted.readValue();
        h.drain();

        h.leave(MEETING, "s1", "gw-a", 0).leave(MEETING, "s2", "gw-b", 1);

        assertThat(tombstones("room-topology-test-" + RoomTopology.MEMBERS_STORE + "-changelog"))
                .contains(MEETING + "|s1", MEETING + "|s2");
        assertThat(h.membersStore().get(MEETING)).isNull();
        // the window stays while its last message is not in PostgreSQL, even a minute later
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::seq).containsExactly(1L);
        advanceStreamTime(Duration.ofMinutes(3));
        assertThat(h.chatWindow(MEETING)).hasSize(1);

        stored.add(first);
        advanceStreamTime(Duration.ofMinutes(5));

        assertThat(h.chatWindow(MEETING)).isEmpty();
        assertThat(tombstones("room-topology-test-" + RoomTopology.CHAT_RECENT_STORE + "-changelog")).contains(MEETING + "|1");
        assertThat(tombstones("room-topology-test-" + RoomTopology.CHAT_CLOSED_STORE + "-changelog")).contains(MEETING);
    }

    @Test
    void shouldKeepAClosedRoomsChatWindowWhilePostgresCannotBeRead() {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<ChatMessage> stored = new java.util.ArrayList<>();
        ChatHistory real = storedIn(stored);
        h = harness(RoomTopologyConfig.defaults().withChatHistory((m, limit) -> {
            if (down.get()) {
                throw new IllegalStateException("PostgreSQL is down");
            }
            return real.newest(m, limit);
        }));
        down.set(false);
        h.join(MEETING, "s1", "gw-a", 0, "alice").chat(MEETING, "s1", "gw-a", 0, "m-1", "hi");
        stored.add(h.accepted.readValue());
        h.leave(MEETING, "s1", "gw-a", 0);
        down.set(true);

        advanceStreamTime(Duration.ofMinutes(3));
        assertThat(h.chatWindow(MEETING)).hasSize(1);

        down.set(false);
        advanceStreamTime(Duration.ofMinutes(5));
        assertThat(h.chatWindow(MEETING)).isEmpty();
    }

    @Test
    void shouldAskPostgresAboutAllRoomsClosedTogetherInOneRead() {
        // Meetings end together (on the hour), and the check runs on the stream thread: one read per room would hold
        // every other room's chat for as many round trips.
        List<ChatMessage> stored = new java.util.ArrayList<>();
        ChatHistory real = storedIn(stored);
        List<java.util.Set<String>> reads = new java.util.ArrayList<>();
        h = harness(RoomTopologyConfig.defaults().withChatHistory(new ChatHistory() {
            @Override
            public List<ChatRoomState.Recent> newest(String meetingId, int limit) {
                return real.newest(meetingId, limit);
            }

            @Override
            public java.util.Map<String, Long> lastStoredSeqs(java.util.Collection<String> meetingIds) {
                reads.add(java.util.Set.copyOf(meetingIds));
                return real.lastStoredSeqs(meetingIds);
            }
        }));
        List<String> rooms = List.of("room-a", "room-b", "room-c");
        for (String room : rooms) {
            h.join(room, "s-" + room, "gw-a", 0, "alice").chat(room, "s-" + room, "gw-a", 0, "m-1", "hi");
        }
        List<ChatMessage> accepted = h.accepted.readValuesToList();
        stored.addAll(accepted.subList(0, 2));   // room-c's message is still on its way to PostgreSQL
        for (String room : rooms) {
            h.leave(room, "s-" + room, "gw-a", 0);
        }

        advanceStreamTime(Duration.ofMinutes(3));

        assertThat(reads).containsExactly(java.util.Set.copyOf(rooms));
        assertThat(h.chatWindow("room-a")).isEmpty();
        assertThat(h.chatWindow("room-b")).isEmpty();
        assertThat(h.chatWindow("room-c")).hasSize(1);
    }

    @Test
    void shouldNotWaitForPostgresWhenCheckingClosedRoomsAndTakeTheAnswerWhenItIsIn() {
        // The check runs on the minute in every task at once: a read waited for per task held every room's chat.
        List<ChatMessage> stored = new java.util.ArrayList<>();
        ChatHistory real = storedIn(stored);
        List<java.util.concurrent.CompletableFuture<java.util.Map<String, Long>>> asked = new java.util.ArrayList<>();
        h = harness(RoomTopologyConfig.defaults().withChatHistory(new ChatHistory() {
            @Override
            public List<ChatRoomState.Recent> newest(String meetingId, int limit) {
                return real.newest(meetingId, limit);
            }

            @Override
            public java.util.concurrent.CompletableFuture<java.util.Map<String, Long>> lastStoredSeqsSoon(
                    java.util.Collection<String> meetingIds) {
                var answer = new java.util.concurrent.CompletableFuture<java.util.Map<String, Long>>();
                asked.add(answer);
                return answer;
            }
        }));
        for (String room : List.of("room-a", "room-b")) {
            h.join(room, "s-" + room, "gw-a", 0, "alice").chat(room, "s-" + room, "gw-a", 0, "m-1", "hi");
            stored.add(h.accepted.readValue());
            h.leave(room, "s-" + room, "gw-a", 0);
        }

        advanceStreamTime(Duration.ofMinutes(2));
        advanceStreamTime(Duration.ofMinutes(2));
        // asked once (no second read while one is on its way), nothing deleted on the way
        assertThat(asked).hasSize(1);
        assertThat(h.chatWindow("room-a")).hasSize(1);

        // before the answer comes, room-b opens again, gets message 2 (not stored yet) and closes again: the answer,
        // that PostgreSQL holds its seq 1, must not take its window (message 2 would lose its seq to the next one)
        h.join("room-b", "s2-room-b", "gw-a", 0, "alice").chat("room-b", "s2-room-b", "gw-a", 0, "m-2", "again");
        assertThat(h.accepted.readValue().seq()).isEqualTo(2);
        h.leave("room-b", "s2-room-b", "gw-a", 0);
        asked.get(0).complete(java.util.Map.of("room-a", 1L, "room-b", 1L));
        h.driver.advanceWallClockTime(ChatWindows.FORGET_INTERVAL);

        assertThat(h.chatWindow("room-a")).isEmpty();
        assertThat(h.chatWindow("room-b")).hasSize(2);

        // a failed answer deletes nothing; the next round asks again
        advanceStreamTime(Duration.ofMinutes(2));
        assertThat(asked).hasSize(2);
        asked.get(1).completeExceptionally(new IllegalStateException("PostgreSQL is down"));
        h.driver.advanceWallClockTime(ChatWindows.FORGET_INTERVAL);
        assertThat(h.chatWindow("room-b")).hasSize(2);
        advanceStreamTime(Duration.ofMinutes(1));
        assertThat(asked).hasSize(3);
        asked.get(2).complete(java.util.Map.of("room-b", 2L));
        h.driver.advanceWallClockTime(ChatWindows.FORGET_INTERVAL);
        assertThat(h.chatWindow("room-b")).isEmpty();
    }

    @Test
    void shouldDeleteAClosedRoomsWindowAFewEntriesAtATimeLowestSeqFirstAndLetTheRoomContinueFromWhatIsLeft() {
        // 100 rooms closed together are 25,600 tombstones: written at once they held every other room's chat
        List<ChatMessage> stored = new java.util.ArrayList<>();
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        int n = ChatWindows.FORGET_PER_TICK + 72;
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        for (int i = 1; i <= n; i++) {
            h.chat(MEETING, "s1", "gw-a", 0, "m-" + i, "message " + i);
        }
        stored.addAll(h.accepted.readValuesToList());
        h.leave(MEETING, "s1", "gw-a", 0).drain();
        // the round a few minutes on finds the last message stored; one tick of wall-clock time deletes a tick's worth
        long at = h.clock.get() + 180;
        h.clock.set(at + 1);
        h.memberRequests.pipeInput(OTHER_MEETING, new MemberRequest(MemberRequest.Action.JOIN, OTHER_MEETING, "o-" + at,
                "gw-z", 0, "p-o", "o", Role.USER, T0), h.timeOf(at));
        h.drain();
        assertThat(h.chatWindow(MEETING)).hasSize(n);
        h.driver.advanceWallClockTime(ChatWindows.FORGET_INTERVAL);

        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(ChatWindows.FORGET_PER_TICK + 1, n).boxed().toList());

        // the room opens again meanwhile: it continues from what is left, and what is left stays
        h.join(MEETING, "s2", "gw-a", 0, "alice");
        h.chat(MEETING, "s2", "gw-a", 0, "m-new", "again");
        assertThat(h.accepted.readValue().seq()).isEqualTo(n + 1);
        assertThat(counts.of(Outcome.CHAT_SEQ_SEEDED)).isEqualTo(1);   // the room's first message only
        h.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(h.chatWindow(MEETING)).hasSize(n - ChatWindows.FORGET_PER_TICK + 1);
    }

    @Test
    void shouldNotDeleteTheWindowOfARoomThatOpenedAgainAfterACrashLeftItsClosedNoteWithoutItsEntries() {
        // the note and the entries are in different changelogs: a crash while a window was being deleted can leave
        // the note alone, and the room may open again before the next round
        List<ChatMessage> stored = new java.util.ArrayList<>();
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        stored.add(new ChatMessage(MEETING, 5, "old", "p-alice", "alice", "stored before", T0));
        KeyValueStore<String, ClosedChat> notes = h.driver.getKeyValueStore(RoomTopology.CHAT_CLOSED_STORE);
        notes.put(MEETING, new ClosedChat(h.timeOf(h.clock.get()).toEpochMilli(), 5));

        h.join(MEETING, "s1", "gw-a", 0, "alice").chat(MEETING, "s1", "gw-a", 0, "m-1", "after the crash");
        assertThat(h.accepted.readValue().seq()).isEqualTo(6);
        advanceStreamTime(Duration.ofMinutes(3));

        assertThat(notes.get(MEETING)).isNull();
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::seq).containsExactly(5L, 6L);
    }

    @Test
    void shouldDeleteAClosedRoomsChatWindowADayLaterEvenIfPostgresNeverGotItsLastMessage() {
        // the chat store refused the last message for good: the window must not stay for ever
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(new java.util.ArrayList<>())));
        h.join(MEETING, "s1", "gw-a", 0, "alice").chat(MEETING, "s1", "gw-a", 0, "m-1", "hi").leave(MEETING, "s1", "gw-a", 0);

        advanceStreamTime(Duration.ofHours(23));
        assertThat(h.chatWindow(MEETING)).hasSize(1);
        advanceStreamTime(Duration.ofHours(2));
        assertThat(h.chatWindow(MEETING)).isEmpty();
        assertThat(tombstones("room-topology-test-" + RoomTopology.CHAT_CLOSED_STORE + "-changelog")).contains(MEETING);
    }

    /**
     * Moves the task's stream time on by {@code d}: a JOIN to another room (which its punctuators see); then a second of
     * wall-clock time, in which windows that may go are deleted.
     */
    private void advanceStreamTime(Duration d) {
        long at = h.clock.get() + d.toSeconds();
        h.clock.set(at + 1);
        h.memberRequests.pipeInput(OTHER_MEETING, new MemberRequest(MemberRequest.Action.JOIN, OTHER_MEETING, "o-" + at,
                "gw-z", 0, "p-o", "o", Role.USER, T0), h.timeOf(at));
        h.driver.advanceWallClockTime(Duration.ofSeconds(1));
        h.drain();
    }

    @Test
    void shouldForgetDeparturesAfterTenMinutesOfStreamTime() {
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob").leave(MEETING, "s1", "gw-a", 0).drain();
        assertThat(h.membersStore().departure(MEETING, "s1")).isPresent();

        // stream time moves 11 minutes on (another room's traffic): the departure is purged
        h.memberRequests.pipeInput(OTHER_MEETING, new MemberRequest(MemberRequest.Action.JOIN, OTHER_MEETING, "o1", "gw-a", 0,
                "p-o", "o", Role.USER, T0), h.timeOf(0).plus(Duration.ofMinutes(11)));

        assertThat(h.membersStore().departure(MEETING, "s1")).isEmpty();
        assertThat(tombstones("room-topology-test-" + RoomTopology.DEPARTURES_STORE + "-changelog")).contains(MEETING + "|s1");
    }

    private List<String> tombstones(String changelog) {
        return h.producedTo(changelog).stream().filter(r -> r.value() == null)
                .map(r -> new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldNotLetAReplayedJoinBringBackASocketThatLeftButLetALaterJoinIn() {
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob").leave(MEETING, "s2", "gw-b", 1).drain();

        // the JOIN read again after a crash: its time is before the LEAVE's
        h.memberRequests.pipeInput(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, "s2", "gw-b", 1,
                "p-bob", "bob", Role.USER, T0), h.timeOf(1));
        assertThat(h.readAllOutputs()).isEmpty();
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1");
        assertThat(counts.of(Outcome.JOIN_OF_DEPARTED_SOCKET)).isEqualTo(1);

        // the same socket joining after it left (its gateway had been taken for dead, say): it is back in
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1", "s2");
        assertThat(h.membersStore().departure(MEETING, "s2")).isEmpty();
    }

    @Test
    void shouldTellRemainingMembersWhenSomeoneLeaves() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        h.join(MEETING, "s3", "gw-b", 1, "carol");
        h.drain();

        h.leave(MEETING, "s1", "gw-a", 0);

        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).gatewayId()).isEqualTo("gw-b");
        assertThat(out.get(0).socketIds()).containsExactly("s2", "s3");
        assertThat(out.get(0).event().type()).isEqualTo(RoomEvent.Type.PARTICIPANT_LEFT);
        assertThat(out.get(0).event().participant().socketId()).isEqualTo("s1");
        assertThat(h.memberships.readValue().members()).extracting(Member::socketId).containsExactly("s2", "s3");
        AnalyticsEvent.ParticipantLeft leave = (AnalyticsEvent.ParticipantLeft) h.analytics.readValue();
        assertThat(leave.participantId()).isEqualTo("p-alice");
        assertThat(leave.reason()).isEqualTo(AnalyticsEvent.LeaveReason.LEFT);
        assertThat(leave.joinedAt()).isEqualTo(h.timeOf(0));
        assertThat(leave.durationMs()).isEqualTo(leave.at().toEpochMilli() - h.timeOf(0).toEpochMilli()).isPositive();
    }

    @Test
    void shouldPublishEmptyMembershipAndForgetMembersWhenLastMemberLeaves() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();

        h.leave(MEETING, "s1", "gw-a", 0);

        assertThat(h.deliveries.isEmpty()).isTrue();
        TestRecord<String, RoomMembership> m = h.memberships.readRecord();
        assertThat(m.key()).isEqualTo(MEETING);
        assertThat(m.value().members()).isEmpty();
        assertThat(h.analytics.readValue().kind()).isEqualTo(AnalyticsKind.PARTICIPANT_LEFT);
        assertThat(h.membersStore().get(MEETING)).isNull();
    }

    @Test
    void shouldIgnoreLeaveOfUnknownSocket() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();

        h.leave(MEETING, "s-unknown", "gw-a", 0);
        h.leave(OTHER_MEETING, "s1", "gw-a", 0);

        assertThat(h.deliveries.isEmpty()).isTrue();
        assertThat(h.memberships.isEmpty()).isTrue();
        assertThat(h.analytics.isEmpty()).isTrue();
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1");
        assertThat(counts.of(Outcome.LEAVE_UNKNOWN_SOCKET)).isEqualTo(2);
    }

    // ---------------------------------------------------------------------------------------- chat

    @Test
    void shouldDeliverAcceptedChatToEveryMemberIncludingSenderAndPublishIt() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello 👋");

        TestRecord<String, ChatMessage> accepted = h.accepted.readRecord();
        assertThat(accepted.key()).isEqualTo(MEETING);
        ChatMessage msg = accepted.value();
        assertThat(msg).isEqualTo(new ChatMessage(MEETING, 1, "m-1", "p-alice", "alice", "hello 👋", h.timeOf(2)));
        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).extracting(GatewayDelivery::gatewayId).containsExactly("gw-a", "gw-b");
        assertThat(out).allSatisfy(d -> {
            assertThat(d.event().type()).isEqualTo(RoomEvent.Type.CHAT);
            assertThat(d.event().chat()).isEqualTo(msg);
            assertThat(d.event().ref()).isEqualTo("m-1");
        });
        // the analytics sink reads the accepted message itself: no analytics record for a chat message
        assertThat(h.analytics.isEmpty()).isTrue();
        AnalyticsEvent.ChatSent a = AnalyticsEvent.ChatSent.of(msg);
        assertThat(a.seq()).isEqualTo(1);
        assertThat(a.length()).isEqualTo(7);
        assertThat(a.participantId()).isEqualTo("p-alice");
    }

    @Test
    void shouldTakeSenderIdentityFromItsJoinNotFromTheChatRequest() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();

        h.pipeChat(MEETING, new ChatRequest(MEETING, "s1", "gw-a", 0, "p-mallory", "mallory", "m-1", "hi", T0));

        ChatMessage msg = h.accepted.readValue();
        assertThat(msg.senderId()).isEqualTo("p-alice");
        assertThat(msg.senderName()).isEqualTo("alice");
    }

    @Test
    void shouldAssignIncreasingSeqPerMeeting() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(OTHER_MEETING, "s9", "gw-b", 1, "zoe");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "a-1", "one");
        h.chat(OTHER_MEETING, "s9", "gw-b", 1, "b-1", "uno");
        h.chat(MEETING, "s1", "gw-a", 0, "a-2", "two");
        h.chat(MEETING, "s1", "gw-a", 0, "a-3", "three");
        h.chat(OTHER_MEETING, "s9", "gw-b", 1, "b-2", "dos");

        List<ChatMessage> msgs = h.accepted.readValuesToList();
        assertThat(msgs.stream().filter(m -> m.meetingId().equals(MEETING)))
                .extracting(ChatMessage::seq, ChatMessage::clientMsgId)
                .containsExactly(tuple(1L, "a-1"), tuple(2L, "a-2"), tuple(3L, "a-3"));
        assertThat(msgs.stream().filter(m -> m.meetingId().equals(OTHER_MEETING)))
                .extracting(ChatMessage::seq, ChatMessage::clientMsgId)
                .containsExactly(tuple(1L, "b-1"), tuple(2L, "b-2"));
        assertThat(counts.of(Outcome.CHAT_ACCEPTED)).isEqualTo(5);
    }

    @Test
    void shouldNotResequenceADuplicateClientMsgIdButDeliverItAgainWithItsSeq() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "again");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello");

        // the room gets it again, with the seq it already has (a replay after a crash may be the only copy some
        // members get; the pages drop what they have seen)
        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).extracting(GatewayDelivery::socketIds).containsExactlyInAnyOrder(List.of("s1"), List.of("s2"));
        assertThat(out).allSatisfy(d -> assertThat(d.event().chat().seq()).isEqualTo(1));
        // re-published with its original seq (an idempotent no-op for the PostgreSQL sink), not re-sequenced
        ChatMessage again = h.accepted.readValue();
        assertThat(again.seq()).isEqualTo(1);
        assertThat(again.clientMsgId()).isEqualTo("m-1");
        assertThat(h.analytics.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.CHAT_DUPLICATE)).isEqualTo(1);

        h.chat(MEETING, "s1", "gw-a", 0, "m-3", "next");
        assertThat(h.accepted.readValue().seq()).isEqualTo(3);
    }

    @Test
    void shouldNotTakeAMessageWhoseIdsOnlyHashLikeAnAcceptedOneForARetry() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello");
        h.drain();
        // The window in memory keeps a hash of (sender, clientMsgId); a match is confirmed against the stored entry.
        // Stand in for a collision: the stored entry of seq 1 names other ids than the ones the window hashed.
        KeyValueStore<String, ChatRoomState.Recent> entries = h.driver.getKeyValueStore(RoomTopology.CHAT_RECENT_STORE);
        entries.put(ChatWindows.key(MEETING, 1), new ChatRoomState.Recent("alice", "m-other", 1));

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello again");

        ChatMessage next = h.accepted.readValue();
        assertThat(next.seq()).isEqualTo(2);
        assertThat(next.text()).isEqualTo("hello again");
        assertThat(counts.of(Outcome.CHAT_DUPLICATE)).isZero();
        // and a real retry of it is confirmed by its own entry
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello again");
        assertThat(h.accepted.readValue().seq()).isEqualTo(2);
        assertThat(counts.of(Outcome.CHAT_DUPLICATE)).isEqualTo(1);
    }

    @Test
    void shouldForgetClientMsgIdsOlderThanTheDedupWindow() {
        h = harness(new RoomTopologyConfig(2000, 2, RoomMetrics.none()));
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "two");
        h.chat(MEETING, "s1", "gw-a", 0, "m-3", "three");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "two");   // in the window: seq 2 again
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");   // fell out of it: a new seq

        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::seq).containsExactly(2L, 4L);
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("m-3", "m-1");
    }

    @Test
    void shouldRejectEmptyMessageToSenderOnly() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(MEETING, "s2", "gw-b", 1, "bob");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "   ");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "");

        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).hasSize(2).allSatisfy(d -> {
            assertThat(d.gatewayId()).isEqualTo("gw-a");
            assertThat(d.socketIds()).containsExactly("s1");
            assertThat(d.event().type()).isEqualTo(RoomEvent.Type.REJECTED);
            assertThat(d.event().errorCode()).isEqualTo("invalid_message");
        });
        assertThat(out).extracting(d -> d.event().ref()).containsExactly("m-1", "m-2");
        assertThat(h.accepted.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.CHAT_REJECTED_INVALID)).isEqualTo(2);
    }

    @Test
    void shouldRejectMessageLongerThanMaxLengthCountingEmojiAsOneCharacter() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();
        String emoji2000 = "😀".repeat(2000);   // 4,000 UTF-16 chars, 2,000 characters

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", emoji2000 + "😀");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", emoji2000);

        GatewayDelivery rejected = h.deliveries.readValue();
        assertThat(rejected.event().type()).isEqualTo(RoomEvent.Type.REJECTED);
        assertThat(rejected.event().errorCode()).isEqualTo("invalid_message");
        assertThat(rejected.event().ref()).isEqualTo("m-1");
        assertThat(rejected.socketIds()).containsExactly("s1");
        ChatMessage accepted = h.accepted.readValue();
        assertThat(accepted.clientMsgId()).isEqualTo("m-2");
        assertThat(accepted.seq()).isEqualTo(1);
        assertThat(accepted.text()).isEqualTo(emoji2000);
    }

    @Test
    void shouldRejectClientMsgIdThatIsMissingOrLongerThan64Characters() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "", "hi");
        h.chat(MEETING, "s1", "gw-a", 0, "x".repeat(65), "hi");
        h.chat(MEETING, "s1", "gw-a", 0, "x".repeat(64), "hi");

        assertThat(h.deliveries.readValuesToList()).extracting(d -> d.event().type())
                .containsExactly(RoomEvent.Type.REJECTED, RoomEvent.Type.REJECTED, RoomEvent.Type.CHAT);
        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::seq).containsExactly(1L);
    }

    @Test
    void shouldRejectTextPostgresCannotStore() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "nul \u0000 inside");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "lone \uD83D surrogate");

        assertThat(h.deliveries.readValuesToList()).extracting(d -> d.event().errorCode())
                .containsExactly("invalid_message", "invalid_message");
        assertThat(h.accepted.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectChatFromSocketNotInTheRoomWithNotInRoom() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.join(OTHER_MEETING, "s9", "gw-b", 1, "zoe");
        h.drain();

        h.chat(MEETING, "s9", "gw-b", 1, "m-1", "let me in");
        h.chat(UUID.randomUUID().toString(), "s1", "gw-a", 0, "m-2", "empty room");

        List<GatewayDelivery> out = h.deliveries.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).gatewayId()).isEqualTo("gw-b");
        assertThat(out.get(0).partition()).isEqualTo(1);
        assertThat(out.get(0).socketIds()).containsExactly("s9");
        assertThat(out.get(0).event().errorCode()).isEqualTo("not_in_room");
        assertThat(out.get(0).event().ref()).isEqualTo("m-1");
        assertThat(out.get(1).socketIds()).containsExactly("s1");
        assertThat(out.get(1).event().errorCode()).isEqualTo("not_in_room");
        assertThat(h.accepted.isEmpty()).isTrue();
        assertThat(counts.of(Outcome.CHAT_REJECTED_NOT_IN_ROOM)).isEqualTo(2);
    }

    @Test
    void shouldContinueTheSeqOfARoomThatOpensAgainBeforePostgresHoldsItsLastMessage() {
        // The chat store writes a message some hundreds of milliseconds after it was accepted: a room that closes and
        // opens again within that must not give a new message the seq of one still on its way to PostgreSQL.
        List<ChatMessage> stored = new java.util.ArrayList<>();   // PostgreSQL, lagging: it holds nothing yet
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        h.leave(MEETING, "s1", "gw-a", 0);
        h.join(MEETING, "s2", "gw-a", 0, "alice");
        h.drain();

        h.chat(MEETING, "s2", "gw-a", 0, "m-2", "two");

        assertThat(h.accepted.readValue().seq()).isEqualTo(2);
        assertThat(counts.of(Outcome.CHAT_SEQ_SEEDED)).isEqualTo(1);   // the room's first message only
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("m-1", "m-2");
        // open again: the window is no longer a closed room's, and stays past the retention
        advanceStreamTime(Duration.ofMinutes(5));
        assertThat(h.chatWindow(MEETING)).hasSize(2);
    }

    @Test
    void shouldContinueSeqFromTheStoredHistoryWhenAClosedRoomsWindowHasGone() {
        List<ChatMessage> stored = new java.util.ArrayList<>();   // what the chat store wrote to PostgreSQL
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        stored.add(h.accepted.readValue());
        h.leave(MEETING, "s1", "gw-a", 0);
        advanceStreamTime(Duration.ofMinutes(3));
        assertThat(h.chatWindow(MEETING)).isEmpty();
        assertThat(h.members(MEETING)).isEmpty();
        h.join(MEETING, "s2", "gw-a", 0, "alice");
        h.drain();

        h.chat(MEETING, "s2", "gw-a", 0, "m-2", "two");

        assertThat(h.accepted.readValue().seq()).isEqualTo(2);
        assertThat(counts.of(Outcome.CHAT_SEQ_SEEDED)).isEqualTo(2);   // the room's first message, twice
        // the stored message is in the window again, in the store before the new one
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::clientMsgId).containsExactly("m-1", "m-2");
    }

    @Test
    void shouldGiveAMessageReplayedAfterACrashItsStoredSeqWhenTheWindowNeverReachedTheChangelog() {
        // A crash after the room's first messages were published (and stored in PostgreSQL) but before the commit
        // that would have written its window: the input since the last commit is processed again by a processor
        // without the window.
        List<ChatMessage> stored = new java.util.ArrayList<>();
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob").drain();
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        h.chat(MEETING, "s2", "gw-b", 1, "m-1", "same id, another sender");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "two");
        stored.addAll(h.accepted.readValuesToList());
        assertThat(stored).extracting(ChatMessage::seq).containsExactly(1L, 2L, 3L);
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));   // no state at all
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob").drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        h.chat(MEETING, "s2", "gw-b", 1, "m-1", "same id, another sender");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "two");
        h.chat(MEETING, "s2", "gw-b", 1, "m-3", "new after the crash");

        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::seq, ChatMessage::clientMsgId)
                .containsExactly(tuple(1L, "m-1"), tuple(2L, "m-1"), tuple(3L, "m-2"), tuple(4L, "m-3"));
        assertThat(counts.of(Outcome.CHAT_DUPLICATE)).isEqualTo(3);
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::seq).containsExactly(1L, 2L, 3L, 4L);
    }

    /** A {@link ChatHistory} over messages "stored in PostgreSQL" (the newest {@code limit}, as the real one). */
    private static ChatHistory storedIn(List<ChatMessage> stored) {
        return (meeting, limit) -> stored.stream().filter(m -> m.meetingId().equals(meeting))
                .sorted(java.util.Comparator.comparingLong(ChatMessage::seq).reversed()).limit(limit)
                .map(m -> new ChatRoomState.Recent(m.senderId(), m.clientMsgId(), m.seq())).toList();
    }

    /** A {@link ChatHistory} whose answers to {@code newestSoon} the test gives, and which counts both kinds of read. */
    private static final class AskedHistory implements ChatHistory {
        final List<java.util.concurrent.CompletableFuture<List<ChatRoomState.Recent>>> asked = new java.util.ArrayList<>();
        final List<String> readNow = new java.util.ArrayList<>();
        final ChatHistory now;

        AskedHistory(ChatHistory now) {
            this.now = now;
        }

        @Override
        public List<ChatRoomState.Recent> newest(String meetingId, int limit) {
            readNow.add(meetingId);
            return now.newest(meetingId, limit);
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<ChatRoomState.Recent>> newestSoon(String meetingId, int limit) {
            var answer = new java.util.concurrent.CompletableFuture<List<ChatRoomState.Recent>>();
            asked.add(answer);
            return answer;
        }
    }

    @Test
    void shouldAskForTheStoredHistoryWhenARoomOpensAndSeedItsFirstMessageFromTheAnswerWithoutReadingAgain() {
        // meetings start together (on the hour): a read on the first message held the stream thread for a round trip
        AskedHistory history = new AskedHistory(storedIn(List.of()));
        h = harness(RoomTopologyConfig.defaults().withChatHistory(history));
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "bob").drain();
        assertThat(history.asked).hasSize(1);   // when the room opened, not for the second member

        history.asked.get(0).complete(List.of(new ChatRoomState.Recent("p-alice", "old-1", 6),
                new ChatRoomState.Recent("p-alice", "old-2", 7)));
        h.chat(MEETING, "s1", "gw-a", 0, "old-2", "a retry of a stored message");
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "new");

        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::seq).containsExactly(7L, 8L);
        assertThat(history.readNow).isEmpty();
        assertThat(counts.of(Outcome.CHAT_SEQ_SEEDED)).isEqualTo(1);
    }

    @Test
    void shouldReadTheStoredHistoryAgainOnTheFirstMessageWhenTheReadAskedForAtOpeningFailed() {
        List<ChatMessage> stored = new java.util.ArrayList<>();
        AskedHistory history = new AskedHistory(storedIn(stored));
        h = harness(RoomTopologyConfig.defaults().withChatHistory(history));
        h.join(MEETING, "s1", "gw-a", 0, "alice").drain();
        history.asked.get(0).completeExceptionally(new IllegalStateException("PostgreSQL was down for a moment"));
        stored.add(new ChatMessage(MEETING, 3, "old", "p-alice", "alice", "stored", T0));

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");

        assertThat(h.accepted.readValue().seq()).isEqualTo(4);
        assertThat(history.readNow).containsExactly(MEETING);
    }

    @Test
    void shouldNotAskForTheStoredHistoryOfARoomThatOpensWithItsWindowStillKept() {
        AskedHistory history = new AskedHistory(storedIn(List.of()));
        h = harness(RoomTopologyConfig.defaults().withChatHistory(history));
        h.join(MEETING, "s1", "gw-a", 0, "alice").drain();
        history.asked.get(0).complete(List.of());
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one").leave(MEETING, "s1", "gw-a", 0);

        h.join(MEETING, "s2", "gw-a", 0, "alice").chat(MEETING, "s2", "gw-a", 0, "m-2", "two");

        assertThat(history.asked).hasSize(1);
        assertThat(history.readNow).isEmpty();
        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::seq).containsExactly(1L, 2L);
    }

    @Test
    void shouldRefuseAChatRetryablyWhenTheStoredHistoryCannotBeRead() {
        h = harness(RoomTopologyConfig.defaults().withChatHistory((m, limit) -> {
            throw new IllegalStateException("PostgreSQL is down");
        }));
        h.join(MEETING, "s1", "gw-a", 0, "alice").drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");

        GatewayDelivery d = h.deliveries.readValue();
        assertThat(d.socketIds()).containsExactly("s1");
        assertThat(d.event().errorCode()).isEqualTo("chat_unavailable");
        assertThat(d.event().ref()).isEqualTo("m-1");
        assertThat(h.accepted.isEmpty()).isTrue();
        assertThat(h.chatWindow(MEETING)).isEmpty();
        assertThat(counts.of(Outcome.CHAT_REJECTED_UNAVAILABLE)).isEqualTo(1);
    }

    @Test
    void shouldAcceptTheSameClientMsgIdFromTwoSendersAsTwoMessages() {
        h.join(MEETING, "s1", "gw-a", 0, "alice").join(MEETING, "s2", "gw-b", 1, "mallory").drain();

        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "hello from alice");
        h.chat(MEETING, "s2", "gw-b", 1, "m-1", "hello from mallory");

        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::seq, ChatMessage::senderId, ChatMessage::text)
                .containsExactly(tuple(1L, "p-alice", "hello from alice"), tuple(2L, "p-mallory", "hello from mallory"));
        assertThat(counts.of(Outcome.CHAT_DUPLICATE)).isZero();
        // a retry is still one: the same sender, the same id
        h.chat(MEETING, "s2", "gw-b", 1, "m-1", "hello from mallory");
        assertThat(h.accepted.readValue().seq()).isEqualTo(2);
        assertThat(counts.of(Outcome.CHAT_DUPLICATE)).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------- bad input

    @Test
    void shouldSkipGarbageBytesAndProcessTheNextValidRecord() {
        TestInputTopic<String, byte[]> rawMembers = h.driver.createInputTopic(Topics.MEMBER_REQUESTED.name(),
                new StringSerializer(), new ByteArraySerializer());
        TestInputTopic<String, byte[]> rawChats = h.driver.createInputTopic(Topics.CHAT_REQUESTED.name(),
                new StringSerializer(), new ByteArraySerializer());

        rawMembers.pipeInput(MEETING, new byte[] {(byte) 0xff, 0x00, 0x13, 0x37}, T0);
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        rawChats.pipeInput(MEETING, "{\"text\": \"unterminated".getBytes(), T0);
        rawChats.pipeInput(MEETING, "[1,2,3]".getBytes(), T0);
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "still here");

        assertThat(h.accepted.readValuesToList()).extracting(ChatMessage::text).containsExactly("still here");
        assertThat(counts.of(Outcome.UNDECODABLE)).isEqualTo(3);
    }

    @Test
    void shouldDropRequestsMissingWhatIsNeededToActOnThem() {
        h.pipeMember(MEETING, new MemberRequest(MemberRequest.Action.JOIN, MEETING, null, "gw-a", 0, "p", "n", Role.USER, T0));
        h.pipeMember(MEETING, new MemberRequest(null, MEETING, "s1", "gw-a", 0, "p", "n", Role.USER, T0));
        h.pipeMember(MEETING, new MemberRequest(MemberRequest.Action.JOIN, OTHER_MEETING, "s1", "gw-a", 0, "p", "n", Role.USER, T0));
        h.pipeChat(MEETING, new ChatRequest(MEETING, "s1", null, 0, "p", "n", "m-1", "hi", T0));
        h.join(MEETING, "s1", "gw-a", 0, "alice");

        assertThat(counts.of(Outcome.MALFORMED)).isEqualTo(4);
        assertThat(h.members(MEETING)).extracting(Member::socketId).containsExactly("s1");
    }

    // ---------------------------------------------------------------------------------------- determinism

    @Test
    void shouldProduceIdenticalOutputWhenReplayingTheSameInputFromRestoredState() {
        h.join(MEETING, "s1", "gw-a", 0, "alice")
                .join(MEETING, "s2", "gw-b", 1, "bob")
                .chat(MEETING, "s1", "gw-a", 0, "m-1", "one")
                .drain();
        Map<String, List<KeyValue<String, Object>>> committed = h.snapshotStores();
        long clockAtCommit = h.clock.get();
        Consumer<Harness> uncommitted = x -> x
                .chat(MEETING, "s2", "gw-b", 1, "m-2", "two")
                .join(MEETING, "s3", "gw-a", 0, "carol")
                .chat(MEETING, "s3", "gw-a", 0, "m-3", "three")
                .leave(MEETING, "s1", "gw-a", 0)
                .chat(MEETING, "s2", "gw-b", 1, "m-1", "one")
                .chat(MEETING, "s2", "gw-b", 1, "m-4", "four");
        uncommitted.accept(h);
        List<Object> original = h.readAllOutputs();

        // a crash after the prefix was committed: a new instance restores the stores and reads the rest again
        Harness replay = harness(RoomTopologyConfig.defaults());
        replay.restoreStores(committed);
        replay.clock.set(clockAtCommit);
        uncommitted.accept(replay);

        assertThat(original).hasSizeGreaterThan(10);
        assertThat(replay.readAllOutputs()).isEqualTo(original);
    }

    @Test
    void shouldContinueARoomsChatWindowStoredTheFirstReleasesWayAndDeleteItAfterTheRoomCloses() {
        List<ChatMessage> stored = new java.util.ArrayList<>();
        h = harness(RoomTopologyConfig.defaults().withChatHistory(storedIn(stored)));
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();
        String alice = h.members(MEETING).get(0).participantId();
        h.legacyChatStore().put(MEETING, new ChatRoomState(41, List.of(new ChatRoomState.Recent(alice, "m-41", 41))));

        h.chat(MEETING, "s1", "gw-a", 0, "m-41", "again");   // a retry of a message accepted before the upgrade
        h.chat(MEETING, "s1", "gw-a", 0, "m-42", "new");

        stored.addAll(h.accepted.readValuesToList());
        assertThat(stored).extracting(ChatMessage::seq).containsExactly(41L, 42L);
        assertThat(h.chatWindow(MEETING)).extracting(ChatRoomState.Recent::seq).containsExactly(42L);
        h.leave(MEETING, "s1", "gw-a", 0);
        advanceStreamTime(Duration.ofMinutes(3));
        assertThat(h.legacyChatStore().get(MEETING)).isNull();
        assertThat(h.chatWindow(MEETING)).isEmpty();
    }

    @Test
    void shouldRepublishTheSameSeqsWhenReplayingFromStateSavedAheadOfItsOutput() {
        h.join(MEETING, "s1", "gw-a", 0, "alice");
        h.drain();
        Map<String, List<KeyValue<String, Object>>> beforeChats = h.snapshotStores();
        long clock = h.clock.get();
        h.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        h.chat(MEETING, "s1", "gw-a", 0, "m-2", "two");
        List<ChatMessage> first = h.accepted.readValuesToList();
        h.drain();
        Map<String, List<KeyValue<String, Object>>> ahead = h.snapshotStores();

        // the state was saved after the chats, their outputs were lost: the replayed input must not get new seqs
        Harness replay = harness(RoomTopologyConfig.defaults());
        replay.restoreStores(ahead);
        replay.clock.set(clock);
        replay.chat(MEETING, "s1", "gw-a", 0, "m-1", "one");
        replay.chat(MEETING, "s1", "gw-a", 0, "m-2", "two");

        assertThat(replay.accepted.readValuesToList()).isEqualTo(first);
        assertThat(replay.deliveries.readValuesToList()).extracting(d -> d.event().chat().seq()).containsExactly(1L, 2L);
        assertThat(beforeChats.get(RoomTopology.CHAT_RECENT_STORE)).isEmpty();
        assertThat(ahead.get(RoomTopology.CHAT_RECENT_STORE)).hasSize(2);
    }

    // ---------------------------------------------------------------------------------------- topology

    @Test
    void shouldNameEverySourceProcessorSinkAndStore() {
        Topology t = RoomTopology.build(new StreamsBuilder(), RoomTopologyConfig.defaults()).build();
        String description = t.describe().toString();

        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(description).contains("member-requests-source", "chat-requests-source", "room-processor",
                "gateway-deliveries-sink", "chat-accepted-sink", "membership-changed-sink", "analytics-sink",
                RoomTopology.MEMBERS_STORE, RoomTopology.DEPARTURES_STORE, RoomTopology.CHAT_RECENT_STORE, RoomTopology.CHAT_STORE);
        assertThat(t.describe().subtopologies()).hasSize(1);
    }

    // ======================================================================================== harness

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private Harness harness(RoomTopologyConfig cfg) {
        RoomTopologyConfig withCounts = cfg.withMetrics(counts);
        Topology topology = RoomTopology.build(new StreamsBuilder(), withCounts).build();
        Path dir = stateDir.resolve("driver-" + drivers.size());
        Properties props = RoomStreamsSettings.properties(
                new KafkaConnectionProperties("unused:9092", 1),
                new StreamsProperties("room-topology-test", dir, Duration.ofMillis(100), 1),
                counts);
        TopologyTestDriver driver = new TopologyTestDriver(topology, props, T0);
        drivers.add(driver);
        return new Harness(driver);
    }

    /** Counts outcomes in memory. */
    static final class Counts implements RoomMetrics {
        private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);

        @Override
        public synchronized void count(Outcome outcome) {
            counts.merge(outcome, 1, Integer::sum);
        }

        synchronized int of(Outcome outcome) {
            return counts.getOrDefault(outcome, 0);
        }
    }

    /** One driver with typed topics; every input gets the next second of event time. */
    static final class Harness {
        final TopologyTestDriver driver;
        final TestInputTopic<String, MemberRequest> memberRequests;
        final TestInputTopic<String, ChatRequest> chatRequests;
        final TestOutputTopic<String, GatewayDelivery> deliveries;
        final TestOutputTopic<String, ChatMessage> accepted;
        final TestOutputTopic<String, RoomMembership> memberships;
        final TestOutputTopic<String, AnalyticsEvent> analytics;
        /** Index of the next input; its event time is T0 + index seconds. */
        final AtomicLong clock = new AtomicLong();

        Harness(TopologyTestDriver driver) {
            this.driver = driver;
            memberRequests = driver.createInputTopic(Topics.MEMBER_REQUESTED.name(),
                    Topics.MEMBER_REQUESTED.keySerde().serializer(), Topics.MEMBER_REQUESTED.valueSerde().serializer());
            chatRequests = driver.createInputTopic(Topics.CHAT_REQUESTED.name(),
                    Topics.CHAT_REQUESTED.keySerde().serializer(), Topics.CHAT_REQUESTED.valueSerde().serializer());
            deliveries = driver.createOutputTopic(Topics.GATEWAY_DELIVERIES.name(),
                    Topics.GATEWAY_DELIVERIES.keySerde().deserializer(), Topics.GATEWAY_DELIVERIES.valueSerde().deserializer());
            accepted = driver.createOutputTopic(Topics.CHAT_ACCEPTED.name(),
                    Topics.CHAT_ACCEPTED.keySerde().deserializer(), Topics.CHAT_ACCEPTED.valueSerde().deserializer());
            memberships = driver.createOutputTopic(Topics.MEMBERSHIP_CHANGED.name(),
                    Topics.MEMBERSHIP_CHANGED.keySerde().deserializer(), Topics.MEMBERSHIP_CHANGED.valueSerde().deserializer());
            analytics = driver.createOutputTopic(Topics.ANALYTICS_EVENTS.name(),
                    Topics.ANALYTICS_EVENTS.keySerde().deserializer(), Topics.ANALYTICS_EVENTS.valueSerde().deserializer());
        }

        Instant timeOf(long index) {
            return T0.plusSeconds(index);
        }

        private Instant tick() {
            return timeOf(clock.getAndIncrement());
        }

        Harness join(String meeting, String socket, String gateway, int partition, String name) {
            return pipeMember(meeting, new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, gateway, partition,
                    "p-" + name, name, Role.USER, T0));
        }

        Harness leave(String meeting, String socket, String gateway, int partition) {
            return pipeMember(meeting, new MemberRequest(MemberRequest.Action.LEAVE, meeting, socket, gateway, partition,
                    null, null, null, T0));
        }

        Harness chat(String meeting, String socket, String gateway, int partition, String clientMsgId, String text) {
            return pipeChat(meeting, new ChatRequest(meeting, socket, gateway, partition, "p-" + socket, "n-" + socket,
                    clientMsgId, text, T0));
        }

        Harness pipeMember(String meeting, MemberRequest r) {
            memberRequests.pipeInput(meeting, r, tick());
            return this;
        }

        Harness pipeChat(String meeting, ChatRequest r) {
            chatRequests.pipeInput(meeting, r, tick());
            return this;
        }

        /** Forgets every output so far. */
        Harness drain() {
            deliveries.readRecordsToList();
            accepted.readRecordsToList();
            memberships.readRecordsToList();
            analytics.readRecordsToList();
            return this;
        }

        /** Every output since the last read, per topic, as comparable (key, value, timestamp) triples. */
        List<Object> readAllOutputs() {
            List<Object> all = new ArrayList<>();
            for (TestOutputTopic<String, ?> t : List.of(deliveries, accepted, memberships, analytics)) {
                for (TestRecord<String, ?> r : t.readRecordsToList()) {
                    all.add(List.of(r.key(), r.value(), r.timestamp()));
                }
            }
            return all;
        }

        RoomMemberStore membersStore() {
            return RoomMemberStore.over(driver.getKeyValueStore(RoomTopology.MEMBERS_STORE),
                    driver.getKeyValueStore(RoomTopology.DEPARTURES_STORE));
        }

        /** The first releases' store of chat windows (one value per room), still read for rooms active across an upgrade. */
        KeyValueStore<String, ChatRoomState> legacyChatStore() {
            return driver.getKeyValueStore(RoomTopology.CHAT_STORE);
        }

        /** The room's stored chat window entries, oldest first. */
        List<ChatRoomState.Recent> chatWindow(String meeting) {
            KeyValueStore<String, ChatRoomState.Recent> store = driver.getKeyValueStore(RoomTopology.CHAT_RECENT_STORE);
            List<ChatRoomState.Recent> l = new java.util.ArrayList<>();
            try (var it = store.prefixScan(meeting + "|", new org.apache.kafka.common.serialization.StringSerializer())) {
                it.forEachRemaining(kv -> l.add(kv.value));
            }
            l.sort(java.util.Comparator.comparingLong(ChatRoomState.Recent::seq));
            return l;
        }

        List<Member> members(String meeting) {
            RoomMembers m = membersStore().get(meeting);
            return m == null ? List.of() : m.members();
        }

        /** The stores' contents: what a changelog restores. */
        Map<String, List<KeyValue<String, Object>>> snapshotStores() {
            return Map.of(RoomTopology.MEMBERS_STORE, dump(driver.getKeyValueStore(RoomTopology.MEMBERS_STORE)),
                    RoomTopology.DEPARTURES_STORE, dump(driver.getKeyValueStore(RoomTopology.DEPARTURES_STORE)),
                    RoomTopology.CHAT_RECENT_STORE, dump(driver.getKeyValueStore(RoomTopology.CHAT_RECENT_STORE)),
                    RoomTopology.CHAT_CLOSED_STORE, dump(driver.getKeyValueStore(RoomTopology.CHAT_CLOSED_STORE)),
                    RoomTopology.CHAT_STORE, dump(driver.getKeyValueStore(RoomTopology.CHAT_STORE)));
        }

        void restoreStores(Map<String, List<KeyValue<String, Object>>> snapshot) {
            snapshot.forEach((store, entries) -> {
                KeyValueStore<String, Object> s = driver.getKeyValueStore(store);
                List<String> keys = new ArrayList<>();
                try (KeyValueIterator<String, Object> it = s.all()) {
                    it.forEachRemaining(kv -> keys.add(kv.key));
                }
                keys.forEach(s::delete);
                entries.forEach(kv -> s.put(kv.key, kv.value));
            });
        }

        private static List<KeyValue<String, Object>> dump(KeyValueStore<String, Object> s) {
            List<KeyValue<String, Object>> l = new ArrayList<>();
            try (KeyValueIterator<String, Object> it = s.all()) {
                it.forEachRemaining(l::add);
            }
            return l;
        }

        /**
         * What the driver's producer wrote to a topic, with the partition each record went to. TestRecord has
         * no partition, so this peeks (without consuming) at the driver's captured ProducerRecords.
         */
        @SuppressWarnings("unchecked")
        List<ProducerRecord<byte[], byte[]>> producedTo(String topic) {
            try {
                var f = TopologyTestDriver.class.getDeclaredField("outputRecordsByTopic");
                f.setAccessible(true);
                Map<String, Queue<ProducerRecord<byte[], byte[]>>> byTopic =
                        (Map<String, Queue<ProducerRecord<byte[], byte[]>>>) f.get(driver);
                return List.copyOf(byTopic.getOrDefault(topic, new ArrayDeque<>()));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("TopologyTestDriver no longer keeps its output in 'outputRecordsByTopic'", e);
            }
        }
    }
}
