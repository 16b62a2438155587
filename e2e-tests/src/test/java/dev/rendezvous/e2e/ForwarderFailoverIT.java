package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.model.RoomPlacement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Failover across real processes: the stack's stream-apps and forwarder, plus two more forwarder processes. Rooms are
 * placed by JOINs written to {@code room.member.requested}; one of the extra forwarders is SIGKILLed; every room it
 * held is on its standby (a MIGRATING placement naming the old standby as primary) within 5 s, and each room's member
 * is told media-moved.
 */
class ForwarderFailoverIT {

    private static final int BATCH = 12;
    private static final int MAX_ROOMS = 96;
    private static final String GATEWAY = "gw-failover-it";

    private final Stack stack = TestSystem.get();

    @Test
    void shouldMoveTheRoomsOfAKilledForwarderToTheirStandbysWithin5s() throws Exception {
        try (ExtraForwarders extra = new ExtraForwarders(stack);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     stack.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> placements = consumer("placements");
             KafkaConsumer<String, byte[]> deliveries = consumer("deliveries")) {
            extra.start("fwd-fo-b");
            extra.start("fwd-fo-c");
            placements.subscribe(List.of(Topics.PLACEMENT_ASSIGNED.name()));
            deliveries.subscribe(List.of(Topics.GATEWAY_DELIVERIES.name()));

            // rooms spread over the three forwarders; stream-apps may see the new forwarders' first metrics a moment
            // after they are ready, so rooms are opened in batches until some are on the one to be killed
            Map<String, RoomPlacement> latest = new HashMap<>();
            Set<String> meetings = new HashSet<>();
            while (meetings.size() < MAX_ROOMS && latest.values().stream()
                    .noneMatch(p -> p.primaryForwarderId().equals("fwd-fo-b"))) {
                Set<String> batch = new HashSet<>();
                for (int i = 0; i < BATCH; i++) {
                    String meeting = UUID.randomUUID().toString();
                    batch.add(meeting);
                    join(producer, meeting);
                }
                meetings.addAll(batch);
                await("every room placed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            read(placements, meetings, latest);
                            return latest.keySet().containsAll(batch);
                        });
            }
            Map<String, RoomPlacement> before = new HashMap<>(latest);
            List<String> onVictim = before.values().stream()
                    .filter(p -> p.primaryForwarderId().equals("fwd-fo-b")).map(RoomPlacement::meetingId).toList();
            assertThat(onVictim).as("some of %d rooms on fwd-fo-b: %s", meetings.size(), before.values()).isNotEmpty();
            assertThat(before.values()).allSatisfy(p -> assertThat(p.standbyForwarderIds()).hasSize(1));

            extra.kill("fwd-fo-b");
            Instant killed = Instant.now();
            await("its rooms on their standbys").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        read(placements, meetings, latest);
                        return onVictim.stream().allMatch(id -> latest.get(id).primaryForwarderId()
                                .equals(before.get(id).standbyForwarderIds().get(0)));
                    });
            System.out.println("[failover] " + onVictim.size() + " room(s) moved "
                    + Duration.between(killed, Instant.now()).toMillis() + " ms after the SIGKILL");
            for (String id : onVictim) {
                RoomPlacement now = latest.get(id);
                assertThat(now.status()).isEqualTo(RoomPlacement.Status.MIGRATING);
                assertThat(now.standbyForwarderIds()).doesNotContain("fwd-fo-b", now.primaryForwarderId());
            }
            // the rooms on the other forwarders did not move
            for (String id : meetings) {
                if (!onVictim.contains(id)) {
                    assertThat(latest.get(id).primaryForwarderId()).isEqualTo(before.get(id).primaryForwarderId());
                }
            }
            // every moved room's member was told
            Set<String> told = new HashSet<>();
            await("media-moved to each moved room").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : deliveries.poll(Duration.ofMillis(100))) {
                            GatewayDelivery d = Topics.GATEWAY_DELIVERIES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                            if (d != null && d.event() != null && d.event().type() == RoomEvent.Type.MEDIA_MOVED) {
                                told.add(d.event().meetingId());
                            }
                        }
                        return told.containsAll(onVictim);
                    });
        }
    }

    private void join(KafkaProducer<String, byte[]> producer, String meeting) throws Exception {
        MemberRequest join = new MemberRequest(MemberRequest.Action.JOIN, meeting, "s-" + meeting, GATEWAY, 0,
                "p-" + meeting, "Member", Role.USER, Instant.now());
        producer.send(new ProducerRecord<>(Topics.MEMBER_REQUESTED.name(), meeting,
                Topics.MEMBER_REQUESTED.valueSerde().serializer().serialize(Topics.MEMBER_REQUESTED.name(), join))).get();
    }

    private static void read(KafkaConsumer<String, byte[]> consumer, Set<String> meetings, Map<String, RoomPlacement> latest) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            RoomPlacement p = Topics.PLACEMENT_ASSIGNED.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (p != null && meetings.contains(r.key())) {
                latest.put(r.key(), p);
            }
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String what) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                "group.id", "e2e-failover-" + what + "-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
