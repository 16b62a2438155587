package dev.rendezvous.streams.placement;

import static dev.rendezvous.streams.placement.ForwarderWeightTest.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private final PlacementPolicy policy = PlacementPolicy.defaults();

    private static Map<String, ForwarderMetrics> fleet(ForwarderMetrics... ms) {
        Map<String, ForwarderMetrics> m = new LinkedHashMap<>();
        for (ForwarderMetrics f : ms) {
            m.put(f.forwarderId(), f);
        }
        return m;
    }

    @Test
    void shouldPickPrimaryAndOneStandbyByDefault() {
        var fleet = fleet(metrics("fwd-a", NOW, 100, 0, 0, 0, 0, 0), metrics("fwd-b", NOW, 100, 0, 0, 0, 0, 0),
                metrics("fwd-c", NOW, 100, 0, 0, 0, 0, 0));
        assertThat(policy.choose("room", fleet, NOW)).hasSize(2).doesNotHaveDuplicates();
        assertThat(policy.choose("room", fleet, NOW)).isEqualTo(policy.choose("room", fleet, NOW));
    }

    @Test
    void shouldNeverPickAnUnhealthyHost() {
        // fwd-stale has far more free capacity, but its metrics are 11 s old
        var fleet = fleet(metrics("fwd-stale", NOW.minusSeconds(11), 10_000, 0, 0, 0, 0, 0),
                metrics("fwd-ok", NOW.minusSeconds(1), 10, 0, 0, 0, 0, 0));
        for (int i = 0; i < 200; i++) {
            assertThat(policy.choose("room-" + i, fleet, NOW)).containsExactly("fwd-ok");
        }
    }

    @Test
    void shouldReturnNothingWhenNoHostIsHealthy() {
        var fleet = fleet(metrics("fwd-a", NOW.minusSeconds(30), 100, 0, 0, 0, 0, 0));
        assertThat(policy.choose("room", fleet, NOW)).isEmpty();
        assertThat(policy.choose("room", Map.of(), NOW)).isEmpty();
    }

    @Test
    void shouldHonourAConfiguredWindowAndHostCount() {
        PlacementPolicy p = new PlacementPolicy(Duration.ofSeconds(60), 3);
        var fleet = fleet(metrics("fwd-a", NOW.minusSeconds(30), 100, 0, 0, 0, 0, 0),
                metrics("fwd-b", NOW.minusSeconds(30), 100, 0, 0, 0, 0, 0),
                metrics("fwd-c", NOW.minusSeconds(30), 100, 0, 0, 0, 0, 0));
        assertThat(p.choose("room", fleet, NOW)).containsExactlyInAnyOrder("fwd-a", "fwd-b", "fwd-c");
    }

    @Test
    void shouldPreferTheHealthierOfTwoEqualCapacityHosts() {
        var fleet = fleet(metrics("fwd-lossy", NOW, 100, 0, 0.20, 300, 0.95, 0),
                metrics("fwd-clean", NOW, 100, 0, 0, 10, 0.2, 0));
        int clean = 0;
        for (int i = 0; i < 2000; i++) {
            if (policy.choose("room-" + i, fleet, NOW).get(0).equals("fwd-clean")) {
                clean++;
            }
        }
        assertThat(clean).isGreaterThan(1800);
    }
}
