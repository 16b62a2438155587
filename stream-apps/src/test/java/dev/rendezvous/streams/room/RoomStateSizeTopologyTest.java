package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.config.RoomStreamsSettings;
import dev.rendezvous.streams.config.StreamsProperties;
import dev.rendezvous.streams.room.RoomMetrics.Outcome;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room's state stays small however many join: no record the room processor writes (outputs and changelogs) grows
 * with the room past what a producer can send, the room stops at its socket ceiling with a clear refusal, and the
 * task goes on serving other rooms. (One value per room passed the producer's limit at ~1,600 joins with long names.)
 */
class RoomStateSizeTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String MEETING = "6f1c1b8e-0000-4000-8000-000000000001";
    private static final String OTHER_MEETING = "6f1c1b8e-0000-4000-8000-000000000002";
    /** Kafka's default producer max.request.size and (about) the broker's message.max.bytes. */
    private static final int PRODUCER_LIMIT = 1_048_576;
    /** One socket's store entry, whatever the room's size. */
    private static final int ENTRY_LIMIT = 2_048;

    @TempDir
    Path stateDir;

    private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldKeepEveryRecordSmallAndTheTaskAliveThrough1600JoinsWithLongNames() {
        RoomTopologyConfig cfg = RoomTopologyConfig.defaults().withMetrics(o -> counts.merge(o, 1, Integer::sum));
        driver = new TopologyTestDriver(RoomTopology.build(new StreamsBuilder(), cfg).build(),
                RoomStreamsSettings.properties(new KafkaConnectionProperties("unused:9092", 1),
                        new StreamsProperties("room-size-test", stateDir, Duration.ofMillis(100), 1), RoomMetrics.none()), T0);
        TestInputTopic<String, MemberRequest> joins = driver.createInputTopic(Topics.MEMBER_REQUESTED.name(),
                new StringSerializer(), Topics.MEMBER_REQUESTED.valueSerde().serializer());
        TestOutputTopic<String, GatewayDelivery> deliveries = driver.createOutputTopic(Topics.GATEWAY_DELIVERIES.name(),
                Topics.GATEWAY_DELIVERIES.keySerde().deserializer(), Topics.GATEWAY_DELIVERIES.valueSerde().deserializer());
        Map<String, Integer> largest = new HashMap<>();

        int n = 1_600;
        for (int i = 0; i < n; i++) {
            String name = ("participant " + i + " ").repeat(20).substring(0, 200);
            joins.pipeInput(MEETING, join(MEETING, "socket-" + i, i, name), T0.plusMillis(i));
            if (i % 50 == 49) {
                drainProduced(largest);
                deliveries.readRecordsToList();
            }
        }
        drainProduced(largest);

        assertThat(largest).containsKeys("room-size-test-" + RoomTopology.MEMBERS_STORE + "-changelog",
                Topics.MEMBERSHIP_CHANGED.name(), Topics.GATEWAY_DELIVERIES.name());
        largest.forEach((topic, size) -> assertThat(size).as("largest record on " + topic).isLessThan(PRODUCER_LIMIT));
        largest.entrySet().stream().filter(e -> e.getKey().endsWith("-changelog"))
                .forEach(e -> assertThat(e.getValue()).as("largest record on " + e.getKey()).isLessThan(ENTRY_LIMIT));
        int ceiling = RoomTopologyConfig.DEFAULT_MAX_SOCKETS_PER_ROOM;
        assertThat(counts.get(Outcome.JOINED)).isEqualTo(ceiling);
        assertThat(counts.get(Outcome.JOIN_REFUSED_ROOM_CAP)).isEqualTo(n - ceiling);
        assertThat(socketsStored()).isEqualTo(ceiling);

        // the task goes on: a join to another room is answered at once; one more to the full room is refused clearly
        deliveries.readRecordsToList();
        joins.pipeInput(OTHER_MEETING, join(OTHER_MEETING, "other-1", 1, "someone"), T0.plusSeconds(10));
        joins.pipeInput(MEETING, join(MEETING, "late", n + 1, "late"), T0.plusSeconds(11));
        List<GatewayDelivery> out = deliveries.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).event().type()).isEqualTo(RoomEvent.Type.JOINED);
        assertThat(out.get(0).socketIds()).containsExactly("other-1");
        assertThat(out.get(1).event().type()).isEqualTo(RoomEvent.Type.REJECTED);
        assertThat(out.get(1).event().errorCode()).isEqualTo("room_full");
        assertThat(out.get(1).event().errorMessage()).contains("limit of 1000 connections");
    }

    private static MemberRequest join(String meeting, String socket, int i, String name) {
        return new MemberRequest(MemberRequest.Action.JOIN, meeting, socket, "gw-" + (i % 4), i % 4,
                "p-" + i, name, Role.USER, T0);
    }

    private int socketsStored() {
        KeyValueStore<String, MemberEntry> s = driver.getKeyValueStore(RoomTopology.MEMBERS_STORE);
        int count = 0;
        try (KeyValueIterator<String, MemberEntry> it = s.all()) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    /** Takes every record the driver's producer wrote so far (outputs and changelogs), keeping the largest size per topic. */
    @SuppressWarnings("unchecked")
    private void drainProduced(Map<String, Integer> largest) {
        try {
            var f = TopologyTestDriver.class.getDeclaredField("outputRecordsByTopic");
            f.setAccessible(true);
            Map<String, Queue<ProducerRecord<byte[], byte[]>>> byTopic =
                    (Map<String, Queue<ProducerRecord<byte[], byte[]>>>) f.get(driver);
            byTopic.forEach((topic, q) -> {
                if (topic.equals(Topics.GATEWAY_DELIVERIES.name())) {
                    return;   // read (and sized) through the output topic below
                }
                for (ProducerRecord<byte[], byte[]> r; (r = q.poll()) != null; ) {
                    int size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                    largest.merge(topic, size, Math::max);
                }
            });
            Queue<ProducerRecord<byte[], byte[]>> d = byTopic.get(Topics.GATEWAY_DELIVERIES.name());
            if (d != null) {
                for (ProducerRecord<byte[], byte[]> r : d) {
                    int size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                    largest.merge(r.topic(), size, Math::max);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
