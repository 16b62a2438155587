package dev.rendezvous.forwarder.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.forwarder.media.ForwarderStats;
import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsSnapshotBuilderTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00.123456789Z"));

    @Test
    void shouldCopyIdentityCapacityStatsAndCpuIntoOneRecord() {
        ForwarderStats stats = () -> new ForwarderStats.Snapshot(3, 17, 20, 240, 1500.5, 18000.25, 2.5e6, 3.0e7,
                0.01, 4.5, 38.0);
        MetricsSnapshotBuilder builder = new MetricsSnapshotBuilder("fwd-7", "eu-west", 200, stats, () -> 0.42, clock);

        ForwarderMetrics m = builder.build();

        assertThat(m.forwarderId()).isEqualTo("fwd-7");
        assertThat(m.region()).isEqualTo("eu-west");
        assertThat(m.capacity()).isEqualTo(200);
        assertThat(m.rooms()).isEqualTo(3);
        assertThat(m.participants()).isEqualTo(17);
        assertThat(m.streamsIn()).isEqualTo(20);
        assertThat(m.streamsOut()).isEqualTo(240);
        assertThat(m.packetsInPerSec()).isEqualTo(1500.5);
        assertThat(m.packetsOutPerSec()).isEqualTo(18000.25);
        assertThat(m.bitrateInBps()).isEqualTo(2.5e6);
        assertThat(m.bitrateOutBps()).isEqualTo(3.0e7);
        assertThat(m.lossRatio()).isEqualTo(0.01);
        assertThat(m.jitterMs()).isEqualTo(4.5);
        assertThat(m.rttMs()).isEqualTo(38.0);
        assertThat(m.cpuLoad()).isEqualTo(0.42);
    }

    @Test
    void shouldSayDrainingOnceTheDrainBegan() {
        MetricsSnapshotBuilder builder = new MetricsSnapshotBuilder("fwd-1", "local", 200, ForwarderStats.idle(),
                () -> 0.1, clock);
        assertThat(builder.build().isDraining()).isFalse();
        java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
        builder.drainingFrom(draining::get);
        assertThat(builder.build().isDraining()).isFalse();
        draining.set(true);
        assertThat(builder.build().isDraining()).isTrue();
        assertThat(builder.last().isDraining()).isTrue();
    }

    @Test
    void shouldStampTheClocksInstantTruncatedToMillisecondsOnEveryBuild() {
        MetricsSnapshotBuilder builder = new MetricsSnapshotBuilder("fwd-1", "local", 200, ForwarderStats.idle(),
                () -> 0.1, clock);

        Instant first = builder.build().at();
        clock.advance(Duration.ofSeconds(1));
        Instant second = builder.build().at();

        assertThat(first).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
        assertThat(Duration.between(first, second)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldReportZerosWhenThereIsNoMediaPlane() {
        ForwarderMetrics m = new MetricsSnapshotBuilder("fwd-1", "local", 200, ForwarderStats.idle(), () -> 0.0, clock)
                .build();

        assertThat(m.rooms()).isZero();
        assertThat(m.participants()).isZero();
        assertThat(m.streamsIn()).isZero();
        assertThat(m.streamsOut()).isZero();
        assertThat(m.packetsInPerSec()).isZero();
        assertThat(m.packetsOutPerSec()).isZero();
        assertThat(m.lossRatio()).isZero();
    }

    @Test
    void shouldReportUnknownCpuLoadAsZeroAndCapItAtOne() {
        assertThat(build(-1.0).cpuLoad()).isZero();
        assertThat(build(Double.NaN).cpuLoad()).isZero();
        assertThat(build(1.7).cpuLoad()).isEqualTo(1.0);
    }

    @Test
    void shouldMeasureARealCpuLoadBetweenZeroAndOne() {
        double load = CpuLoad.ofThisProcess().sample();

        assertThat(load).isBetween(0.0, 1.0);
    }

    @Test
    void shouldTakeTheStatsSnapshotOncePerRecord() {
        int[] calls = {0};
        ForwarderStats counting = () -> {
            calls[0]++;
            return ForwarderStats.Snapshot.IDLE;
        };
        new MetricsSnapshotBuilder("fwd-1", "local", 200, counting, () -> 0.0, clock).build();

        assertThat(calls[0]).isEqualTo(1);
    }

    @Test
    void shouldRejectImpossibleStats() {
        assertThatThrownBy(() -> new ForwarderStats.Snapshot(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForwarderStats.Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 1.5, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ForwarderStats.Snapshot(0, 0, 0, 0, Double.NaN, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ForwarderMetrics build(double cpu) {
        return new MetricsSnapshotBuilder("fwd-1", "local", 200, ForwarderStats.idle(), () -> cpu, clock).build();
    }
}
