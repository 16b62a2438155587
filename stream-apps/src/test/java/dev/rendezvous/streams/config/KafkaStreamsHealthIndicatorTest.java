package dev.rendezvous.streams.config;

import static org.apache.kafka.streams.KafkaStreams.State.CREATED;
import static org.apache.kafka.streams.KafkaStreams.State.ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_ERROR;
import static org.apache.kafka.streams.KafkaStreams.State.PENDING_SHUTDOWN;
import static org.apache.kafka.streams.KafkaStreams.State.REBALANCING;
import static org.apache.kafka.streams.KafkaStreams.State.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.streams.room.RoomTopologyConfig;
import dev.rendezvous.topics.KafkaConnectionProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class KafkaStreamsHealthIndicatorTest {

    private final KafkaStreamsRuntime runtime = new KafkaStreamsRuntime(
            new KafkaConnectionProperties("127.0.0.1:1", 1),
            new StreamsProperties("health-test", Path.of("unused"), Duration.ofMillis(100), 1),
            RoomTopologyConfig.defaults(), new SimpleMeterRegistry());
    private final KafkaStreamsHealthIndicator health = new KafkaStreamsHealthIndicator(runtime);

    @Test
    void shouldBeDownUntilKafkaStreamsIsRunning() {
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        runtime.onStateChange(REBALANCING, CREATED);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

        runtime.onStateChange(RUNNING, REBALANCING);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("state", "RUNNING");
    }

    @Test
    void shouldStayUpDuringARebalanceAfterHavingRun() {
        runtime.onStateChange(REBALANCING, CREATED);
        runtime.onStateChange(RUNNING, REBALANCING);

        runtime.onStateChange(REBALANCING, RUNNING);

        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void shouldBeDownWhenKafkaStreamsFailsOrStops() {
        runtime.onStateChange(RUNNING, REBALANCING);
        runtime.onStateChange(PENDING_ERROR, RUNNING);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        runtime.onStateChange(ERROR, PENDING_ERROR);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("state", "ERROR");

        runtime.onStateChange(PENDING_SHUTDOWN, ERROR);
        runtime.onStateChange(NOT_RUNNING, PENDING_SHUTDOWN);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
