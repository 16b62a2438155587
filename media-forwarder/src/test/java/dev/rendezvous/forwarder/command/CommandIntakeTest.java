package dev.rendezvous.forwarder.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.ForwarderCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandIntakeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ForwarderCommand> handled = new ArrayList<>();

    @Test
    void shouldHandOnlyCommandsKeyedWithThisForwardersIdToTheHandler() {
        CommandIntake intake = new CommandIntake("fwd-1", handled::add, registry);
        ForwarderCommand mine = command("fwd-1", ForwarderCommand.Kind.OFFER);
        ForwarderCommand theirs = command("fwd-2", ForwarderCommand.Kind.OFFER);

        intake.accept("fwd-2", theirs);
        intake.accept("fwd-1", mine);
        intake.accept(null, mine);

        assertThat(handled).containsExactly(mine);
        assertThat(intake.status().accepted()).isEqualTo(1);
        assertThat(intake.status().ignored()).isEqualTo(2);
        assertThat(registry.counter("rendezvous.forwarder.commands", "result", "ignored").count()).isEqualTo(2);
        assertThat(registry.counter("rendezvous.forwarder.commands", "result", "accepted").count()).isEqualTo(1);
    }

    @Test
    void shouldCountUnreadableRecordsAsIgnored() {
        CommandIntake intake = new CommandIntake("fwd-1", handled::add, registry);

        intake.accept("fwd-1", null);

        assertThat(handled).isEmpty();
        assertThat(intake.status().ignored()).isEqualTo(1);
    }

    @Test
    void shouldKeepGoingWhenTheHandlerThrows() {
        List<ForwarderCommand> seen = new ArrayList<>();
        CommandIntake intake = new CommandIntake("fwd-1", c -> {
            seen.add(c);
            if (c.kind() == ForwarderCommand.Kind.OFFER) {
                throw new IllegalStateException("bad SDP");
            }
        }, registry);

        intake.accept("fwd-1", command("fwd-1", ForwarderCommand.Kind.OFFER));
        intake.accept("fwd-1", command("fwd-1", ForwarderCommand.Kind.DISCONNECT));

        assertThat(seen).hasSize(2);
        assertThat(intake.status().failed()).isEqualTo(1);
        assertThat(registry.counter("rendezvous.forwarder.commands", "result", "failed").count()).isEqualTo(1);
    }

    @Test
    void shouldBeReadyOnlyOnceItsPartitionIsAssignedAndNotAfterAFailure() {
        CommandIntake intake = new CommandIntake("fwd-1", handled::add, registry);
        assertThat(intake.status().ready()).isFalse();

        intake.onAssigned(4);
        assertThat(intake.status().ready()).isTrue();
        assertThat(intake.status().partition()).isEqualTo(4);

        intake.onFailed(new IllegalStateException("broker gone"));
        assertThat(intake.status().ready()).isFalse();
        assertThat(intake.status().lastError()).isEqualTo("broker gone");
    }

    private static ForwarderCommand command(String forwarderId, ForwarderCommand.Kind kind) {
        return new ForwarderCommand(forwarderId, "m-1", "s-1", "p-1", kind, dev.rendezvous.topics.model.MediaSignal.empty(), Instant.parse("2026-11-25T10:00:00Z"));
    }
}
