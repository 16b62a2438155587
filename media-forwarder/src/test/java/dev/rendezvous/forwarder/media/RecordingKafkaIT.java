package dev.rendezvous.forwarder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.forwarder.kafka.RecordingKafka;
import dev.rendezvous.forwarder.media.PacketHarness.Client;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import dev.rendezvous.topics.model.RecordingControl;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording through a real broker: a start request on {@code recording.control.requested} for this forwarder
 * starts the tap (one for another forwarder does not), the room's packets come out on
 * {@code recording.chunk.captured} keyed by the recording id, complete and in order, and a stop ends every track.
 */
class RecordingKafkaIT {

    @TempDir
    static Path dir;
    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        try (ForwarderKafka k = new ForwarderKafka(broker.bootstrapServers(), "recording-it")) {
            k.provisionTopics(1);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void startAndStopFromTheTopicAndTheRoomsPacketsOnTheChunkTopic() throws Exception {
        try (PacketHarness h = new PacketHarness();
             RecordingKafka recordings = new RecordingKafka(broker.bootstrapServers(), "fw-it", "fw-it");
             KafkaProducer<String, byte[]> producer = producer();
             KafkaConsumer<String, byte[]> chunks = consumer()) {
            h.engine.recordingChunks(recordings::publish);
            CountDownLatch ready = new CountDownLatch(1);
            recordings.startControls(c -> {
                switch (c.action()) {
                    case START -> h.engine.startRecording(c.meetingId(), c.recordingId());
                    case STOP -> h.engine.stopRecording(c.meetingId(), c.recordingId());
                }
            }, ready::countDown);
            assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
            Client a = h.client("A").join();
            Client b = h.client("B").join();
            a.answer();
            b.answer();

            control(producer, "rec-other", RecordingControl.Action.START, "another-forwarder");
            control(producer, "rec-it", RecordingControl.Action.START, "fw-it");
            // both requests share the meeting's partition: once rec-it runs, the other forwarder's was read and ignored
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                RecordingCapture.Tap tap = h.engine.router(PacketHarness.MEETING).recording;
                return tap != null && tap.recordingId.equals("rec-it");
            });
            for (int i = 1; i <= 30; i++) {
                a.sendVideo(1000 + i, 3000L * i, i == 1);
                b.sendAudio(10 + i, 960L * i);
            }
            control(producer, "rec-it", RecordingControl.Action.STOP, "fw-it");

            List<RecordingChunk> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : chunks.poll(Duration.ofMillis(200))) {
                    assertThat(r.key()).isEqualTo("rec-it");
                    got.add(RecordingChunkCodec.decode(r.value()));
                }
                return got.stream().anyMatch(RecordingChunk::isEnd);
            });
            assertThat(got).filteredOn(RecordingChunk::last).hasSize(3);
            RecordingChunk marker = got.get(got.size() - 1);
            assertThat(marker.isEnd()).as("the end marker follows every track's last chunk").isTrue();
            assertThat(marker.trackId()).isEqualTo(RecordingChunk.END_TRACK_ID);
            assertThat(marker.kind()).isEqualTo(RecordingChunk.END_KIND);
            assertThat(marker.packets()).isEmpty();
            assertThat(got).allSatisfy(c -> {
                assertThat(c.recordingId()).isEqualTo("rec-it");
                assertThat(c.forwarderId()).isEqualTo("fw-it");
                assertThat(c.meetingId()).isEqualTo(PacketHarness.MEETING);
            });
            List<RecordingChunk> video = got.stream().filter(c -> c.kind().equals("video")).toList();
            List<RecordingChunk> audio = got.stream().filter(c -> c.kind().equals("audio")).toList();
            assertThat(video.get(0).participantId()).isEqualTo("p-A");
            assertThat(video.get(0).source()).isEqualTo("camera");
            assertThat(audio.get(0).participantId()).isEqualTo("p-B");
            assertThat(audio.get(0).source()).isEqualTo("microphone");
            List<byte[]> videoPackets = video.stream().flatMap(c -> c.packets().stream())
                    .map(RecordingChunk.Packet::rtp).toList();
            assertThat(videoPackets).hasSize(30);
            for (int i = 1; i < videoPackets.size(); i++) {
                assertThat((Rtp.sequence(videoPackets.get(i), 0) - Rtp.sequence(videoPackets.get(i - 1), 0)) & 0xFFFF)
                        .isEqualTo(1);
            }
            assertThat(audio.stream().mapToInt(c -> c.packets().size()).sum()).isEqualTo(30);
            assertThat(recordings.chunksFailed()).isZero();
        }
    }

    private static void control(KafkaProducer<String, byte[]> producer, String recordingId,
                                RecordingControl.Action action, String forwarderId) throws Exception {
        RecordingControl c = new RecordingControl(PacketHarness.MEETING, recordingId, action, forwarderId, Instant.now());
        byte[] value = Topics.RECORDING_CONTROL.valueSerde().serializer().serialize(Topics.RECORDING_CONTROL.name(), c);
        producer.send(new ProducerRecord<>(Topics.RECORDING_CONTROL.name(), PacketHarness.MEETING, value)).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "recording-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(Topics.RECORDING_CHUNKS.name()));
        return c;
    }
}
