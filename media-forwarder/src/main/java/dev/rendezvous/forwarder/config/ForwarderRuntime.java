package dev.rendezvous.forwarder.config;

import dev.rendezvous.forwarder.command.CommandIntake;
import dev.rendezvous.forwarder.kafka.ForwarderKafka;
import dev.rendezvous.forwarder.metrics.MetricsPublisher;
import dev.rendezvous.topics.KafkaConnectionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Start order: provision the topics (if configured; a failure stops the start), then the metrics loop, the
 * recording-control reader, then the command reader (each replaces a failed consumer, which goes on where it
 * stopped: {@code PartitionReader}). Stops in reverse.
 */
final class ForwarderRuntime implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ForwarderRuntime.class);

    private final KafkaConnectionProperties kafkaProperties;
    private final ForwarderKafka kafka;
    private final MetricsPublisher publisher;
    private final CommandIntake intake;
    private final Runnable startRecordingControls;
    private volatile AutoCloseable commands;
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
        kafka.provisionAtStart(kafkaProperties);
        publisher.start();
        startRecordingControls.run();
        commands = kafka.readCommands(intake.forwarderId(), intake);
        running = true;
        log.info("media forwarder {} running", intake.forwarderId());
    }

    @Override
    public void stop() {
        running = false;
        AutoCloseable c = commands;
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping the command reader: {}", e.toString());
            }
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
