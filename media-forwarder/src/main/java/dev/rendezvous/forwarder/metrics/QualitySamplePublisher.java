package dev.rendezvous.forwarder.metrics;

import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.forwarder.media.ParticipantQuality;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.ForwarderMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every {@code interval} (5 s), one {@link QualitySample} per connected participant on {@code media.quality.sampled},
 * from {@link ForwarderStats#participantQuality()} and the CPU load of the last metrics record. Runs on its own
 * thread, never on the packet path; like the metrics, a tick that comes while the previous samples are still being
 * sent is dropped and counted, and a failed send is logged once and counted (analytics lose that sample, nothing else).
 */
public final class QualitySamplePublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QualitySamplePublisher.class);

    private final String forwarderId;
    private final ForwarderStats stats;
    private final Supplier<ForwarderMetrics> lastMetrics;
    private final Function<QualitySample, Mono<Void>> sink;
    private final Duration interval;
    private final Clock clock;
    private final Counter sent;
    private final Counter failed;
    private final Counter skipped;
    private volatile boolean failing;
    private Scheduler thread;
    private Disposable loop;

    public QualitySamplePublisher(String forwarderId, ForwarderStats stats, Supplier<ForwarderMetrics> lastMetrics,
                                  Function<QualitySample, Mono<Void>> sink, Duration interval, Clock clock,
                                  MeterRegistry registry) {
        this.forwarderId = Objects.requireNonNull(forwarderId, "forwarderId");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.lastMetrics = Objects.requireNonNull(lastMetrics, "lastMetrics");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sent = Counter.builder("rendezvous.forwarder.quality.samples").tag("result", "sent")
                .description("participant quality samples acknowledged by Kafka").register(registry);
        this.failed = Counter.builder("rendezvous.forwarder.quality.samples").tag("result", "failed")
                .description("participant quality samples that could not be published").register(registry);
        this.skipped = Counter.builder("rendezvous.forwarder.quality.samples.skipped")
                .description("sample ticks dropped because the previous samples were still being sent").register(registry);
    }

    /** Starts the loop; the first tick only starts the counts (rates need two readings). Idempotent. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        thread = Schedulers.newSingle("forwarder-quality", true);
        loop = Flux.interval(Duration.ZERO, interval, thread)
                .onBackpressureDrop(t -> skipped.increment())
                .concatMap(t -> publishOnce(), 1)
                .subscribe(null, e -> log.error("quality sample loop ended unexpectedly", e));
    }

    /** Samples every participant now and sends the samples; never fails. Exposed for tests. */
    Mono<Void> publishOnce() {
        return Mono.defer(() -> Flux.fromIterable(samples()).concatMap(this::send).then());
    }

    /** This tick's samples (one per connected participant). */
    List<QualitySample> samples() {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ForwarderMetrics m = lastMetrics.get();
        double cpu = m == null ? 0 : m.cpuLoad();
        return stats.participantQuality().stream()
                .map(q -> sample(q, at, cpu))
                .toList();
    }

    private QualitySample sample(ParticipantQuality q, Instant at, double cpu) {
        return QualitySample.of(q.meetingId(), at, q.participantId(), q.socketId(), forwarderId, q.bitrateInBps(),
                q.bitrateOutBps(), q.lossRatio(), q.rttMs(), q.jitterMs(), q.layer(), cpu);
    }

    private Mono<Void> send(QualitySample s) {
        return sink.apply(s)
                .doOnSuccess(v -> {
                    sent.increment();
                    if (failing) {
                        failing = false;
                        log.info("publishing quality samples works again");
                    }
                })
                .onErrorResume(e -> {
                    failed.increment();
                    if (!failing) {
                        failing = true;
                        log.warn("cannot publish quality samples (logged once until it works again): {}", e.toString());
                    }
                    return Mono.empty();
                });
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.dispose();
            thread.dispose();
            loop = null;
        }
    }
}
