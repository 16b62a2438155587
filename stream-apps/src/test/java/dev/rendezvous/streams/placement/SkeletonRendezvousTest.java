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
    void shouldMoveFewRoomsWhenAHostJoinsOrLeavesAnywhereInTheIdOrder() {
        // a host's place in the tree comes from its own id: a joiner or leaver in the middle of the id order
        // changes the weights on its own path only (the sorted-list grouping it replaced moved ~1/b of all rooms)
        List<Host> before = fleet(1000);
        List<Host> joined = new ArrayList<>(before);
        joined.add(new Host("forwarder-0500a", 3));
        List<Host> left = new ArrayList<>(before);
        left.remove(501);   // weight 3
        SkeletonRendezvous t0 = SkeletonRendezvous.of(before, 8);
        assertThat(t0.depth()).as("balanced: about log_8(1000) + 1 levels").isBetween(3, 6);
        double ideal = 3 / 2000.0;   // weight 3 of 2000
        int rooms = 60_000;
        for (SkeletonRendezvous t1 : List.of(SkeletonRendezvous.of(joined, 8), SkeletonRendezvous.of(left, 8))) {
            int moved = 0;
            for (int r = 0; r < rooms; r++) {
                if (!t0.best("room-" + r, 1).equals(t1.best("room-" + r, 1))) {
                    moved++;
                }
            }
            assertThat(moved / (double) rooms).as("moved share against ideal " + ideal)
                    .isGreaterThan(ideal / 2).isLessThan(t0.depth() * ideal * 1.5);
        }
    }

    @Test
    void shouldMovePrimariesAndStandbysWithinTheDepthTimesWhatTheFlatSchemeMovesOnAWeightChange() {
        // one host's weight doubles: the flat scheme moves only the rooms whose best two change (the minimum);
        // the tree also moves rooms at each level of that host's path, so at most about depth times as many
        List<Host> before = fleet(100);
        List<Host> after = new ArrayList<>(before);
        after.set(7, new Host(before.get(7).id(), before.get(7).weight() * 2));
        SkeletonRendezvous t0 = SkeletonRendezvous.of(before, 8);
        SkeletonRendezvous t1 = SkeletonRendezvous.of(after, 8);
        int rooms = 6_000;
        int treeMoved = 0;
        int flatMoved = 0;
        for (int r = 0; r < rooms; r++) {
            String room = "room-" + r;
            if (!t0.best(room, 2).equals(t1.best(room, 2))) {
                treeMoved++;
            }
            if (!WeightedRendezvous.best(room, before, 2).equals(WeightedRendezvous.best(room, after, 2))) {
                flatMoved++;
            }
        }
        assertThat(flatMoved).as("the change moves some rooms even in the flat scheme").isPositive();
        assertThat(treeMoved).isBetween(flatMoved / 2, (int) (t0.depth() * flatMoved * 1.5));
    }
}
