package dev.rendezvous.streams.config;

import dev.rendezvous.streams.room.RoomTopology;
import dev.rendezvous.streams.room.RoomTopologyConfig;
import dev.rendezvous.topics.KafkaConnectionProperties;
import dev.rendezvous.topics.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the room processor: provisions the catalogue's topics (unless {@code rendezvous.kafka.provision-topics} is
 * off), then starts Kafka Streams; closes it (leaving
 * the consumer group, so that another instance takes the partitions over at once) when the application
 * stops. Its state feeds the health endpoint.
 */
final class KafkaStreamsRuntime implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaStreamsRuntime.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConnectionProperties kafka;
    private final StreamsProperties streams;
    private final RoomTopologyConfig topologyConfig;
    private final dev.rendezvous.streams.room.PresenceSettings presence;
    private final MeterRegistry meters;

    private volatile KafkaStreams kafkaStreams;
    private volatile KafkaStreams.State state;
    private volatile boolean hasBeenRunning;
    private KafkaStreamsMetrics streamsMetrics;

    KafkaStreamsRuntime(KafkaConnectionProperties kafka, StreamsProperties streams, RoomTopologyConfig topologyConfig,
                        MeterRegistry meters) {
        this(kafka, streams, topologyConfig, dev.rendezvous.streams.room.PresenceSettings.defaults(), meters);
    }

    KafkaStreamsRuntime(KafkaConnectionProperties kafka, StreamsProperties streams, RoomTopologyConfig topologyConfig,
                        dev.rendezvous.streams.room.PresenceSettings presence, MeterRegistry meters) {
        this.kafka = kafka;
        this.streams = streams;
        this.topologyConfig = topologyConfig;
        this.presence = presence;
        this.meters = meters;
    }

    @Override
    public synchronized void start() {
        provisionTopics();
        try {
            Files.createDirectories(streams.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create rendezvous.streams.state-dir " + streams.stateDir(), e);
        }
        Topology topology = RoomTopology.build(new StreamsBuilder(), topologyConfig, presence).build();
        log.info("room processor topology:\n{}", topology.describe());
        for (java.nio.file.Path stale : StaleStores.prune(streams.stateDir().resolve(streams.applicationId()),
                taskStoreNames(topology), globalStoreNames(topology))) {
            log.warn("removed local state store {}: the topology no longer has it", stale);
        }

        KafkaStreams ks = new KafkaStreams(topology,
                RoomStreamsSettings.properties(kafka, streams, topologyConfig.metrics()));
        ks.setStateListener(this::onStateChange);
        ks.setUncaughtExceptionHandler(e -> {
            // the task is retried from its last commit on a new thread; the processor itself never throws
            // on bad input, so this is for broker trouble and bugs
            log.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streamsMetrics = new KafkaStreamsMetrics(ks);
        streamsMetrics.bindTo(meters);
        state = ks.state();
        kafkaStreams = ks;
        ks.start();
    }

    /** The state stores of each of the topology's sub-topologies (kept per task), by sub-topology number. */
    static java.util.Map<Integer, java.util.Set<String>> taskStoreNames(Topology topology) {
        java.util.Map<Integer, java.util.Set<String>> bySub = new java.util.HashMap<>();
        for (org.apache.kafka.streams.TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            java.util.Set<String> names = bySub.computeIfAbsent(sub.id(), k -> new java.util.HashSet<>());
            for (org.apache.kafka.streams.TopologyDescription.Node n : sub.nodes()) {
                if (n instanceof org.apache.kafka.streams.TopologyDescription.Processor p) {
                    names.addAll(p.stores());
                }
            }
        }
        return bySub;
    }

    /** The topology's global stores. */
    static java.util.Set<String> globalStoreNames(Topology topology) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (org.apache.kafka.streams.TopologyDescription.GlobalStore g : topology.describe().globalStores()) {
            names.addAll(g.processor().stores());
        }
        return names;
    }

    void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        state = now;
        if (now == KafkaStreams.State.RUNNING) {
            hasBeenRunning = true;
        }
        log.info("Kafka Streams {} -> {}", before, now);
    }

    private void provisionTopics() {
        Map<String, Object> config = kafka.connection().clientConfig();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, streams.applicationId() + "-provisioner");
        TopicProvisioner.atStart(kafka, config);
    }

    @Override
    public synchronized void stop() {
        KafkaStreams ks = kafkaStreams;
        if (ks == null) {
            return;
        }
        boolean closed = ks.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (!closed) {
            log.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        kafkaStreams = null;
    }

    @Override
    public boolean isRunning() {
        return kafkaStreams != null;
    }

    /** The current Kafka Streams state; null before start. */
    KafkaStreams.State state() {
        return state;
    }

    /** Whether Kafka Streams reached RUNNING at least once since start (a later rebalance is routine). */
    boolean hasBeenRunning() {
        return hasBeenRunning;
    }
}
