package dev.rendezvous.streams.placement;

import dev.rendezvous.topics.model.ForwarderMetrics;
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
 */
public final class Placer {

    private final PlacementPolicy policy;
    private final Map<String, Tree> trees = new HashMap<>();

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
