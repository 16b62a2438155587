package dev.rendezvous.forwarder.config;

import dev.rendezvous.forwarder.command.CommandIntake;
import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.forwarder.metrics.MetricsPublisher;
import dev.rendezvous.topics.TopicProvisioner;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/**
 * Start order: provision the topics (if configured; a failure stops the start), then the metrics loop, the
 * recording-control consumer, then the command consumer (restarted with backoff when it fails, from the command
 * after the last one handled). Stops in reverse.
 */
final class ForwarderRuntime implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ForwarderRuntime.class);

    private final KafkaConnectionProperties kafkaProperties;
    private final ForwarderKafka kafka;
    private final MetricsPublisher publisher;
    private final CommandIntake intake;
    private final Runnable startRecordingControls;
    private volatile Disposable commands;
    private volatile boolean running;

    ForwarderRuntime(KafkaConnectionProperties kafkaProperties, ForwarderKafka kafka, MetricsPublisher publisher,
                     CommandIntake intake, Runnable startRecordingControls) {
        this.startRecordingControls = startRecordingControls;
        this.kafkaProperties = kafkaProperties;
        this.kafka = kafka;
        this.publisher = publisher;
        this.intake = intake;
    }

    @Override
    public void start() {
        if (kafkaProperties.provisionTopics()) {
            TopicProvisioner.Result r = kafka.provisionTopics(kafkaProperties.replicationFactor());
            log.info("topics ready ({} created)", r.created().size());
        }
        publisher.start();
        startRecordingControls.run();
        commands = kafka.commands(intake.forwarderId(), intake::onAssigned)
                .doOnError(intake::onFailed)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
                .subscribe(c -> {
                            intake.accept(c.key(), c.command());
                            kafka.handled(c); // a restart after a failure goes on after it
                        },
                        e -> log.error("command consumer ended", e));
        running = true;
        log.info("media forwarder {} running", intake.forwarderId());
    }

    @Override
    public void stop() {
        running = false;
        Disposable c = commands;
        if (c != null) {
            c.dispose();
        }
        publisher.close();
    }

    /** Stops after the drain ({@code ForwarderDrain}, phase MAX_VALUE): metrics and commands run while it lasts. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
