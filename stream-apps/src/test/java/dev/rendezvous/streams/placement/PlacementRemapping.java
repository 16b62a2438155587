package dev.rendezvous.streams.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many rooms move when one forwarder joins or leaves, against the ideal (the newcomer's share of the weight, or
 * the leaver's): the flat scheme and the skeleton tree, at 100, 1,000 and 10,000 forwarders. Primary only (the
 * standby follows the same rule). Run by hand (prints a Markdown table for docs/benchmarks.md):
 *
 * <pre>
 *   mvn -q -o -pl stream-apps -am test-compile
 *   mvn -q -o -pl stream-apps dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp stream-apps/target/test-classes:stream-apps/target/classes:topics/target/classes:$(cat /tmp/cp.txt) \
 *       dev.rendezvous.streams.placement.PlacementRemapping
 * </pre>
 */
public final class PlacementRemapping {

    private PlacementRemapping() {}

    public static void main(String[] args) {
        int branching = 8;
        System.out.println("| forwarders | change | ideal | flat | skeleton | skeleton ÷ ideal | tree depth |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int n : new int[] {100, 1_000, 10_000}) {
            List<WeightedRendezvous.Host> fleet = fleet(n);
            // rooms enough that the ideal share is ~500 rooms; the flat scheme is O(n) per room, so fewer there
            int rooms = (int) Math.min(2_000_000, 500L * n);
            int flatRooms = Math.min(rooms, 20_000_000 / n);
            WeightedRendezvous.Host joiner = new WeightedRendezvous.Host("fwd-joiner-" + n, 150);
            List<WeightedRendezvous.Host> joined = new ArrayList<>(fleet);
            joined.add(joiner);
            List<WeightedRendezvous.Host> left = new ArrayList<>(fleet);
            WeightedRendezvous.Host leaver = left.remove(n / 2);
            double total = fleet.stream().mapToDouble(WeightedRendezvous.Host::weight).sum();
            SkeletonRendezvous before = SkeletonRendezvous.of(fleet, branching);
            row(n, "one joins", joiner.weight() / (total + joiner.weight()),
                    flatMoved(fleet, joined, flatRooms), treeMoved(before, SkeletonRendezvous.of(joined, branching), rooms),
                    before.depth());
            row(n, "one leaves", leaver.weight() / total,
                    flatMoved(fleet, left, flatRooms), treeMoved(before, SkeletonRendezvous.of(left, branching), rooms),
                    before.depth());
        }
    }

    private static void row(int n, String change, double ideal, double flat, double tree, int depth) {
        System.out.printf(Locale.ROOT, "| %,d | %s | %.4f %% | %.4f %% | %.4f %% | %.1f | %d |%n",
                n, change, 100 * ideal, 100 * flat, 100 * tree, tree / ideal, depth);
    }

    static List<WeightedRendezvous.Host> fleet(int n) {
        List<WeightedRendezvous.Host> hosts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hosts.add(new WeightedRendezvous.Host("fwd-" + i, 50 + (i * 7919) % 200));
        }
        return hosts;
    }

    private static double flatMoved(List<WeightedRendezvous.Host> a, List<WeightedRendezvous.Host> b, int rooms) {
        int moved = 0;
        for (int r = 0; r < rooms; r++) {
            String room = "room-" + r;
            if (!WeightedRendezvous.best(room, a, 1).equals(WeightedRendezvous.best(room, b, 1))) {
                moved++;
            }
        }
        return moved / (double) rooms;
    }

    private static double treeMoved(SkeletonRendezvous a, SkeletonRendezvous b, int rooms) {
        int moved = 0;
        for (int r = 0; r < rooms; r++) {
            String room = "room-" + r;
            if (!a.best(room, 1).equals(b.best(room, 1))) {
                moved++;
            }
        }
        return moved / (double) rooms;
    }
}
