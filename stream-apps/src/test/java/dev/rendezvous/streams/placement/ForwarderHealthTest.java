package dev.rendezvous.streams.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwarderHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private final ForwarderHealth health = new ForwarderHealth(Duration.ofSeconds(3));
    private final Map<String, ForwarderMetrics> fleet = new LinkedHashMap<>();

    @Test
    void shouldJudgeAForwarderSilentOnlyWhenItsRecordHasNotChangedForTheWholePeriodOnOurClock() {
        report("a", T0);
        report("b", T0);
        assertThat(health.observe(fleet, 0).silent()).isEmpty();   // first seen: a full period of grace
        report("a", T0.plusSeconds(1));
        assertThat(health.observe(fleet, 2_999).silent()).isEmpty();
        // b's record is unchanged since we first saw it 3 s ago; a's changed at 2,999 ms
        assertThat(health.observe(fleet, 3_000).silent()).containsExactly("b");
        report("a", T0.plusSeconds(2));
        assertThat(health.observe(fleet, 5_000).silent()).containsExactly("b");
        // b comes back with the same id: usable again at once
        report("b", T0.plusSeconds(60));
        ForwarderHealth.Judgement j = health.observe(fleet, 5_500);
        assertThat(j.silent()).isEmpty();
        assertThat(j.usable("b")).isTrue();
    }

    @Test
    void shouldNeverCompareTheForwardersClockWithOurs() {
        report("a", T0.minus(Duration.ofDays(1)));   // a record stamped by a clock a day behind
        report("b", T0);
        health.observe(fleet, 0);
        report("a", T0.minus(Duration.ofDays(1)).plusSeconds(1));
        report("b", T0.plusSeconds(1));
        assertThat(health.observe(fleet, 2_000).silent()).isEmpty();
    }

    @Test
    void shouldJudgeNobodySilentWhileNobodyReports() {
        report("a", T0);
        report("b", T0);
        health.observe(fleet, 0);
        assertThat(health.observe(fleet, 10_000).silent()).as("our view is stale, not the fleet dead").isEmpty();
    }

    @Test
    void shouldSayWhichAreDrainingAndAvoidThemWithTheSilentOnes() {
        report("a", T0);
        fleet.put("d", metrics("d", T0).withDraining(true));
        report("s", T0);
        health.observe(fleet, 0);
        report("a", T0.plusSeconds(3));
        fleet.put("d", metrics("d", T0.plusSeconds(3)).withDraining(true));
        ForwarderHealth.Judgement j = health.observe(fleet, 3_000);
        assertThat(j.draining()).containsExactly("d");
        assertThat(j.silent()).containsExactly("s");
        assertThat(j.avoided()).containsExactly("d", "s");
        assertThat(j.usable("a")).isTrue();
        assertThat(j.usable("d")).isFalse();
    }

    @Test
    void shouldForgetForwardersGoneFromTheFleet() {
        report("a", T0);
        report("b", T0);
        health.observe(fleet, 0);
        fleet.remove("b");   // a tombstone
        report("a", T0.plusSeconds(5));
        assertThat(health.observe(fleet, 5_000).silent()).isEmpty();
        report("b", T0);   // the same record again, now new to us: a fresh period
        assertThat(health.observe(fleet, 6_000).silent()).isEmpty();
    }

    private void report(String id, Instant at) {
        fleet.put(id, metrics(id, at));
    }

    private static ForwarderMetrics metrics(String id, Instant at) {
        return new ForwarderMetrics(id, "local", at, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
