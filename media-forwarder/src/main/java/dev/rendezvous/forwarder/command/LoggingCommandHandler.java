package dev.rendezvous.forwarder.command;

import dev.rendezvous.topics.model.ForwarderCommand;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler until the SFU exists: logs each command and counts it by kind
 * ({@code rendezvous.forwarder.commands.handled{kind}}). The payload (SDP, candidates) is not logged.
 */
public final class LoggingCommandHandler implements ForwarderCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(LoggingCommandHandler.class);

    private final MeterRegistry registry;

    public LoggingCommandHandler(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(ForwarderCommand command) {
        String kind = command.kind() == null ? "unknown" : command.kind().name();
        Counter.builder("rendezvous.forwarder.commands.handled")
                .description("commands for this forwarder, by kind (no SFU yet: logged only)")
                .tag("kind", kind)
                .register(registry)
                .increment();
        log.info("command {} for meeting {} participant {} socket {} (no media plane yet: not acted on)",
                kind, command.meetingId(), command.participantId(), command.socketId());
    }
}
