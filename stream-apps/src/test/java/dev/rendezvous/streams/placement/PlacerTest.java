package dev.rendezvous.streams.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Region preference and the switch to the skeleton tree for large groups, with its cache. */
class PlacerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private static ForwarderMetrics host(String id, String region, int capacity, Instant at) {
        return new ForwarderMetrics(id, region, at, capacity, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static Map<String, ForwarderMetrics> fleet(int n, String region, int capacity) {
        Map<String, ForwarderMetrics> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(region + "-" + i, host(region + "-" + i, region, capacity, NOW));
        }
        return m;
    }

    @Test
    void shouldPutEveryRoomInTheHintedRegionWhileItHasHealthyForwarders() {
        Map<String, ForwarderMetrics> f = new LinkedHashMap<>(fleet(3, "eu", 100));
        f.putAll(fleet(3, "us", 1000));
        Placer placer = PlacementPolicy.defaults().placer();
        for (int i = 0; i < 300; i++) {
            List<String> chosen = placer.choose("room-" + i, f, NOW, "eu");
            assertThat(chosen).hasSize(2).allMatch(id -> id.startsWith("eu-"));
        }
        // without a hint the bigger region gets most rooms
        int us = 0;
        for (int i = 0; i < 300; i++) {
            if (placer.choose("room-" + i, f, NOW, null).get(0).startsWith("us-")) {
                us++;
            }
        }
        assertThat(us).isGreaterThan(240);
    }

    @Test
    void shouldTakeTheStandbyFromAnotherRegionAndIgnoreAHintNobodyMatches() {
        Map<String, ForwarderMetrics> f = new LinkedHashMap<>(fleet(1, "eu", 100));
        f.putAll(fleet(2, "us", 100));
        Placer placer = PlacementPolicy.defaults().placer();
        List<String> chosen = placer.choose("room", f, NOW, "eu");
        assertThat(chosen.get(0)).isEqualTo("eu-0");
        assertThat(chosen.get(1)).startsWith("us-");
        assertThat(placer.choose("room", f, NOW, "ap")).isEqualTo(placer.choose("room", f, NOW, null));
        // the region's only forwarder is stale: the room goes elsewhere
        f.put("eu-0", host("eu-0", "eu", 100, NOW.minusSeconds(30)));
        assertThat(placer.choose("room", f, NOW, "eu")).hasSize(2).allMatch(id -> id.startsWith("us-"));
    }

