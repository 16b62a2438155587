package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class StreamsMetricsFilterTest {

    @Test
    void shouldKeepStoreAndNodeDetailOutButThreadTaskAndClientMetricsIn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new StreamAppsConfiguration().kafkaStreamsDetailFilter());
        for (String name : new String[] {"kafka.stream.state.all.latency.avg", "kafka.stream.processor.node.process.rate",
                "kafka.stream.thread.process.rate", "kafka.stream.task.dropped.records.total",
                "kafka.consumer.fetch.manager.records.lag.max"}) {
            registry.gauge(name, 1.0);
        }

        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).containsExactlyInAnyOrder(
                "kafka.stream.thread.process.rate", "kafka.stream.task.dropped.records.total",
                "kafka.consumer.fetch.manager.records.lag.max");
    }
}
