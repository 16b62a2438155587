package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.Stack;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderMetrics;
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
 * Placement and failover across real processes: the stack's stream-apps and forwarder, plus two more forwarder
 * processes, one with twice the other's capacity. Rooms are placed by JOINs written to {@code room.member.requested}.
 * First, among the rooms placed on either extra forwarder the bigger gets 2/3, by a chi-squared test at p = 0.001
 * (weight = free capacity × a penalty that stays ~1 while they idle; other forwarders in the fleet do not change
 * that share: with rendezvous hashing the winner among a subset is chosen in proportion to the subset's weights).
 * Then the smaller is SIGKILLed; every room it held is on its standby (a MIGRATING placement naming the old standby
 * as primary) within 5 s, and each room's member is told media-moved.
 */
class ForwarderFailoverIT {

    private static final int BATCH = 12;
    private static final int MAX_ROOMS = 96;
    /** Rooms placed for the spread check. */
    private static final int SPREAD_ROOMS = 300;
    /** The 99.9 % quantile of chi-squared with one degree of freedom. */
    private static final double CHI2_CRITICAL = 10.83;
    private static final String GATEWAY = "gw-failover-it";

    private final Stack stack = TestSystem.get();

    @Test
    void shouldMoveTheRoomsOfAKilledForwarderToTheirStandbysWithin5s() throws Exception {
        try (ExtraForwarders extra = new ExtraForwarders(stack);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     stack.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> placements = consumer("placements");
             KafkaConsumer<String, byte[]> deliveries = consumer("deliveries")) {
            extra.start("fwd-fo-b", Map.of("rendezvous.forwarder.capacity", "4000"));
            extra.start("fwd-fo-c", Map.of("rendezvous.forwarder.capacity", "8000"));
            placements.subscribe(List.of(Topics.PLACEMENT_ASSIGNED.name()));
            deliveries.subscribe(List.of(Topics.GATEWAY_DELIVERIES.name()));
            awaitIdle(List.of("fwd-fo-b", "fwd-fo-c"));

            // rooms spread over the three forwarders; stream-apps may see the new forwarders' first metrics a moment
            // after they are ready, so rooms are opened in batches until some are on the one to be killed
            Map<String, RoomPlacement> latest = new HashMap<>();
            Set<String> meetings = new HashSet<>();
            while (meetings.size() < MAX_ROOMS && latest.values().stream()
                    .noneMatch(p -> p.primaryForwarderId().equals("fwd-fo-b"))) {
                openRooms(producer, placements, BATCH, meetings, latest);
            }
            // the spread: new rooms in proportion to the weights (the rooms above told stream-apps of both)
            Set<String> spread = openRooms(producer, placements, SPREAD_ROOMS, meetings, latest);
            long small = spread.stream().filter(id -> latest.get(id).primaryForwarderId().equals("fwd-fo-b")).count();
            long big = spread.stream().filter(id -> latest.get(id).primaryForwarderId().equals("fwd-fo-c")).count();
            double n = small + big;
            double chi2 = Math.pow(big - n * 2 / 3, 2) / (n * 2 / 3) + Math.pow(small - n / 3, 2) / (n / 3);
            System.out.printf("[spread] %d rooms: %d on fwd-fo-c (capacity 8000), %d on fwd-fo-b (4000), %d elsewhere;"
                    + " chi2 = %.2f%n", SPREAD_ROOMS, big, small, SPREAD_ROOMS - (long) n, chi2);
            assertThat(n).as("most rooms on the two big forwarders").isGreaterThan(SPREAD_ROOMS * 0.75);
            assertThat(chi2).as("%d : %d is 2 : 1 (chi-squared, 1 degree of freedom, p = 0.001)", big, small)
                    .isLessThan(CHI2_CRITICAL);

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

    /**
     * Waits until the forwarders report an idle CPU: a JVM just started spends CPU compiling, which placement rightly
     * counts as a penalty, and the spread is measured on weights that are then capacity alone.
     */
    private void awaitIdle(List<String> forwarders) {
        Map<String, ForwarderMetrics> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> metrics = consumer("metrics")) {
            metrics.subscribe(List.of(Topics.FORWARDER_METRICS.name()));
            await("the new forwarders report an idle CPU").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : metrics.poll(Duration.ofMillis(100))) {
                            ForwarderMetrics m = Topics.FORWARDER_METRICS.valueSerde().deserializer()
                                    .deserialize(r.topic(), r.value());
                            if (m != null && r.key() != null) {
                                latest.put(r.key(), m);
                            }
                        }
                        return forwarders.stream().allMatch(id -> latest.get(id) != null
                                && latest.get(id).cpuLoad() < 0.2);
                    });
        }
    }

    /** Opens {@code count} new rooms (added to {@code meetings}) and waits until each is placed; returns them. */
    private Set<String> openRooms(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> placements,
                                  int count, Set<String> meetings, Map<String, RoomPlacement> latest) throws Exception {
        Set<String> opened = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String meeting = UUID.randomUUID().toString();
            opened.add(meeting);
            join(producer, meeting);
        }
        meetings.addAll(opened);
        await("every room placed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    read(placements, meetings, latest);
                    return latest.keySet().containsAll(opened);
                });
        return opened;
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
