package dev.rendezvous.forwarder.kafka;

import dev.rendezvous.forwarder.media.CapturedChunk;
import dev.rendezvous.topics.KafkaClients;
import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.chunk.RecordingChunk;
import dev.rendezvous.topics.chunk.RecordingChunkCodec;
import dev.rendezvous.topics.model.RecordingControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarder's recording traffic: it reads {@code recording.control.requested} ({@link PartitionReader}:
 * every partition, no group, from the end at start — like the commands, a request from before the start
 * addressed a process that is gone — and on after a consumer failure) and hands the requests for its own id to
 * the engine; it writes each captured chunk to
 * {@code recording.chunk.captured}, key = recording id, so that one recorder sees a recording's chunks in
 * order; the recording's end marker ({@link CapturedChunk#isEnd}) becomes kind {@value RecordingChunk#END_KIND}.
 * The chunk producer is idempotent with acks from all replicas and a long delivery timeout: a chunk is
 * media, not a load figure, and is retried rather than dropped; what still fails is counted.
 */
public final class RecordingKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordingKafka.class);

    private final KafkaConnection kafka;
    private final String clientId;
    private final String forwarderId;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** A new consumer from its config: a {@link KafkaConsumer}, or, in a test, one that fails on purpose. */
    private final Function<Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private PartitionReader controls;
    private boolean closed;

    public RecordingKafka(String bootstrapServers, String clientId, String forwarderId) {
        this(KafkaConnection.of(bootstrapServers), clientId, forwarderId);
    }

    public RecordingKafka(KafkaConnection kafka, String clientId, String forwarderId) {
        this(kafka, clientId, forwarderId, KafkaConsumer::new);
    }

    RecordingKafka(KafkaConnection kafka, String clientId, String forwarderId,
                   Function<Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers) {
        this.consumers = consumers;
        this.kafka = kafka;
        this.clientId = clientId;
        this.forwarderId = forwarderId;
        Map<String, Object> p = KafkaClients.producerDefaults(kafka, clientId + "-chunks");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20); // chunks of all tracks of a room batch well
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000); // the recording thread may wait, the packet thread never
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        this.producer = new KafkaProducer<>(p);
    }

    /** Sends a chunk (recording thread); returns at once, the outcome is counted. */
    public void publish(CapturedChunk c) {
        RecordingChunk chunk = new RecordingChunk(c.recordingId(), c.meetingId(), forwarderId, c.trackId(),
                c.participantId(), c.source() == null ? "" : c.source().wireName(),
                c.isEnd() ? RecordingChunk.END_KIND : c.kind() == null ? "" : c.kind().sdpName(), c.clockRate(), c.codecs(), c.sequence(), c.last(),
                c.baseEpochMicros(), packets(c));
        byte[] bytes = RecordingChunkCodec.encode(chunk);
        try {
            producer.send(new ProducerRecord<>(Topics.RECORDING_CHUNKS.name(), c.recordingId(), bytes), (md, e) -> {
                if (e == null) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    log.warn("recording {}: chunk {} of track {} lost: {}", c.recordingId(), c.sequence(),
                            c.trackId(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            log.warn("recording {}: chunk {} of track {} not sent: {}", c.recordingId(), c.sequence(), c.trackId(),
                    e.toString());
        }
    }

    private static List<RecordingChunk.Packet> packets(CapturedChunk c) {
        List<RecordingChunk.Packet> out = new ArrayList<>(c.packets().size());
        for (int i = 0; i < c.packets().size(); i++) {
            out.add(new RecordingChunk.Packet(c.offsetsMicros()[i], c.packets().get(i)));
        }
        return out;
    }

    public long chunksSent() {
        return sent.get();
    }

    public long chunksFailed() {
        return failed.get();
    }

    /**
     * Starts reading the control topic (every partition) on a thread of its own ({@link PartitionReader}: a failed
     * consumer is replaced and goes on where it stopped); requests for this forwarder go to {@code handler}.
     * {@code onReady} runs once the consumer is positioned (a request sent after it is seen).
     */
    public synchronized void startControls(Consumer<RecordingControl> handler, Runnable onReady) {
        if (controls != null || closed) {
            return;
        }
        Map<String, Object> c = kafka.clientConfig();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-recording-control");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Deserializer<RecordingControl> values = Topics.RECORDING_CONTROL.valueSerde().deserializer();
        controls = new PartitionReader("forwarder-recording-control", Topics.RECORDING_CONTROL.name(),
                () -> consumers.apply(c), PartitionReader::all, new PartitionReader.Listener() {
                    private boolean ready;

                    @Override
                    public void onRecord(ConsumerRecord<String, byte[]> r) {
                        RecordingControl control;
                        try {
                            control = values.deserialize(r.topic(), r.value());
                        } catch (RuntimeException e) {
                            log.warn("unreadable recording control at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                    e.getMessage());
                            return;
                        }
                        if (control != null && forwarderId.equals(control.forwarderId())) {
                            handler.accept(control);
                        }
                    }

                    @Override
                    public void onPositioned(List<TopicPartition> partitions) {
                        if (!ready) {
                            ready = true;
                            onReady.run();
                        }
                    }

                    @Override
                    public void onFailed(Throwable e) {
                        // logged by the reader
                    }
                }).start();
    }

    @Override
    public void close() {
        PartitionReader r;
        synchronized (this) {
            closed = true;
            r = controls;
        }
        if (r != null) {
            r.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
