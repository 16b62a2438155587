package dev.rendezvous.streams.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Skeleton-based weighted rendezvous hashing, for fleets too large to score every host per placement.
 *
 * <p>The hosts (sorted by id) are the leaves of a virtual tree with branching factor {@code b}; an internal
 * node's weight is the sum of its children's. A room descends from the root choosing, at each level, the
 * child with the best {@link WeightedRendezvous} score for (room, child id): O(b·log_b n) hashes instead of
 * n. Because each level is a weighted HRW choice, a leaf is still reached with probability ≈ its share of
 * the total weight. Standbys are found by descending again with the already chosen leaves removed (their
 * weight subtracted from their ancestors).
 *
 * <p>Cost compared with the flat scheme: the tree's shape depends on the sorted host list, so adding or
 * removing a host can regroup the leaves after it and move more rooms than the flat scheme's minimum.
 * (A fixed virtual slot per host, e.g. from a hash of its id, would bound that; not needed below a few
 * thousand forwarders, where {@link PlacementPolicy} scores every host in microseconds.) Build once per
 * fleet change, query many times; immutable and thread-safe.
 */
public final class SkeletonRendezvous {

    /** A leaf (a host) or an internal node covering the leaves with indices [lo, hi) in id order. */
    private record Node(String id, double weight, List<Node> children, int lo, int hi) {}

    /** A chosen leaf: its index in id order and its weight. */
    private record Taken(String id, int index, double weight) {}

    private final Node root;
    private final int branching;

    private SkeletonRendezvous(Node root, int branching) {
        this.root = root;
        this.branching = branching;
    }

    /** A tree over {@code hosts} with branching factor {@code b} (≥ 2). */
    public static SkeletonRendezvous of(Collection<WeightedRendezvous.Host> hosts, int b) {
        if (b < 2) {
            throw new IllegalArgumentException("branching factor must be at least 2, was " + b);
        }
        List<WeightedRendezvous.Host> sorted = hosts.stream()
                .sorted(Comparator.comparing(WeightedRendezvous.Host::id)).toList();
        List<Node> level = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            level.add(new Node(sorted.get(i).id(), sorted.get(i).weight(), List.of(), i, i + 1));
        }
        int depth = 0;
        while (level.size() > 1) {
            depth++;
            List<Node> up = new ArrayList<>((level.size() + b - 1) / b);
            for (int i = 0; i < level.size(); i += b) {
                List<Node> group = level.subList(i, Math.min(level.size(), i + b));
                double w = group.stream().mapToDouble(Node::weight).sum();
                up.add(new Node("skeleton/" + depth + "/" + (i / b), w, List.copyOf(group),
                        group.get(0).lo(), group.get(group.size() - 1).hi()));
            }
            level = up;
        }
        return new SkeletonRendezvous(level.isEmpty() ? null : level.get(0), b);
    }

    public int branching() {
        return branching;
    }

    /** The {@code k} best hosts for the room, best first (fewer if the tree has fewer leaves). */
    public List<String> best(String roomId, int k) {
        List<Taken> taken = new ArrayList<>(k);
        while (root != null && taken.size() < k) {
            Node leaf = descend(root, roomId, taken);
            if (leaf == null) {
                break;
            }
            taken.add(new Taken(leaf.id(), leaf.lo(), leaf.weight()));
        }
        return taken.stream().map(Taken::id).toList();
    }

    /** The best remaining leaf under {@code n}, or null if every leaf under it is taken. */
    private static Node descend(Node n, String roomId, List<Taken> taken) {
        if (n.children().isEmpty()) {
            return takenWeight(n, taken) > 0 ? null : n;
        }
        // children in score order, the weight of taken leaves subtracted; fall through to the next child
        // only when a subtree is exhausted
        record Scored(Node node, double score) {}
        List<Scored> scored = new ArrayList<>(n.children.size());
        for (Node c : n.children()) {
            double w = c.weight() - takenWeight(c, taken);
            if (w > 0 && !exhausted(c, taken)) {
                scored.add(new Scored(c, WeightedRendezvous.score(roomId, new WeightedRendezvous.Host(c.id(), w))));
            }
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(s -> s.node().id()));
        for (Scored s : scored) {
            Node leaf = descend(s.node(), roomId, taken);
            if (leaf != null) {
                return leaf;
            }
        }
        return null;
    }

    /** The weight of the chosen leaves under {@code n}: O(k). */
    private static double takenWeight(Node n, List<Taken> taken) {
        double sum = 0;
        for (Taken t : taken) {
            if (t.index() >= n.lo() && t.index() < n.hi()) {
                sum += t.weight();
            }
        }
        return sum;
    }

    private static boolean exhausted(Node n, List<Taken> taken) {
        int count = 0;
        for (Taken t : taken) {
            if (t.index() >= n.lo() && t.index() < n.hi()) {
                count++;
            }
        }
        return count >= n.hi() - n.lo();
    }
}
