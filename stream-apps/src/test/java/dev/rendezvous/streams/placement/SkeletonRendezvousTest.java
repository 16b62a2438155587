package dev.rendezvous.streams.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rendezvous.streams.placement.WeightedRendezvous.Host;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkeletonRendezvousTest {

    private static List<Host> fleet(int n) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hosts.add(new Host(String.format("forwarder-%04d", i), i % 2 == 0 ? 1 : 3));
        }
        return hosts;
    }

    @Test
    void shouldSpreadRoomsInProportionToLeafWeights() {
        SkeletonRendezvous tree = SkeletonRendezvous.of(fleet(64), 4);
        Map<Integer, Integer> byWeight = new HashMap<>();
        int rooms = 20_000;
        for (int r = 0; r < rooms; r++) {
            String host = tree.best("room-" + r, 1).get(0);
            int index = Integer.parseInt(host.substring("forwarder-".length()));
            byWeight.merge(index % 2 == 0 ? 1 : 3, 1, Integer::sum);
        }
        // light hosts hold 1/4 of the weight
        assertThat(byWeight.get(1) / (double) rooms).isCloseTo(0.25, within(0.03));
    }

    @Test
    void shouldPickDistinctHostsDeterministically() {
        SkeletonRendezvous tree = SkeletonRendezvous.of(fleet(50), 3);
        for (int r = 0; r < 500; r++) {
            List<String> two = tree.best("room-" + r, 2);
            assertThat(two).hasSize(2).doesNotHaveDuplicates();
            assertThat(SkeletonRendezvous.of(fleet(50), 3).best("room-" + r, 2)).isEqualTo(two);
        }
        assertThat(SkeletonRendezvous.of(fleet(2), 4).best("room", 5)).hasSize(2);
        assertThat(SkeletonRendezvous.of(List.of(), 4).best("room", 2)).isEmpty();
    }

    @Test
    void shouldKeepRoomsOfUnaffectedSubtreesWhenALastHostIsAdded() {
        // sorted ids: a new highest id joins the last group only; rooms descending elsewhere stay (the
        // scheme's weaker minimal-disruption guarantee, see the class doc)
        List<Host> before = fleet(16);
        List<Host> after = new ArrayList<>(before);
        after.add(new Host("forwarder-9999", 1));
        SkeletonRendezvous t0 = SkeletonRendezvous.of(before, 4);
        SkeletonRendezvous t1 = SkeletonRendezvous.of(after, 4);
        int moved = 0;
        for (int r = 0; r < 5000; r++) {
            if (!t0.best("room-" + r, 1).equals(t1.best("room-" + r, 1))) {
                moved++;
            }
        }
        assertThat(moved / 5000.0).isLessThan(0.5);
    }
}
