package dev.rendezvous.gateway.kafka;

import dev.rendezvous.topics.KafkaConnection;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.MeetingEnded;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.util.retry.Retry;

/**
 * Reads {@code room.meeting.ended} in one consumer group shared by all gateways ({@value #GROUP}: each record is
 * handled by one of them), hands each record to {@code store} and commits its offset only after the store completed,
 * one record at a time: a crash re-reads what was not stored, nothing is lost (the store ignores repeats). A store
 * failure stops the flux, which is re-subscribed after a back-off from the last committed offset.
 */
public final class MeetingEndedConsumer implements AutoCloseable {

    public static final String GROUP = "edge-gateway-meeting-ended";

    private static final Logger log = LoggerFactory.getLogger(MeetingEndedConsumer.class);

    private final KafkaConnection kafka;
    private final String clientId;
    private volatile Disposable running;

    public MeetingEndedConsumer(String bootstrapServers, String clientId) {
        this(KafkaConnection.of(bootstrapServers), clientId);
    }

    public MeetingEndedConsumer(KafkaConnection kafka, String clientId) {
        this.kafka = kafka;
        this.clientId = clientId;
    }

    public void start(Function<MeetingEnded, Mono<?>> store) {
        Map<String, Object> c = kafka.clientConfig();
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-meeting-ended");
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");   // a new group stores every end still retained
        // a gateway killed without leaving holds its partitions this long (the client's default is 45 s)
        c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(c)
                .subscription(List.of(Topics.MEETING_ENDED.name()))
                .commitInterval(Duration.ofMillis(200));
        Deserializer<MeetingEnded> values = Topics.MEETING_ENDED.valueSerde().deserializer();
        running = Mono.defer(() -> KafkaReceiver.create(options).receive()
                        .concatMap(r -> {
                            MeetingEnded e;
                            try {
                                e = values.deserialize(r.topic(), r.value());
                            } catch (RuntimeException ex) {
                                log.warn("skipping unreadable meeting end at {}-{}@{}", r.topic(), r.partition(), r.offset());
                                e = null;
                            }
                            Mono<?> work = e == null || e.meetingId() == null || e.endedAt() == null ? Mono.empty() : store.apply(e);
                            return work.then(Mono.fromRunnable(() -> r.receiverOffset().acknowledge()));
                        })
                        .then())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("meeting-ended consumer failed, restarting: {}", s.failure().toString())))
                .subscribe();
    }

    @Override
    public void close() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
