package dev.rendezvous.streams.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Skeleton-based weighted rendezvous hashing (the seed's section 7), for fleets too large to score every host per
 * placement.
 *
 * <p><b>Shape.</b> The hosts are the leaves of a virtual tree with branching factor {@code b}; an internal node's
 * weight is the sum of its children's. A host's place in the tree comes from its own id only: the base-{@code b}
 * digits of {@code hash64(id)} (read as a fraction in [0, 1)) are its path from the root, and a node whose subtree
 * holds at most {@code b} hosts has them as its leaves. With hashed ids the tree is balanced in expectation (depth
 * about log_b n), and it does not depend on which other hosts exist: a host joining or leaving changes the weights
 * on its own path only, and no other host changes place. (Grouping hosts by their position in a sorted list, the
 * obvious alternative, regroups every node after an inserted id; docs/benchmarks.md measured the difference.)
 *
 * <p><b>Lookup.</b> A room descends from the root choosing, at each level, the child with the best
 * {@link WeightedRendezvous} score for (room, child): O(b·log_b n) hashes instead of n. Each level is a weighted
 * HRW choice, so a leaf is reached with probability equal to its share of the total weight. Standbys are found
 * by descending again with the chosen leaves' weight subtracted from their ancestors. A node's identity (what is
 * hashed with the room) is its path, so it survives rebuilds.
 *
 * <p><b>Remapping.</b> When a host of weight w joins a fleet of weight W, rooms move at each level of its path where
 * its ancestor now wins: about w/W of all rooms per level, so at most (depth × w/W), against the flat scheme's
 * exact w/W. Leaving is symmetric.
 *
 * <p><b>Cost.</b> Immutable, thread-safe and allocation-free per lookup except the returned list. Scores use
 * {@link FastLog}, a table-based natural logarithm that is pure arithmetic (identical on every JVM), instead of
 * {@link Math#log}, which was the largest cost of a lookup. Building sorts the hosts: O(n log n).
 */
public final class SkeletonRendezvous {

    /** Deepest level: 64 bits of hash give at least 64 / log2(b) digits; hosts still together here share a node. */
    private static final int MAX_DEPTH = 21;

    private final int branching;
    private final int leaves;
    /** Per node (leaves first, in hash order; then internal nodes): hash of its identity, weight, leaf range. */
    private final long[] hash;
    private final double[] weight;
    private final int[] lo;
    private final int[] hi;
    /** Internal node i (index ≥ leaves): its children are children[first[i - leaves] .. first[i - leaves + 1]). */
    private final int[] first;
    private final int[] children;
    private final String[] ids;
    private final int root;

    private SkeletonRendezvous(int branching, Builder b) {
        this.branching = branching;
        this.leaves = b.leafCount;
        this.hash = Arrays.copyOf(b.hash, b.nodes);
        this.weight = Arrays.copyOf(b.weight, b.nodes);
        this.lo = Arrays.copyOf(b.lo, b.nodes);
        this.hi = Arrays.copyOf(b.hi, b.nodes);
        this.first = Arrays.copyOf(b.first, b.nodes - b.leafCount + 1);
        this.children = Arrays.copyOf(b.children, b.childCount);
        this.ids = b.ids;
        this.root = b.root;
    }

    /** A tree over {@code hosts} (distinct ids) with branching factor {@code b} (≥ 2). */
    public static SkeletonRendezvous of(Collection<WeightedRendezvous.Host> hosts, int b) {
        if (b < 2) {
            throw new IllegalArgumentException("branching factor must be at least 2, was " + b);
        }
        return new SkeletonRendezvous(b, new Builder(hosts, b));
    }

    public int branching() {
        return branching;
    }

    /** The number of levels from the root to the deepest leaf (0 for an empty tree, 1 for a root over leaves). */
    public int depth() {
        return depth(root);
    }

    private int depth(int node) {
        if (node < 0 || node < leaves) {
            return 0;
        }
        int d = 0;
        for (int c = first[node - leaves]; c < first[node - leaves + 1]; c++) {
            d = Math.max(d, depth(children[c]));
        }
        return d + 1;
    }

    /** The {@code k} best hosts for the room, best first (fewer if the tree has fewer leaves). */
    public List<String> best(String roomId, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        long roomHash = WeightedRendezvous.hash64(roomId);
        int want = Math.min(k, leaves);
        int[] taken = new int[want];
        List<String> chosen = new ArrayList<>(want);
        for (int n = 0; n < want; n++) {
            int leaf = descend(roomHash, taken, n);
            if (leaf < 0) {
                break;
            }
            taken[n] = leaf;
            chosen.add(ids[leaf]);
        }
        return chosen;
    }

    /** The best remaining leaf for the room, or −1 when every leaf is taken. */
    private int descend(long roomHash, int[] taken, int takenCount) {
        int node = root;
        if (node < 0) {
            return -1;
        }
        while (node >= leaves) {
            int best = -1;
            double bestScore = 0;
            int i = node - leaves;
            if (first[i + 1] - first[i] == 1) {   // a single child (one host under this digit): nothing to score
                int only = children[first[i]];
                if (remaining(only, taken, takenCount) <= 0) {
                    return -1;
                }
                node = only;
                continue;
            }
            for (int c = first[i]; c < first[i + 1]; c++) {
                int child = children[c];
                double w = remaining(child, taken, takenCount);
                if (w > 0) {
                    double u = WeightedRendezvous.unit(WeightedRendezvous.combine(roomHash, hash[child]));
                    double score = -w / FastLog.ln(u);
                    if (best < 0 || score > bestScore) {
                        best = child;
                        bestScore = score;
                    }
                }
            }
            if (best < 0) {
                return -1;
            }
            node = best;
        }
        return node;
    }

    /** The node's weight without the taken leaves under it; 0 when every leaf under it is taken. */
    private double remaining(int node, int[] taken, int takenCount) {
        double w = weight[node];
        int left = hi[node] - lo[node];
        for (int t = 0; t < takenCount; t++) {
            int leaf = taken[t];
            if (leaf >= lo[node] && leaf < hi[node]) {
                w -= weight[leaf];
                left--;
            }
        }
        return left > 0 ? Math.max(w, Double.MIN_NORMAL) : 0;
    }

    /** Builds the node arrays: leaves in the order of their hashes, then internal nodes bottom-up per subtree. */
    private static final class Builder {
        final int leafCount;
        final String[] ids;
        long[] hash;
        double[] weight;
        int[] lo;
        int[] hi;
        int[] first;
        int[] children;
        int nodes;
        int childCount;
        int root = -1;
        private final int b;

        Builder(Collection<WeightedRendezvous.Host> hosts, int b) {
            this.b = b;
            record Leaf(String id, double weight, long hash) {}
            Leaf[] sorted = hosts.stream()
                    .map(h -> new Leaf(h.id(), h.weight(), WeightedRendezvous.hash64(h.id())))
                    .sorted((x, y) -> {
                        int byHash = Long.compareUnsigned(x.hash(), y.hash());
                        return byHash != 0 ? byHash : x.id().compareTo(y.id());
                    })
                    .toArray(Leaf[]::new);
            leafCount = sorted.length;
            ids = new String[leafCount];
            int capacity = Math.max(4, leafCount * 2 + 8);
            hash = new long[capacity];
            weight = new double[capacity];
            lo = new int[capacity];
            hi = new int[capacity];
            first = new int[capacity];
            children = new int[capacity];
            for (int i = 0; i < leafCount; i++) {
                ids[i] = sorted[i].id();
                hash[i] = sorted[i].hash();
                weight[i] = sorted[i].weight();
                lo[i] = i;
                hi[i] = i + 1;
            }
            nodes = leafCount;
            if (leafCount > 0) {
                long[] leafHashes = Arrays.copyOf(hash, leafCount);
                root = build(leafHashes, 0, leafCount, 0, ROOT_IDENTITY);
            }
        }

        private static final long ROOT_IDENTITY = 0x5ca1ab1e0ddba11L;

        /**
         * The node over leaves [from, to) at {@code level}, identified by {@code identity} (a hash of its path).
         * Its children: the leaves themselves when there are at most b (or the digits ran out), else one node per
         * base-b digit of the leaves' hashes at this level.
         */
        private int build(long[] leafHashes, int from, int to, int level, long identity) {
            int[] kids;
            if (to - from <= b || level >= MAX_DEPTH) {
                kids = new int[to - from];
                for (int i = from; i < to; i++) {
                    kids[i - from] = i;
                }
            } else {
                int[] grown = new int[b];
                int count = 0;
                int start = from;
                while (start < to) {
                    long d = digit(leafHashes[start], level, b);
                    int end = start + 1;
                    while (end < to && digit(leafHashes[end], level, b) == d) {
                        end++;
                    }
                    grown[count++] = build(leafHashes, start, end, level + 1, childIdentity(identity, d));
                    start = end;
                }
                kids = Arrays.copyOf(grown, count);
            }
            return addInternal(kids, identity, from, to);
        }

        private int addInternal(int[] kids, long identity, int from, int to) {
            int node = nodes++;
            ensure(node + 1, childCount + kids.length);
            double sum = 0;
            for (int kid : kids) {
                sum += weight[kid];
            }
            hash[node] = identity;
            weight[node] = sum;
            lo[node] = from;
            hi[node] = to;
            int i = node - leafCount;
            first[i] = childCount;
            System.arraycopy(kids, 0, children, childCount, kids.length);
            childCount += kids.length;
            first[i + 1] = childCount;
            return node;
        }

        private void ensure(int nodeCapacity, int childCapacity) {
            if (nodeCapacity + 1 > hash.length) {
                int n = Math.max(nodeCapacity + 1, hash.length * 2);
                hash = Arrays.copyOf(hash, n);
                weight = Arrays.copyOf(weight, n);
                lo = Arrays.copyOf(lo, n);
                hi = Arrays.copyOf(hi, n);
            }
            if (nodeCapacity - leafCount + 2 > first.length) {
                first = Arrays.copyOf(first, Math.max(nodeCapacity - leafCount + 2, first.length * 2));
            }
            if (childCapacity > children.length) {
                children = Arrays.copyOf(children, Math.max(childCapacity, children.length * 2));
            }
        }
    }

    /**
     * The {@code level}-th base-b digit of {@code h} read as the fraction h / 2^64: sorting by unsigned hash sorts by
     * these digits, so every subtree is a contiguous range of the sorted leaves.
     */
    static long digit(long h, int level, int b) {
        long x = h;
        long d = 0;
        for (int i = 0; i <= level; i++) {
            d = Math.multiplyHigh(x, b) + ((x >> 63) & b);   // unsigned high word of x·b: the next digit
            x = x * b;                                        // the remaining fraction
        }
        return d;
    }

    /** A child's identity from its parent's and its digit: stable across rebuilds and other hosts' changes. */
    static long childIdentity(long parent, long digit) {
        return WeightedRendezvous.fmix64(parent * 0x9e3779b97f4a7c15L + digit + 1);
    }
}
