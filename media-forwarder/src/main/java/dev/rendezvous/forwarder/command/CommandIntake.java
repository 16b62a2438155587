package dev.rendezvous.forwarder.command;

import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.topics.model.ForwarderCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the commands addressed to this forwarder and hands them to the {@link ForwarderCommandHandler}.
 *
 * <p>The commands topic is keyed by forwarder id. The Kafka adapter reads only the partition this
 * forwarder's id hashes to, but other forwarders' ids share partitions, so every record's key is compared
 * with this forwarder's id; the others are counted as ignored
 * ({@code rendezvous.forwarder.commands{result=accepted|ignored|failed}}).
 *
 * <p>Also the state health reports: ready once the adapter has its partition assigned and positioned.
 */
public final class CommandIntake implements ForwarderKafka.CommandSink {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

    /** What health reports; {@code partition} is -1 before assignment, {@code lastError} may be null. */
    public record Status(boolean ready, int partition, long accepted, long ignored, long failed, String lastError) {}

    private final String forwarderId;
    private final ForwarderCommandHandler handler;
    private final Counter acceptedCounter;
    private final Counter ignoredCounter;
    private final Counter failedCounter;

    private volatile int partition = -1;
    private volatile boolean ready;
    private volatile String lastError;
    private long accepted;
    private long ignored;
    private long failed;

    public CommandIntake(String forwarderId, ForwarderCommandHandler handler, MeterRegistry registry) {
        this.forwarderId = Objects.requireNonNull(forwarderId, "forwarderId");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.acceptedCounter = counter(registry, "accepted");
        this.ignoredCounter = counter(registry, "ignored");
        this.failedCounter = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("rendezvous.forwarder.commands")
                .description("records read from forwarder.command.issued: accepted (for this forwarder), "
                        + "ignored (another forwarder's), failed (the handler threw)")
                .tag("result", result)
                .register(registry);
    }

    public String forwarderId() {
        return forwarderId;
    }

    /** One record of the commands topic; called sequentially by the consumer. */
    @Override
    public void accept(String key, ForwarderCommand command) {
        if (!forwarderId.equals(key) || command == null) {
            ignoredCounter.increment();
            synchronized (this) {
                ignored++;
            }
            return;
        }
        acceptedCounter.increment();
        synchronized (this) {
            accepted++;
        }
        try {
            handler.handle(command);
        } catch (RuntimeException e) {
            failedCounter.increment();
            synchronized (this) {
                failed++;
            }
            log.warn("handler failed on {} for meeting {}: {}", command.kind(), command.meetingId(), e.toString(), e);
        }
    }

    /** The adapter reads {@code partition} now: from its end at first, then (a new consumer) where the last one stopped. */
    @Override
    public void onAssigned(int partition) {
        this.partition = partition;
        this.ready = true;
        this.lastError = null;
        log.info("reading commands for {} from partition {}", forwarderId, partition);
    }

    /** The consumer failed; it is being restarted. */
    @Override
    public void onFailed(Throwable e) {
        this.ready = false;
        this.lastError = String.valueOf(e.getMessage());
        log.warn("command consumer failed, restarting: {}", e.toString());
    }

    public synchronized Status status() {
        return new Status(ready, partition, accepted, ignored, failed, lastError);
    }
}
