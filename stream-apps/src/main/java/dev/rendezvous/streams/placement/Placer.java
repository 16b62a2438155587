package dev.rendezvous.streams.placement;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One processor's use of a {@link PlacementPolicy}: it keeps the {@link SkeletonRendezvous} tree between
 * placements, which the policy (a shared, immutable value) cannot. Not thread-safe: one per stream task.
 *
 * <p>Among the healthy forwarders, those in the client's region ({@code regionHint}) are tried first: the primary
 * and as many standbys as the region has; the rest come from the other regions, so a region with one forwarder
 * still gets a standby elsewhere. Without a hint, or with no healthy forwarder in that region, every region is
 * equal.
 *
 * <p>A group (the region's forwarders, or the others) of at least {@link PlacementPolicy#skeletonFrom()} hosts is
 * searched with the skeleton tree (O(b·log_b n) hashes per lookup instead of n; docs/benchmarks.md has the
 * crossover measured); smaller groups score every host. The tree is rebuilt when the group's members change, or
 * at most once per {@link PlacementPolicy#skeletonRefresh()} for the weights (forwarders report every second, so a
 * tree's weights are at most that much older than the flat scheme's).
 *
 * <p>{@link #choose} looks at every forwarder it is given (O(n) per placement: the health check, the grouping, the
 * tree's member check). For large fleets the processor uses {@link #chooseInSnapshot} instead: the fleet comes as a
 * snapshot that is read again at most once per refresh, and the healthy forwarders' groups and trees are made once
 * per snapshot, so a placement costs the tree lookups alone.
 */
public final class Placer {

    private final PlacementPolicy policy;
    private final Map<String, Tree> trees = new HashMap<>();
    private Groups groups;   // of the last snapshot chooseInSnapshot saw

    /** A cached tree of one group: its members and when it was built. */
    private record Tree(Set<String> ids, Instant builtAt, SkeletonRendezvous skeleton) {}

    Placer(PlacementPolicy policy) {
        this.policy = policy;
    }

    /**
     * The chosen forwarder ids for {@code roomId}, primary first; empty when none is healthy.
     *
     * @param fleet      forwarder id → its latest metrics (null values are skipped)
     * @param now        the triggering record's timestamp (health and tree age are judged against it)
     * @param regionHint the client's region, or null
     */
    public List<String> choose(String roomId, Map<String, ForwarderMetrics> fleet, Instant now, String regionHint) {
        List<WeightedRendezvous.Host> near = new ArrayList<>();
        List<WeightedRendezvous.Host> far = new ArrayList<>();
        boolean hinted = regionHint != null && !regionHint.isBlank();
        fleet.forEach((id, m) -> {
            if (id != null && m != null && ForwarderWeight.healthy(m, now, policy.healthyWithin())) {
                WeightedRendezvous.Host h = new WeightedRendezvous.Host(id, ForwarderWeight.weight(m));
                (hinted && regionHint.equals(m.region()) ? near : far).add(h);
            }
        });
        int k = policy.hosts();
        List<String> chosen = new ArrayList<>(k);
        if (!near.isEmpty()) {
            chosen.addAll(best("near:" + regionHint, roomId, near, k, now));
        }
        if (chosen.size() < k && !far.isEmpty()) {
            chosen.addAll(best(hinted ? "far:" + regionHint : "all", roomId, far, k - chosen.size(), now));
        }
        return List.copyOf(chosen);
    }

    /**
     * As {@link #choose}, for a fleet given as a snapshot: the same map object until the fleet is read again (then a
     * new one). Which forwarders are healthy (judged at the first placement of the snapshot, on its {@code now}, and
     * again when a placement's {@code now} is more than {@link PlacementPolicy#skeletonRefresh()} away from it), how
     * they group by region, and each group's tree are kept with the snapshot, so each placement after the first of a
     * snapshot costs O(b·log_b n) hashes whatever the fleet's size. The caller reads the fleet again at most once per
     * {@link PlacementPolicy#skeletonRefresh()}, and passes a new map whenever the set of usable forwarders changes.
     */
    public List<String> chooseInSnapshot(String roomId, Map<String, ForwarderMetrics> snapshot, Instant now,
                                         String regionHint) {
        if (groups == null || groups.snapshot() != snapshot
                || Duration.between(groups.judgedAt(), now).abs().compareTo(policy.skeletonRefresh()) > 0) {
            // a new snapshot, or record time moved on (a backlog read fast): health is judged again
            groups = Groups.of(snapshot, now, policy);
        }
        boolean hinted = regionHint != null && !regionHint.isBlank();
        int k = policy.hosts();
        List<String> chosen = new ArrayList<>(k);
        Chooser near = hinted ? groups.near(regionHint, policy) : null;
        if (near != null) {
            chosen.addAll(near.best(roomId, k));
        }
        if (chosen.size() < k) {
            // a hint no healthy forwarder has is no hint: everyone, not a copy of everyone per unknown region
            Chooser far = near != null ? groups.far(regionHint, policy) : groups.all(policy);
            if (far != null) {
                chosen.addAll(far.best(roomId, k - chosen.size()));
            }
        }
        return List.copyOf(chosen);
    }

    /** One group's way to choose: a tree from {@code skeletonFrom} hosts, else scoring each. */
    private record Chooser(List<WeightedRendezvous.Host> hosts, SkeletonRendezvous tree) {
        static Chooser of(List<WeightedRendezvous.Host> hosts, PlacementPolicy policy) {
            if (hosts.isEmpty()) {
                return null;
            }
            return new Chooser(hosts, hosts.size() >= policy.skeletonFrom()
                    ? SkeletonRendezvous.of(hosts, policy.branching()) : null);
        }

        List<String> best(String roomId, int k) {
            return tree != null ? tree.best(roomId, k) : WeightedRendezvous.best(roomId, hosts, k);
        }
    }

    /**
     * A snapshot's healthy forwarders (with each one's region, aligned), and the groups' choosers, each made when first
     * asked for (empty: a group without forwarders).
     */
    private record Groups(Map<String, ForwarderMetrics> snapshot, Instant judgedAt,
                          List<WeightedRendezvous.Host> everyone, List<String> regions,
                          Map<String, java.util.Optional<Chooser>> choosers) {

        static Groups of(Map<String, ForwarderMetrics> snapshot, Instant now, PlacementPolicy policy) {
            List<WeightedRendezvous.Host> everyone = new ArrayList<>();
            List<String> regions = new ArrayList<>();
            snapshot.forEach((id, m) -> {
                if (id != null && m != null && ForwarderWeight.healthy(m, now, policy.healthyWithin())) {
                    everyone.add(new WeightedRendezvous.Host(id, ForwarderWeight.weight(m)));
                    regions.add(m.region());
                }
            });
            return new Groups(snapshot, now, everyone, regions, new HashMap<>());
        }

        Chooser all(PlacementPolicy policy) {
            return group("all", everyone, policy);
        }

        Chooser near(String region, PlacementPolicy policy) {
            return choosers.computeIfAbsent("near:" + region, g -> java.util.Optional.ofNullable(
                    Chooser.of(inRegion(region, true), policy))).orElse(null);
        }

        Chooser far(String region, PlacementPolicy policy) {
            return choosers.computeIfAbsent("far:" + region, g -> java.util.Optional.ofNullable(
                    Chooser.of(inRegion(region, false), policy))).orElse(null);
        }

        private Chooser group(String key, List<WeightedRendezvous.Host> hosts, PlacementPolicy policy) {
            return choosers.computeIfAbsent(key, g -> java.util.Optional.ofNullable(Chooser.of(hosts, policy)))
                    .orElse(null);
        }

        /** The hosts in {@code region} ({@code in}) or not in it. */
        private List<WeightedRendezvous.Host> inRegion(String region, boolean in) {
            List<WeightedRendezvous.Host> out = new ArrayList<>();
            for (int i = 0; i < everyone.size(); i++) {
                if (region.equals(regions.get(i)) == in) {
                    out.add(everyone.get(i));
                }
            }
            return out;
        }
    }

    private List<String> best(String group, String roomId, List<WeightedRendezvous.Host> hosts, int k, Instant now) {
        if (hosts.size() < policy.skeletonFrom()) {
            trees.remove(group);
            return WeightedRendezvous.best(roomId, hosts, k);
        }
        Tree t = trees.get(group);
        if (t == null || stale(t, hosts, now)) {
            Set<String> ids = new HashSet<>(hosts.size() * 2);
            hosts.forEach(h -> ids.add(h.id()));
            t = new Tree(ids, now, SkeletonRendezvous.of(hosts, policy.branching()));
            trees.put(group, t);
        }
        return t.skeleton().best(roomId, k);
    }

    private boolean stale(Tree t, List<WeightedRendezvous.Host> hosts, Instant now) {
        if (now.isBefore(t.builtAt()) || !now.isBefore(t.builtAt().plus(policy.skeletonRefresh()))) {
            return true;
        }
        if (t.ids().size() != hosts.size()) {
            return true;
        }
        for (WeightedRendezvous.Host h : hosts) {
            if (!t.ids().contains(h.id())) {
                return true;
            }
        }
        return false;
    }
}
