package dev.rendezvous.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.support.RunningGateway;
import dev.rendezvous.gateway.support.StalledClient;
import dev.rendezvous.gateway.support.StreamAppsDouble;
import dev.rendezvous.gateway.support.TestInfra;
import dev.rendezvous.gateway.support.WsClient;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.GatewayHeartbeat;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import dev.rendezvous.topics.serde.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence at the gateway, against a real broker and PostgreSQL: a socket whose client stops answering WebSocket pings
 * is closed and leaves its meeting (a LEAVE on {@code room.member.requested}) while one that answers stays; a gateway
 * beats on {@code gateway.heartbeat.reported} while it runs and says it is going away when it is closed.
 */
class GatewayPresenceIT {

    private static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.start("gw_presence",
                "--rendezvous.gateway.presence.ping-interval=PT0.3S",
                "--rendezvous.gateway.presence.idle-timeout=PT1.5S",
                "--rendezvous.gateway.presence.heartbeat-interval=PT0.3S");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void shouldCloseASocketThatStopsAnsweringPingsWithItsLeaveAndKeepOneThatAnswers() throws Exception {
        Map<String, String> host = gw.newUser("Hope");
        String meetingId = gw.newMeeting(host.get("token"), "Hung").get("meetingId");
        try (StreamAppsDouble apps = new StreamAppsDouble();
             WsClient live = WsClient.connect(gw);
             StalledClient hung = StalledClient.connect(gw)) {
            assertThat(live.next().get("type").asString()).isEqualTo("hello");
            String hungId = Json.mapper().readTree(hung.readFrame()).get("socketId").asString();
            hung.sendText(Json.mapper().writeValueAsString(
                    Map.of("type", "join", "meetingId", meetingId, "token", host.get("token"))));
            apps.await(Topics.MEMBER_REQUESTED, r -> r.action() == MemberRequest.Action.JOIN && hungId.equals(r.socketId()));
            Participant you = new Participant(host.get("userId"), "Hope", Role.HOST, hungId);
            apps.deliver(gw.id, gw.deliveryPartition(), new GatewayDelivery(gw.id, gw.deliveryPartition(), List.of(hungId),
                    RoomEvent.joined(meetingId, you, List.of(you))));

            // the hung client reads nothing more, so it answers no ping: closed, and its LEAVE goes out
            MemberRequest leave = apps.await(Topics.MEMBER_REQUESTED,
                    r -> r.action() == MemberRequest.Action.LEAVE && hungId.equals(r.socketId())).value();
            assertThat(leave.meetingId()).isEqualTo(meetingId);
            assertThat(leave.gatewayId()).isEqualTo(gw.id);

            // the JDK client answers pings by itself: still open after twice the idle timeout, and usable
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(live::isOpen);
            live.send("{\"type\":\"ping\"}");
            assertThat(live.next().get("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void shouldBeatWhileRunningAndSayGoingAwayWhenClosed() {
        try (KafkaConsumer<String, GatewayHeartbeat> beats = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafkaBootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "presence-it-" + UUID.randomUUID()),
                new StringDeserializer(), Topics.GATEWAY_HEARTBEATS.valueSerde().deserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            beats.partitionsFor(Topics.GATEWAY_HEARTBEATS.name())
                    .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            beats.assign(parts);
            beats.seekToBeginning(parts);
            List<GatewayHeartbeat> seen = new ArrayList<>();

            RunningGateway other = RunningGateway.start("gw_presence_beats",
                    "--rendezvous.gateway.presence.heartbeat-interval=PT0.3S");
            try {
                await().atMost(WsClient.WAIT).until(() -> {
                    beats.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (other.id.equals(r.key())) {
                            seen.add(r.value());
                        }
                    });
                    return seen.size() >= 3;
                });
            } finally {
                other.close();
            }
            assertThat(seen).allSatisfy(b -> {
                assertThat(b.gatewayId()).isEqualTo(other.id);
                assertThat(b.status()).isEqualTo(GatewayHeartbeat.Status.ALIVE);
            });
            assertThat(seen).extracting(GatewayHeartbeat::instanceId).containsOnly(seen.get(0).instanceId());
            assertThat(seen).extracting(GatewayHeartbeat::at).isSorted().doesNotHaveDuplicates();

            await().atMost(WsClient.WAIT).until(() -> {
                beats.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (other.id.equals(r.key())) {
                        seen.add(r.value());
                    }
                });
                return seen.get(seen.size() - 1).status() == GatewayHeartbeat.Status.GOING_AWAY;
            });
            assertThat(seen.get(seen.size() - 1).instanceId()).isEqualTo(seen.get(0).instanceId());
        }
    }
}
