package dev.rendezvous.recorder.config;

import dev.rendezvous.recorder.chunk.ChunkSink;
import dev.rendezvous.recorder.chunk.CountingChunkSink;
import dev.rendezvous.recorder.kafka.PartitionHolds;
import dev.rendezvous.recorder.kafka.RecorderKafka;
import dev.rendezvous.topics.KafkaConnectionProperties;
import java.util.Set;
import java.util.function.Consumer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Start order: provision the topics (if configured; a failure stops the start), then the chunk consumer
 * (restarted with backoff when it or the sink fails), then the periodic eviction of idle per-recording meters.
 */
final class RecorderRuntime implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RecorderRuntime.class);
    private static final Duration EVICTION_PERIOD = Duration.ofMinutes(1);

    private final KafkaConnectionProperties kafkaProperties;
    private final RecorderProperties recorderProperties;
    private final RecorderKafka kafka;
    private final ChunkSink sink;
    private final ChunkConsumerState state;
    private final PartitionHolds holds;
    private final Consumer<Set<Integer>> onAssigned;
    private volatile Disposable consumer;
    private volatile Disposable eviction;
    private volatile boolean running;

    RecorderRuntime(KafkaConnectionProperties kafkaProperties, RecorderProperties recorderProperties, RecorderKafka kafka,
                    ChunkSink sink, ChunkConsumerState state, PartitionHolds holds,
                    Consumer<Set<Integer>> onAssigned) {
        this.kafkaProperties = kafkaProperties;
        this.recorderProperties = recorderProperties;
        this.kafka = kafka;
        this.sink = sink;
        this.state = state;
        this.holds = holds;
        this.onAssigned = onAssigned;
    }

    @Override
    public void start() {
        kafka.provisionAtStart(kafkaProperties);
        consumer = kafka.consumeChunks(recorderProperties.groupId(), recorderProperties.sessionTimeout(), sink, holds, partitions -> {
                    state.onAssigned(partitions.size());
                    onAssigned.accept(partitions);
                    log.info("consuming chunks from partition(s) {} in group {}", partitions, recorderProperties.groupId());
                })
                .doOnError(state::onFailed)
                .doOnError(e -> log.warn("chunk consumer failed, restarting: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
                .subscribe(chunk -> state.onChunk(), e -> log.error("chunk consumer ended", e));
        if (sink instanceof CountingChunkSink counting) {
            eviction = Flux.interval(EVICTION_PERIOD, EVICTION_PERIOD, Schedulers.single())
                    .subscribe(t -> counting.evictIdle());
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        Disposable c = consumer;
        if (c != null) {
            c.dispose(); // stops the consumer: it commits what is safe; open files are rebuilt by the next owner
        }
        Disposable e = eviction;
        if (e != null) {
            e.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
