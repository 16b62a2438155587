package dev.rendezvous.forwarder.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.forwarder.kafka.ForwarderKafka.KeyedCommand;
import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.RecordingControl;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The forwarder's two consumers on a real broker. Commands: a new process reads its partition from the end, and a
 * consumer started again within the process (what the runtime's retry does after a failure) goes on after the
 * last command handled, or from where it started if it had none, so the commands sent while it was down reach it,
 * once. Recording controls: a consumer that
 * fails is replaced by one that goes on where it stopped, on every partition.
 */
class ForwarderConsumersIT {

    private static final String FORWARDER = "fw-commands-it";

    @TempDir
    static Path dir;
    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        try (ForwarderKafka k = new ForwarderKafka(broker.bootstrapServers(), "commands-it")) {
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
    void aRestartedConsumerGoesOnAfterTheLastCommandHandledAndANewProcessFromTheEnd() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer();
             ForwarderKafka kafka = new ForwarderKafka(broker.bootstrapServers(), "commands-it-a")) {
            send(producer, "before-start"); // addressed to a process that no longer exists
            List<String> got = new CopyOnWriteArrayList<>();

            read(kafka, got).dispose(); // down before its first command
            send(producer, "m-1");
            Disposable first = read(kafka, got);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("m-1"));
            first.dispose(); // the consumer is down (the runtime's retry waits before it starts it again)

            send(producer, "m-2");
            send(producer, "m-3");
            Disposable second = read(kafka, got);
            try {
                send(producer, "m-4");
                await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("m-4"));
                assertThat(got).as("nothing from before the first start, nothing twice, nothing lost meanwhile")
                        .containsExactly("m-1", "m-2", "m-3", "m-4");
            } finally {
                second.dispose();
            }
        }

        try (KafkaProducer<String, byte[]> producer = producer();
             ForwarderKafka restarted = new ForwarderKafka(broker.bootstrapServers(), "commands-it-b")) {
            send(producer, "m-5"); // while no process reads
            List<String> got = new CopyOnWriteArrayList<>();
            Disposable d = read(restarted, got);
            try {
                send(producer, "m-6");
                await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("m-6"));
                assertThat(got).as("a new process starts from the end").containsExactly("m-6");
            } finally {
                d.dispose();
            }
        }
    }

    @Test
    void aFailedRecordingControlConsumerIsReplacedAndNoRequestSentMeanwhileIsLost() throws Exception {
        AtomicBoolean failNextPoll = new AtomicBoolean();
        AtomicInteger created = new AtomicInteger();
        CountDownLatch sentWhileDown = new CountDownLatch(1);
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        try (KafkaProducer<String, byte[]> producer = producer();
             RecordingKafka recordings = new RecordingKafka(KafkaConnection.of(broker.bootstrapServers()),
                     "controls-it", FORWARDER, config -> {
                         if (created.incrementAndGet() > 1) {
                             awaitQuietly(sentWhileDown); // the replacement comes after the requests below
                         }
                         return new KafkaConsumer<String, byte[]>(config) {
                             @Override
                             public ConsumerRecords<String, byte[]> poll(Duration timeout) {
                                 if (failNextPoll.getAndSet(false)) {
                                     throw new KafkaException("injected consumer failure");
                                 }
                                 return super.poll(timeout);
                             }
                         };
                     })) {
            control(producer, "m-old", "rec-before-start");
            recordings.startControls(c -> got.add(c.recordingId()), ready::countDown);
            assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
            control(producer, "m-1", "rec-1");
            control(producer, "m-1", "rec-other-forwarder", "another-forwarder");
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("rec-1"));

            failNextPoll.set(true);
            await().atMost(Duration.ofSeconds(30)).until(() -> created.get() == 2); // failed, a new one asked for
            for (int m = 2; m <= 7; m++) { // meetings on partitions the first consumer never had a record of too
                control(producer, "m-" + m, "rec-" + m);
            }
            sentWhileDown.countDown();
            control(producer, "m-8", "rec-8");
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("rec-8") && got.size() >= 8);
            assertThat(got).as("none lost, none twice, none for another forwarder or from before the start")
                    .containsExactlyInAnyOrder("rec-1", "rec-2", "rec-3", "rec-4", "rec-5", "rec-6", "rec-7", "rec-8");
            assertThat(created).hasValue(2);
        }
    }

    private static void control(KafkaProducer<String, byte[]> producer, String meeting, String recordingId)
            throws Exception {
        control(producer, meeting, recordingId, FORWARDER);
    }

    private static void control(KafkaProducer<String, byte[]> producer, String meeting, String recordingId,
                                String forwarder) throws Exception {
        RecordingControl c = new RecordingControl(meeting, recordingId, RecordingControl.Action.START, forwarder,
                Instant.now());
        producer.send(new ProducerRecord<>(Topics.RECORDING_CONTROL.name(), meeting,
                Topics.RECORDING_CONTROL.valueSerde().serializer().serialize(Topics.RECORDING_CONTROL.name(), c))).get();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Subscribes as the runtime does (handled after each command); returns once the consumer is positioned. */
    private static Disposable read(ForwarderKafka kafka, List<String> meetings) throws InterruptedException {
        CountDownLatch assigned = new CountDownLatch(1);
        Disposable d = kafka.commands(FORWARDER, p -> assigned.countDown()).subscribe((KeyedCommand c) -> {
            kafka.handled(c); // before the test can see it (the runtime records it after the handler)
            meetings.add(c.command().meetingId());
        });
        assertThat(assigned.await(60, TimeUnit.SECONDS)).as("commands consumer positioned").isTrue();
        return d;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String meeting) throws Exception {
        ForwarderCommand c = new ForwarderCommand(FORWARDER, meeting, "socket-1", "participant-1",
                ForwarderCommand.Kind.CLOSE_ROOM, null, Instant.now());
        producer.send(new ProducerRecord<>(Topics.FORWARDER_COMMANDS.name(), FORWARDER,
                Topics.FORWARDER_COMMANDS.valueSerde().serializer().serialize(Topics.FORWARDER_COMMANDS.name(), c))).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
