package dev.rendezvous.streams.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rendezvous.streams.placement.WeightedRendezvous.Host;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedRendezvousTest {

    private static final int ROOMS = 20_000;

    private static List<String> rooms() {
        List<String> l = new ArrayList<>(ROOMS);
        for (int i = 0; i < ROOMS; i++) {
            l.add("6f1c1b8e-0000-4000-8000-" + String.format("%012d", i));
        }
        return l;
    }

    private static Map<String, String> primaries(List<Host> hosts) {
        Map<String, String> m = new HashMap<>();
        for (String r : rooms()) {
            m.put(r, WeightedRendezvous.best(r, hosts, 1).get(0));
        }
        return m;
    }

    @Test
    void shouldSpreadRoomsInProportionToWeights() {
        List<Host> hosts = List.of(new Host("fwd-a", 1), new Host("fwd-b", 2), new Host("fwd-c", 3), new Host("fwd-d", 4));
        Map<String, Integer> counts = new HashMap<>();
        primaries(hosts).values().forEach(h -> counts.merge(h, 1, Integer::sum));

        // expected shares 10/20/30/40 %; the binomial standard deviation at 20 000 rooms is ≤ 0.35 %
        assertThat(counts.get("fwd-a") / (double) ROOMS).isCloseTo(0.10, within(0.02));
        assertThat(counts.get("fwd-b") / (double) ROOMS).isCloseTo(0.20, within(0.02));
        assertThat(counts.get("fwd-c") / (double) ROOMS).isCloseTo(0.30, within(0.02));
        assertThat(counts.get("fwd-d") / (double) ROOMS).isCloseTo(0.40, within(0.02));
    }

    @Test
    void shouldSpreadEvenlyOverEqualHosts() {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            hosts.add(new Host("forwarder-" + i, 50));
        }
        Map<String, Integer> counts = new HashMap<>();
        primaries(hosts).values().forEach(h -> counts.merge(h, 1, Integer::sum));
        assertThat(counts).hasSize(8);
        counts.values().forEach(c -> assertThat(c / (double) ROOMS).isCloseTo(0.125, within(0.02)));
    }

    @Test
    void shouldMoveOnlyRoomsWhoseBestIsTheNewHostWhenAHostIsAdded() {
        List<Host> before = List.of(new Host("fwd-a", 10), new Host("fwd-b", 10), new Host("fwd-c", 10));
        List<Host> after = new ArrayList<>(before);
        after.add(new Host("fwd-d", 10));
        Map<String, String> p0 = primaries(before);
        Map<String, String> p1 = primaries(after);

        int moved = 0;
        for (String r : p0.keySet()) {
            if (!p0.get(r).equals(p1.get(r))) {
                moved++;
                assertThat(p1.get(r)).as("a room that moves goes to the new host").isEqualTo("fwd-d");
            }
        }
        // about a quarter of the rooms move (the new host's share), not a reshuffle
        assertThat(moved / (double) ROOMS).isCloseTo(0.25, within(0.03));
    }

    @Test
    void shouldMoveOnlyTheRemovedHostsRoomsWhenAHostIsRemoved() {
        List<Host> before = List.of(new Host("fwd-a", 10), new Host("fwd-b", 20), new Host("fwd-c", 30));
        List<Host> after = List.of(new Host("fwd-a", 10), new Host("fwd-c", 30));
        Map<String, String> p0 = primaries(before);
        Map<String, String> p1 = primaries(after);

        for (String r : p0.keySet()) {
            if (!p0.get(r).equals("fwd-b")) {
                assertThat(p1.get(r)).as("room %s was not on the removed host", r).isEqualTo(p0.get(r));
            }
        }
    }

    @Test
    void shouldMoveOnlyRoomsWhoseBestChangesWhenAWeightChanges() {
        List<Host> before = List.of(new Host("fwd-a", 10), new Host("fwd-b", 10), new Host("fwd-c", 10));
        List<Host> after = List.of(new Host("fwd-a", 10), new Host("fwd-b", 20), new Host("fwd-c", 10));
        Map<String, String> p0 = primaries(before);
        Map<String, String> p1 = primaries(after);
        for (String r : p0.keySet()) {
            if (!p0.get(r).equals(p1.get(r))) {
                assertThat(p1.get(r)).as("only the heavier host gains rooms").isEqualTo("fwd-b");
            }
        }
    }

    @Test
    void shouldPickKDistinctHostsBestFirstConsistentWithTheSingleBest() {
        List<Host> hosts = List.of(new Host("fwd-a", 5), new Host("fwd-b", 7), new Host("fwd-c", 9));
        for (String r : rooms().subList(0, 500)) {
            List<String> two = WeightedRendezvous.best(r, hosts, 2);
            assertThat(two).hasSize(2).doesNotHaveDuplicates();
            assertThat(two.get(0)).isEqualTo(WeightedRendezvous.best(r, hosts, 1).get(0));
            assertThat(WeightedRendezvous.score(r, hostNamed(hosts, two.get(0))))
                    .isGreaterThanOrEqualTo(WeightedRendezvous.score(r, hostNamed(hosts, two.get(1))));
        }
        assertThat(WeightedRendezvous.best("room", List.of(new Host("only", 1)), 2)).containsExactly("only");
        assertThat(WeightedRendezvous.best("room", List.of(), 2)).isEmpty();
    }

    @Test
    void shouldNotDependOnTheOrderOfTheHosts() {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hosts.add(new Host("forwarder-" + i, 1 + i % 3));
        }
        List<Host> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, new java.util.Random(7));
        for (String r : rooms().subList(0, 1000)) {
            assertThat(WeightedRendezvous.best(r, shuffled, 2)).isEqualTo(WeightedRendezvous.best(r, hosts, 2));
        }
    }

    @Test
    void shouldBeDeterministicAcrossJvmsWithFixedHashValues() {
        // pinned values: a change of the hash function would silently re-place every room on a rolling upgrade
        assertThat(WeightedRendezvous.hash64("")).isEqualTo(WeightedRendezvous.fmix64(0xcbf29ce484222325L));
        long h = WeightedRendezvous.hash("room-1", "fwd-a");
        assertThat(h).isEqualTo(WeightedRendezvous.hash("room-1", "fwd-a"));
        assertThat(h).isNotEqualTo(WeightedRendezvous.hash("fwd-a", "room-1"));
        assertThat(h).isEqualTo(PINNED_ROOM1_FWDA);
    }

    /** hash("room-1", "fwd-a") as computed when the scheme was introduced. */
    private static final long PINNED_ROOM1_FWDA = 4989549212889565616L;

    @Test
    void shouldMapHashesStrictlyInsideTheUnitInterval() {
        assertThat(WeightedRendezvous.unit(0L)).isGreaterThan(0).isLessThan(1);
        assertThat(WeightedRendezvous.unit(-1L)).isGreaterThan(0).isLessThan(1);
        assertThat(WeightedRendezvous.unit(Long.MIN_VALUE)).isGreaterThan(0).isLessThan(1);
        assertThat(WeightedRendezvous.score("r", new Host("h", 1))).isPositive().isFinite();
    }

    private static Host hostNamed(List<Host> hosts, String id) {
        return hosts.stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow();
    }
}