    @Test
    void shouldSpreadRoomsInProportionToWeightWithTheSkeletonTree() {
        // 40 hosts, half with three times the free capacity; the tree from 16 hosts on
        PlacementPolicy policy = new PlacementPolicy(Duration.ofSeconds(10), 2, 16, 4, Duration.ofSeconds(1));
        Map<String, ForwarderMetrics> f = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            f.put("h-" + i, host("h-" + i, "eu", i % 2 == 0 ? 300 : 100, NOW));
        }
        Placer placer = policy.placer();
        Map<String, Integer> counts = new HashMap<>();
        int rooms = 40_000;
        for (int i = 0; i < rooms; i++) {
            List<String> chosen = placer.choose("room-" + i, f, NOW, null);
            assertThat(chosen).hasSize(2).doesNotHaveDuplicates();
            counts.merge(chosen.get(0), 1, Integer::sum);
        }
        // chi-squared against the weights (39 degrees of freedom: 99.9 % quantile ≈ 72.1)
        double total = 20 * 300 + 20 * 100;
        double chi2 = 0;
        for (int i = 0; i < 40; i++) {
            double expected = rooms * (i % 2 == 0 ? 300 : 100) / total;
            double observed = counts.getOrDefault("h-" + i, 0);
            chi2 += (observed - expected) * (observed - expected) / expected;
        }
        assertThat(chi2).isLessThan(72.1);
    }

    @Test
    void shouldRebuildTheTreeWhenAHostGoesAwayAndAfterTheRefresh() {
        PlacementPolicy policy = new PlacementPolicy(Duration.ofSeconds(10), 1, 4, 2, Duration.ofSeconds(1));
        Map<String, ForwarderMetrics> f = new LinkedHashMap<>(fleet(8, "eu", 100));
        Placer placer = policy.placer();
        String first = placer.choose("room", f, NOW, null).get(0);
        // the chosen host goes stale: never chosen again, even though the tree was built a moment ago
        f.put(first, host(first, "eu", 100, NOW.minusSeconds(30)));
        assertThat(placer.choose("room", f, NOW.plusMillis(10), null).get(0)).isNotEqualTo(first);
        // weights move: the cached tree keeps its weights until the refresh, then follows them
        Map<String, ForwarderMetrics> g = new LinkedHashMap<>(fleet(8, "eu", 1));
        g.put("eu-5", host("eu-5", "eu", 100_000, NOW));
        Placer p2 = policy.placer();
        p2.choose("warm", fleet(8, "eu", 100), NOW, null);
        int onFive = 0;
        for (int i = 0; i < 200; i++) {
            if (p2.choose("room-" + i, g, NOW.plusSeconds(2), null).get(0).equals("eu-5")) {
                onFive++;
            }
        }
        assertThat(onFive).isGreaterThan(190);
    }

    @Test
    void shouldChooseTheSameWithAndWithoutTheTreeForASmallGroup() {
        Map<String, ForwarderMetrics> f = fleet(5, "eu", 100);
        PlacementPolicy flat = PlacementPolicy.defaults();
        for (int i = 0; i < 100; i++) {
            assertThat(flat.placer().choose("room-" + i, f, NOW, "eu"))
                    .isEqualTo(WeightedRendezvous.best("room-" + i, f.keySet().stream()
                            .map(id -> new WeightedRendezvous.Host(id, 100)).toList(), 2));
        }
    }

    @Test
    void shouldChooseFromASnapshotWhatItChoosesFromTheWholeFleetKeepingItsGroupsUntilTheNextSnapshot() {
        PlacementPolicy policy = PlacementPolicy.defaults();
        for (int n : new int[] {5, 70, 300}) {
            Map<String, ForwarderMetrics> f = new LinkedHashMap<>(fleet(n, "eu", 100));
            f.putAll(fleet(n / 2 + 1, "us", 400));
            f.put("stale", host("stale", "eu", 100_000, NOW.minusSeconds(60)));
            f.put("nowhere", host("nowhere", null, 150, NOW));
            Map<String, ForwarderMetrics> snapshot = Map.copyOf(f);
            Placer exact = policy.placer();
            Placer cached = policy.placer();
            for (int i = 0; i < 200; i++) {
                for (String hint : new String[] {null, "eu", "us", "ap", ""}) {
                    assertThat(cached.chooseInSnapshot("room-" + i, snapshot, NOW, hint)).as(n + " " + hint)
                            .isEqualTo(exact.choose("room-" + i, f, NOW, hint))
                            .doesNotContain("stale");
                }
            }
            // within a refresh of the first placement the snapshot's judgement holds; record time far ahead (a backlog
            // read fast) judges health again: ten minutes on, every forwarder's metrics are stale
            assertThat(cached.chooseInSnapshot("late", snapshot, NOW.plusMillis(900), "eu")).isNotEmpty();
            assertThat(cached.chooseInSnapshot("late", snapshot, NOW.plusSeconds(600), "eu")).isEmpty();
            // a new snapshot is looked at again
            Map<String, ForwarderMetrics> later = new LinkedHashMap<>(snapshot);
            later.keySet().removeIf(id -> id.startsWith("eu-"));
            assertThat(cached.chooseInSnapshot("room-1", later, NOW, "eu")).noneMatch(id -> id.startsWith("eu-"))
                    .isEqualTo(exact.choose("room-1", later, NOW, "eu"));
        }
    }
}
