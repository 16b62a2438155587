package dev.rendezvous.forwarder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.ForwarderEvent;
import dev.rendezvous.topics.model.MediaSignal;
import dev.rendezvous.topics.model.MediaTrack;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Signaling reaches the SFU through Kafka and only the addressed forwarder acts on it: two real forwarder
 * processes (in this JVM) read the same commands partition of a real broker; an offer keyed for one of them
 * is answered by that one alone, on {@code forwarder.event.emitted}, with an ICE-lite answer naming its own
 * media port. A broken offer gets an ERROR event for that socket and the forwarder carries on.
 */
class ForwarderSignalingIT {

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ConfigurableApplicationContext forwarderA;
    private static ConfigurableApplicationContext forwarderB;
    private static String idA = "fwd-sig-a";
    private static String idB;

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        int partitions = Topics.FORWARDER_COMMANDS.partitions();
        int target = ForwarderKafka.partitionForKey(idA, partitions);
        for (int i = 0; idB == null; i++) {
            if (ForwarderKafka.partitionForKey("fwd-sig-b" + i, partitions) == target) {
                idB = "fwd-sig-b" + i; // shares A's partition: it reads A's commands and must ignore them
            }
        }
        forwarderA = forwarder(idA);
        forwarderB = forwarder(idB);
        for (ConfigurableApplicationContext app : List.of(forwarderA, forwarderB)) {
            await("forwarder ready").atMost(Duration.ofSeconds(60)).until(() ->
                    app.getBean(dev.rendezvous.forwarder.command.CommandIntake.class).status().ready());
        }
    }

    private static ConfigurableApplicationContext forwarder(String id) {
        return new SpringApplicationBuilder(MediaForwarderApplication.class)
                .main(MediaForwarderApplication.class)
                .run("--server.port=0",
                        "--management.server.port=0",
                        "--rendezvous.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "--rendezvous.forwarder.id=" + id,
                        "--rendezvous.forwarder.udp-port=0");
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] {forwarderA, forwarderB}) {
            if (app != null) {
                app.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldAnswerAnOfferFromTheTopicOnlyFromTheAddressedForwarder() throws Exception {
        String meeting = UUID.randomUUID().toString();
        double ignoredBeforeThisTest = forwarderB.getBean(MeterRegistry.class)
                .counter("rendezvous.forwarder.commands", "result", "ignored").count();
        List<MediaTrack> tracks = List.of(
                new MediaTrack("0", null, null, MediaTrack.Kind.AUDIO, MediaTrack.Source.MICROPHONE, false),
                new MediaTrack("1", null, null, MediaTrack.Kind.VIDEO, MediaTrack.Source.CAMERA, false));
        try (KafkaConsumer<String, byte[]> events = eventsFromNow(); KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, new ForwarderCommand(idA, meeting, "socket-1", "participant-1", ForwarderCommand.Kind.OFFER,
                    MediaSignal.offer(MediaSignal.Pc.PUBLISH, chromiumOffer(), tracks), Instant.now()));
            send(producer, new ForwarderCommand(idA, meeting, "socket-2", "participant-2", ForwarderCommand.Kind.OFFER,
                    MediaSignal.offer(MediaSignal.Pc.PUBLISH, "v=0\r\nthis is not sdp", List.of()), Instant.now()));

            List<ForwarderEvent> seen = new ArrayList<>();
            await("answer and error events").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                    ForwarderEvent e = Topics.FORWARDER_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    assertThat(r.key()).as("events are keyed by meeting").isEqualTo(e.meetingId());
                    if (meeting.equals(e.meetingId())) {
                        seen.add(e);
                    }
                }
                return seen.stream().anyMatch(e -> e.kind() == ForwarderEvent.Kind.ANSWER)
                        && seen.stream().anyMatch(e -> e.kind() == ForwarderEvent.Kind.ERROR);
            });
            assertThat(seen).extracting(ForwarderEvent::forwarderId).containsOnly(idA);
            ForwarderEvent answer = seen.stream().filter(e -> e.kind() == ForwarderEvent.Kind.ANSWER).findFirst().orElseThrow();
            int port = forwarderA.getBean(MediaEngine.class).port();
            assertThat(answer.socketId()).isEqualTo("socket-1");
            assertThat(answer.signal().pc()).isEqualTo(MediaSignal.Pc.PUBLISH);
            assertThat(answer.signal().sdp()).contains("a=ice-lite", "a=setup:passive", "a=recvonly",
                    "127.0.0.1 " + port + " typ host");
            ForwarderEvent error = seen.stream().filter(e -> e.kind() == ForwarderEvent.Kind.ERROR).findFirst().orElseThrow();
            assertThat(error.socketId()).isEqualTo("socket-2");
            assertThat(error.signal().error()).isEqualTo("bad_offer");

            MeterRegistry registryB = forwarderB.getBean(MeterRegistry.class);
            await("B reads both commands on the shared partition and ignores them").atMost(Duration.ofSeconds(30))
                    .until(() -> registryB.counter("rendezvous.forwarder.commands", "result", "ignored").count()
                            >= ignoredBeforeThisTest + 2);
            assertThat(registryB.counter("rendezvous.forwarder.commands", "result", "accepted").count()).isZero();
            // the engine of A holds the participant; B's holds nothing
            assertThat(forwarderA.getBean(MediaEngine.class).snapshot().participants()).isEqualTo(1);
            assertThat(forwarderB.getBean(MediaEngine.class).snapshot().participants()).isZero();
        }
    }

    @Test
    void shouldSendEachPublisherASubscribeOfferForTheOthersTracksRightAfterItsAnswer() throws Exception {
        String meeting = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> events = eventsFromNow(); KafkaProducer<String, byte[]> producer = producer()) {
            for (String socket : List.of("alice", "bob")) {
                send(producer, new ForwarderCommand(idA, meeting, socket, "p-" + socket, ForwarderCommand.Kind.OFFER,
                        MediaSignal.offer(MediaSignal.Pc.PUBLISH,
                                chromiumOffer().replace("a=ice-ufrag:Zq3x", "a=ice-ufrag:" + socket), List.of()),
                        Instant.now()));
            }
            List<ConsumerRecord<String, ForwarderEvent>> seen = new ArrayList<>();
            await("answers and subscribe offers for both").atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : events.poll(Duration.ofMillis(200))) {
                    ForwarderEvent e = Topics.FORWARDER_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (meeting.equals(e.meetingId())) {
                        seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
                                r.timestampType(), 0, 0, r.key(), e, r.headers(), java.util.Optional.empty()));
                    }
                }
                return seen.stream().filter(r -> r.value().kind() == ForwarderEvent.Kind.OFFER).count() >= 2;
            });
            List<String> order = seen.stream().map(r -> r.value().kind() + ":" + r.value().socketId()).toList();
            // Bob's answer comes before any offer that depends on it; then Alice gets Bob's tracks, Bob gets Alice's
            assertThat(order).containsSubsequence("ANSWER:alice", "ANSWER:bob", "OFFER:alice");
            assertThat(order).containsSubsequence("ANSWER:bob", "OFFER:bob");
            ForwarderEvent toBob = seen.stream().map(ConsumerRecord::value)
                    .filter(e -> e.kind() == ForwarderEvent.Kind.OFFER && e.socketId().equals("bob")).findFirst().orElseThrow();
            assertThat(toBob.signal().pc()).isEqualTo(MediaSignal.Pc.SUBSCRIBE);
            assertThat(toBob.signal().tracks()).extracting(MediaTrack::socketId).containsOnly("alice");
            assertThat(toBob.signal().tracks()).extracting(MediaTrack::kind)
                    .containsExactly(MediaTrack.Kind.AUDIO, MediaTrack.Kind.VIDEO);
            long answerToBob = seen.stream().filter(r -> r.value().kind() == ForwarderEvent.Kind.ANSWER
                    && r.value().socketId().equals("bob")).findFirst().orElseThrow().timestamp();
            long offerToBob = seen.stream().filter(r -> r.value().kind() == ForwarderEvent.Kind.OFFER
                    && r.value().socketId().equals("bob")).findFirst().orElseThrow().timestamp();
            System.out.println("forwarder: answer to offer for bob " + (offerToBob - answerToBob) + " ms apart");
        }
    }

    private static String chromiumOffer() throws Exception {
        try (InputStream in = ForwarderSignalingIT.class.getResourceAsStream("/sdp/chromium-publish-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, ForwarderCommand c) throws Exception {
        producer.send(new ProducerRecord<>(Topics.FORWARDER_COMMANDS.name(), c.forwarderId(),
                Topics.FORWARDER_COMMANDS.valueSerde().serializer().serialize(Topics.FORWARDER_COMMANDS.name(), c))).get();
    }

    private static KafkaConsumer<String, byte[]> eventsFromNow() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        String topic = Topics.FORWARDER_EVENTS.name();
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
