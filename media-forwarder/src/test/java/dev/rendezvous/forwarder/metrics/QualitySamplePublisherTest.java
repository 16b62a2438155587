package dev.rendezvous.forwarder.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.forwarder.media.ParticipantQuality;
import dev.rendezvous.topics.model.AnalyticsEvent;
import dev.rendezvous.topics.model.AnalyticsEvent.QualitySample;
import dev.rendezvous.topics.model.AnalyticsKind;
import dev.rendezvous.topics.model.ForwarderMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class QualitySamplePublisherTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00.123456Z");
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<QualitySample> sent = new CopyOnWriteArrayList<>();

    private static ForwarderStats stats(List<ParticipantQuality> q) {
        return new ForwarderStats() {
            @Override
            public Snapshot snapshot() {
                return Snapshot.IDLE;
            }

            @Override
            public List<ParticipantQuality> participantQuality() {
                return q;
            }
        };
    }

    private static ForwarderMetrics metrics(double cpu) {
        return new ForwarderMetrics("fwd-1", "local", T, 100, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, cpu);
    }

    @Test
    void shouldSendOneTypedSamplePerParticipantWithTheForwardersCpu() {
        var q = List.of(new ParticipantQuality("m1", "s-a", "u-a", 1e6, 2e6, 0.01, 30, 3, -1),
                new ParticipantQuality("m2", "s-b", "u-b", 5e5, 1e6, 0, 20, 2, -1));
        var p = new QualitySamplePublisher("fwd-1", stats(q), () -> metrics(0.42), s -> {
            sent.add(s);
            return Mono.empty();
        }, Duration.ofSeconds(5), clock, meters);

        p.publishOnce().block(Duration.ofSeconds(5));

        assertThat(sent).extracting(AnalyticsEvent::meetingId).containsExactly("m1", "m2");
        QualitySample a = sent.get(0);
        assertThat(a.kind()).isEqualTo(AnalyticsKind.QUALITY_SAMPLE);
        assertThat(a).isEqualTo(QualitySample.of("m1", Instant.parse("2026-12-05T10:00:00.123Z"), "u-a", "s-a", "fwd-1",
                1e6, 2e6, 0.01, 30, 3, -1, 0.42));
        assertThat(meters.counter("rendezvous.forwarder.quality.samples", "result", "sent").count()).isEqualTo(2);
    }

    @Test
    void shouldCountAFailedSendAndGoOnWithTheNextSampleAndTheNextTick() {
        var q = List.of(new ParticipantQuality("m1", "s-a", "u-a", 1, 1, 0, 0, 0, -1),
                new ParticipantQuality("m1", "s-b", "u-b", 1, 1, 0, 0, 0, -1));
        AtomicInteger calls = new AtomicInteger();
        var p = new QualitySamplePublisher("fwd-1", stats(q), () -> null, s -> calls.incrementAndGet() == 1
                ? Mono.error(new IllegalStateException("broker down")) : Mono.fromRunnable(() -> sent.add(s)),
                Duration.ofSeconds(5), clock, meters);

        p.publishOnce().block(Duration.ofSeconds(5));
        p.publishOnce().block(Duration.ofSeconds(5));

        assertThat(sent).extracting(QualitySample::socketId).containsExactly("s-b", "s-a", "s-b");
        assertThat(sent.get(0).forwarderCpu()).as("no metrics record yet").isZero();
        assertThat(meters.counter("rendezvous.forwarder.quality.samples", "result", "failed").count()).isEqualTo(1);
    }
}
