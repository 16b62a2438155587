package dev.rendezvous.recorder.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class CountingChunkSinkTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final CountingChunkSink sink = new CountingChunkSink(registry, clock, Duration.ofHours(1));

    @Test
    void shouldCountChunksAndBytesPerRecording() {
        accept("rec-a", 100);
        accept("rec-a", 250);
        accept("rec-b", 7);

        assertThat(sink.chunks("rec-a")).isEqualTo(2);
        assertThat(sink.bytes("rec-a")).isEqualTo(350);
        assertThat(sink.chunks("rec-b")).isEqualTo(1);
        assertThat(registry.counter("rendezvous.recorder.chunks", "recording", "rec-a").count()).isEqualTo(2);
        assertThat(registry.counter("rendezvous.recorder.chunk.bytes", "recording", "rec-a").count()).isEqualTo(350);
        assertThat(sink.chunks("rec-unknown")).isZero();
    }

    @Test
    void shouldRemoveTheMetersOfRecordingsIdleForLongerThanTheExpiry() {
        accept("rec-old", 10);
        clock.advance(Duration.ofMinutes(40));
        accept("rec-new", 10);
        clock.advance(Duration.ofMinutes(30));

        assertThat(sink.evictIdle()).isEqualTo(1);

        assertThat(registry.find("rendezvous.recorder.chunks").tag("recording", "rec-old").counter()).isNull();
        assertThat(registry.find("rendezvous.recorder.chunks").tag("recording", "rec-new").counter()).isNotNull();
        accept("rec-old", 10);
        assertThat(sink.chunks("rec-old")).as("counts again from zero").isEqualTo(1);
    }

    private void accept(String recording, int size) {
        StepVerifier.create(sink.accept(new Chunk(recording, new byte[size], 0, 0, clock.instant()))).verifyComplete();
    }
}
