package dev.rendezvous.forwarder.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.Topics;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder's two readers ({@link PartitionReader}) on a real broker, with real consumers made to fail: a
 * failed consumer is replaced by one that goes on where it stopped, so what is sent while none runs is handed over
 * once, whether the failed one had read anything or not; a new process starts from the end.
 */
class ForwarderConsumersIT {

    private static final String FORWARDER = "fw-consumers-it";

    @TempDir
    static Path dir;
    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        try (ForwarderKafka k = new ForwarderKafka(broker.bootstrapServers(), "consumers-it")) {
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
    void theCommandsReaderGoesOnWhereItStoppedAfterAFailureAndANewProcessStartsFromTheEnd() throws Exception {
        FailingConsumers consumers = new FailingConsumers();
        consumers.failNextPoll.set(true); // the first consumer fails before any command reaches it
        List<String> got = new CopyOnWriteArrayList<>();
        Sink sink = new Sink(got);
        try (KafkaProducer<String, byte[]> producer = producer();
             ForwarderKafka kafka = new ForwarderKafka(broker.bootstrapServers(), "consumers-it-a")) {
            sendCommand(producer, "before-start"); // addressed to a process that no longer exists
            try (AutoCloseable reader = kafka.readCommands(FORWARDER, sink, consumers)) {
                consumers.awaitReplacementAsked(2);
                sendCommand(producer, "m-1"); // while no consumer runs
                consumers.letReplacementStart();
                await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("m-1"));

                consumers.failNextPoll.set(true); // now after a command was handed over
                consumers.awaitReplacementAsked(3);
                sendCommand(producer, "m-2");
                sendCommand(producer, "m-3");
                consumers.letReplacementStart();
                sendCommand(producer, "m-4");
                await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("m-4"));
                assertThat(got).as("nothing from before the start, nothing twice, nothing lost meanwhile")
                        .containsExactly("m-1", "m-2", "m-3", "m-4");
                assertThat(sink.failures).hasValue(2);
            }
        }

        List<String> again = new CopyOnWriteArrayList<>();
        Sink second = new Sink(again);
        try (KafkaProducer<String, byte[]> producer = producer();
             ForwarderKafka restarted = new ForwarderKafka(broker.bootstrapServers(), "consumers-it-b")) {
            sendCommand(producer, "m-5"); // while no process reads
            try (AutoCloseable reader = restarted.readCommands(FORWARDER, second)) {
                assertThat(second.assigned.await(60, TimeUnit.SECONDS)).as("positioned").isTrue();
                sendCommand(producer, "m-6");
                await().atMost(Duration.ofSeconds(30)).until(() -> again.contains("m-6"));
                assertThat(again).as("a new process starts from the end").containsExactly("m-6");
            }
        }
    }

    @Test
    void aFailedRecordingControlConsumerIsReplacedAndNoRequestSentMeanwhileIsLost() throws Exception {
        FailingConsumers consumers = new FailingConsumers();
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        try (KafkaProducer<String, byte[]> producer = producer();
             RecordingKafka recordings = new RecordingKafka(KafkaConnection.of(broker.bootstrapServers()),
                     "controls-it", FORWARDER, consumers)) {
            control(producer, "m-old", "rec-before-start", FORWARDER);
            recordings.startControls(c -> got.add(c.recordingId()), ready::countDown);
            assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
            control(producer, "m-1", "rec-1", FORWARDER);
            control(producer, "m-1", "rec-other-forwarder", "another-forwarder");
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("rec-1"));

            consumers.failNextPoll.set(true);
            consumers.awaitReplacementAsked(2);
            for (int m = 2; m <= 7; m++) { // meetings on partitions the first consumer never had a record of too
                control(producer, "m-" + m, "rec-" + m, FORWARDER);
            }
            consumers.letReplacementStart();
            control(producer, "m-8", "rec-8", FORWARDER);
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("rec-8") && got.size() >= 8);
            assertThat(got).as("none lost, none twice, none for another forwarder or from before the start")
                    .containsExactlyInAnyOrder("rec-1", "rec-2", "rec-3", "rec-4", "rec-5", "rec-6", "rec-7", "rec-8");
            assertThat(consumers.created).hasValue(2);
        }
    }

    /**
     * Real consumers; {@link #failNextPoll} makes the current one's next poll throw. Every consumer after the first
     * waits to be made until the test has sent what it sends "while none runs".
     */
    private static final class FailingConsumers implements Function<Map<String, Object>, Consumer<String, byte[]>> {
        final AtomicBoolean failNextPoll = new AtomicBoolean();
        final AtomicInteger created = new AtomicInteger();
        private final Semaphore replacements = new Semaphore(0);

        @Override
        public Consumer<String, byte[]> apply(Map<String, Object> config) {
            if (created.incrementAndGet() > 1) {
                try {
                    assertThat(replacements.tryAcquire(60, TimeUnit.SECONDS)).as("the test let it start").isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
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
        }

        /** Waits until the reader asked for its {@code n}-th consumer (the previous one failed and is closed). */
        void awaitReplacementAsked(int n) {
            await().atMost(Duration.ofSeconds(30)).until(() -> created.get() >= n);
        }

        void letReplacementStart() {
            replacements.release();
        }
    }

    private static final class Sink implements ForwarderKafka.CommandSink {
        final List<String> meetings;
        final CountDownLatch assigned = new CountDownLatch(1);
        final AtomicInteger failures = new AtomicInteger();

        Sink(List<String> meetings) {
            this.meetings = meetings;
        }

        @Override
        public void accept(String key, ForwarderCommand command) {
            if (FORWARDER.equals(key) && command != null) {
                meetings.add(command.meetingId());
            }
        }

        @Override
        public void onAssigned(int partition) {
            assigned.countDown();
        }

        @Override
        public void onFailed(Throwable e) {
            failures.incrementAndGet();
        }
    }

    private static void sendCommand(KafkaProducer<String, byte[]> producer, String meeting) throws Exception {
        ForwarderCommand c = new ForwarderCommand(FORWARDER, meeting, "socket-1", "participant-1",
                ForwarderCommand.Kind.CLOSE_ROOM, null, Instant.now());
        producer.send(new ProducerRecord<>(Topics.FORWARDER_COMMANDS.name(), FORWARDER,
                Topics.FORWARDER_COMMANDS.valueSerde().serializer().serialize(Topics.FORWARDER_COMMANDS.name(), c))).get();
    }

    private static void control(KafkaProducer<String, byte[]> producer, String meeting, String recordingId,
                                String forwarder) throws Exception {
        RecordingControl c = new RecordingControl(meeting, recordingId, RecordingControl.Action.START, forwarder,
                Instant.now());
        producer.send(new ProducerRecord<>(Topics.RECORDING_CONTROL.name(), meeting,
                Topics.RECORDING_CONTROL.valueSerde().serializer().serialize(Topics.RECORDING_CONTROL.name(), c))).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }
}
