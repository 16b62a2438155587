package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.RoomMetrics;
import dev.rendezvous.topics.KafkaConnectionProperties;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of the room processor, in one place (production and the topology tests
 * use the same one).
 */
public final class RoomStreamsSettings {

    /** Not a Kafka setting: hands the {@link RoomMetrics} to {@link CountingLogAndContinueHandler} and {@link SkipUnsendableHandler}. */
    static final String METRICS_CONFIG = "rendezvous.room.metrics";

    private RoomStreamsSettings() {}

    public static Properties properties(KafkaConnectionProperties kafka, StreamsProperties streams, RoomMetrics metrics) {
        Properties p = kafka.connection().clientProperties(); // bootstrap servers, SASL/TLS settings if any
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, streams.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, streams.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streams.threads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, kafka.replicationFactor());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, streams.commitInterval().toMillis());
        // An instance that dies without leaving holds its partitions (every room on them) until its session times
        // out: the client default of 45 s froze those rooms that long after a SIGKILL, even when the same instance
        // was back in seconds. Heartbeats come from the consumer's own thread, so slow processing does not count.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) streams.sessionTimeout().toMillis());
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) streams.heartbeatInterval().toMillis());

        // At-least-once, deliberately. After a crash, records since the last commit are processed again;
        // the room processor is deterministic (same input and restored state -> same seq), and everything
        // downstream is idempotent: gateways/clients drop events they have seen by (meetingId, clientMsgId),
        // and the PostgreSQL sink inserts with ON CONFLICT DO NOTHING on (meeting_id, seq) and
        // (meeting_id, client_msg_id). exactly_once_v2 would make every output wait for the transaction
        // commit: measured here (STACK-NOTES) p50 ~59 ms / p99 ~115 ms at a 100 ms commit interval instead
        // of 1-3 ms / 9-12 ms, for a chat whose duplicates are already harmless.
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // Kafka Streams' producer lingers ~100 ms by default: a chat round trip went from p50 2 ms to 53 ms. The
        // catalogue's writers all use the same short linger (KafkaClients.LINGER_MS says why it is not 0).
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), dev.rendezvous.topics.KafkaClients.LINGER_MS);
        // max.task.idle.ms stays at its default (0): a room task reads five topics, and it processes nothing while
        // one of its empty partitions may still hold fetched-but-unbuffered records (lag unknown or positive), then
        // takes the lowest timestamp first. That keeps a replay in order: after a crash the input since the last
        // commit is read again from all five topics, and with -1 (tried 2026-12-06, for Kafka Streams 4.4's
        // String.format in that check: ~46 % of the stream thread's allocation at 1,000 chat msg/s) a room
        // processed its replayed chats before the replayed JOIN of a member, who then never got them
        // (ChatThroughKafkaIT). Live, the order is causal anyway (a socket chats only after its join came back).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        // Bytes on an input topic that are not a request are logged, counted and skipped: bad input must
        // never stop a room partition (the default handler fails the thread, which would then re-read them).
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CountingLogAndContinueHandler.class);
        // An output record the broker refuses for good (too large, invalid) is logged, counted and skipped: the
        // default handler fails the thread, which re-reads the input and fails again, freezing the partition's rooms.
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUnsendableHandler.class);
        p.put(METRICS_CONFIG, metrics);
        // processing exceptions in the global store's (forwarder-metrics) update go through the same handler;
        // it also silences Kafka Streams' start-up warning recommending it
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return p;
    }
}
