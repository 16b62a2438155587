package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.kafka.EventBus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * Reads this gateway's delivery partition and hands each record to the {@link DeliveryRouter}. Starts before the
 * web server and does not return until the partition is assigned and positioned at its end, so that no socket
 * exists before deliveries for it can be read.
 *
 * <p>The pump keeps its own position: the offset after the last record handed to the router (its "committed"
 * offset; nothing is committed to Kafka, see ARCHITECTURE.md). If the consumer fails (broker trouble, a bug), it is
 * restarted from that position, so the records published meanwhile still reach the sockets that are open. A new
 * process starts at the end: its sockets are all new, and what was addressed to the previous process's sockets has
 * no one to go to.
 */
public final class DeliveryPump implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPump.class);

    private final EventBus bus;
    private final int partition;
    private final DeliveryRouter router;
    private final Duration startTimeout;
    private volatile Disposable subscription;
    /** The offset of the next record to read; -1 until the first assignment fixed it. */
    private final AtomicLong next = new AtomicLong(-1);

    public DeliveryPump(EventBus bus, int partition, DeliveryRouter router, Duration startTimeout) {
        this.bus = bus;
        this.partition = partition;
        this.router = router;
        this.startTimeout = startTimeout;
    }

    @Override
    public void start() {
        CountDownLatch assigned = new CountDownLatch(1);
        subscription = Flux.defer(() -> bus.deliveries(partition, next.get(), at -> {
                    next.compareAndSet(-1, at);
                    assigned.countDown();
                }))
                .doOnNext(this::route)
                .doOnError(e -> log.error("delivery consumer failed; restarting it at offset {} of partition {}",
                        next.get(), partition, e))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10)))
                .subscribe();
        try {
            if (!assigned.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                subscription.dispose();
                throw new IllegalStateException("the delivery partition " + partition + " was not assigned within " + startTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the delivery consumer", e);
        }
    }

    /** Hands one record to the router; a failure there is logged and the record passed, never the consumer stopped. */
    private void route(EventBus.KeyedDelivery d) {
        try {
            router.route(d.key(), d.delivery());
        } catch (RuntimeException e) {
            log.warn("could not route the delivery at offset {} of partition {}", d.offset(), partition, e);
        }
        next.set(d.offset() + 1);
    }

    /** The offset of the next record the pump reads (-1 before the first assignment). */
    long position() {
        return next.get();
    }

    @Override
    public void stop() {
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }

    /** Starts early (before the web server) and stops late (after the sockets are closed). */
    @Override
    public int getPhase() {
        return 0;
    }
}
