package dev.rendezvous.forwarder.metrics;

import dev.rendezvous.topics.model.ForwarderMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes one {@link ForwarderMetrics} record per interval, at a fixed rate, on its own thread.
 *
 * <p>A tick builds a fresh snapshot and hands it to the sink (the Kafka adapter). One send at a time: a tick
 * that comes while the previous send is still pending is dropped and counted, not queued (a snapshot taken
 * late is worth less than the next one on time), so records carry the ticks' times. A failed send is logged
 * and counted, and the next tick tries again.
 *
 * <p>Health: {@link #status()} is unhealthy when no record has been acknowledged for longer than
 * {@code interval + failureThreshold}, i.e. publishing has been failing (or stuck) for more than
 * {@code failureThreshold} — by then placement also sees this forwarder as silent.
 */
public final class MetricsPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsPublisher.class);

    /** What health reports. {@code lastPublished} and {@code lastError} may be null. */
    public record Status(boolean healthy, Instant lastPublished, long published, long failed, String lastError) {}

    private final MetricsSnapshotBuilder builder;
    private final Function<ForwarderMetrics, Mono<Void>> sink;
    private final Duration interval;
    private final Duration failureThreshold;
    private final Clock clock;
    private final Counter publishedCounter;
    private final Counter failedCounter;
    private final Counter skippedCounter;

    private final Object lock = new Object();
    private Scheduler thread;
    private Disposable loop;
    private Instant startedAt;
    private Instant lastPublished;
    private long published;
    private long failed;
    private String lastError;
    private boolean loggedFailure;

    /**
     * @param sink             sends one record; completes when the broker acknowledged it
     * @param interval         time between two records
     * @param failureThreshold how long publishing may fail before {@link #status()} is unhealthy
     */
    public MetricsPublisher(MetricsSnapshotBuilder builder, Function<ForwarderMetrics, Mono<Void>> sink,
                            Duration interval, Duration failureThreshold, Clock clock, MeterRegistry registry) {
        this.builder = Objects.requireNonNull(builder, "builder");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.interval = interval;
        this.failureThreshold = Objects.requireNonNull(failureThreshold, "failureThreshold");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.publishedCounter = Counter.builder("rendezvous.forwarder.metrics.published")
                .description("ForwarderMetrics records acknowledged by Kafka").register(registry);
        this.failedCounter = Counter.builder("rendezvous.forwarder.metrics.failed")
                .description("ForwarderMetrics records that could not be published").register(registry);
        this.skippedCounter = Counter.builder("rendezvous.forwarder.metrics.skipped")
                .description("ticks dropped because the previous record was still being sent").register(registry);
    }

    /** Starts the fixed-rate loop (first record at once). Idempotent. */
    public void start() {
        synchronized (lock) {
            if (loop != null) {
                return;
            }
            startedAt = clock.instant();
            thread = Schedulers.newSingle("forwarder-metrics", true);
            loop = Flux.interval(Duration.ZERO, interval, thread)
                    .onBackpressureDrop(tick -> skippedCounter.increment())
                    // concurrency 1: the next tick is requested only when this send is done; ticks in between drop
                    .flatMap(tick -> publishOnce(), 1)
                    .subscribe(null, e -> log.error("metrics loop ended unexpectedly", e));
        }
    }

    /** Builds and sends one record; never fails (failures are recorded). Exposed for tests. */
    Mono<Void> publishOnce() {
        return Mono.defer(() -> sink.apply(builder.build()))
                .doOnSuccess(v -> onPublished())
                .onErrorResume(e -> {
                    onFailed(e);
                    return Mono.empty();
                });
    }

    private void onPublished() {
        publishedCounter.increment();
        synchronized (lock) {
            lastPublished = clock.instant();
            published++;
            if (loggedFailure) {
                log.info("publishing forwarder metrics works again");
                loggedFailure = false;
            }
        }
    }

    private void onFailed(Throwable e) {
        failedCounter.increment();
        boolean first;
        synchronized (lock) {
            failed++;
            lastError = String.valueOf(e.getMessage());
            first = !loggedFailure;
            loggedFailure = true;
        }
        if (first) {
            log.warn("cannot publish forwarder metrics (logged once until it works again): {}", e.toString());
        } else {
            log.debug("cannot publish forwarder metrics", e);
        }
    }

    public Status status() {
        synchronized (lock) {
            Instant now = clock.instant();
            Instant reference = lastPublished != null ? lastPublished : startedAt;
            boolean healthy = reference != null
                    && Duration.between(reference, now).compareTo(interval.plus(failureThreshold)) <= 0;
            return new Status(healthy, lastPublished, published, failed, lastError);
        }
    }

    /** Begins the clock for {@link #status()} without starting the loop (tests). */
    void markStarted() {
        synchronized (lock) {
            startedAt = clock.instant();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (loop != null) {
                loop.dispose();
                thread.dispose();
                loop = null;
            }
        }
    }
}
