package dev.rendezvous.streams.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Weighted rendezvous (highest random weight) hashing: every (room, host) pair gets a pseudo-random score,
 * the room goes to the host with the highest score, and the next best are its standbys.
 *
 * <p>{@code score(room, host) = −weight(host) / ln(u)}, with {@code u = H(room, host)} mapped into (0, 1).
 * For independent uniform {@code u}, {@code −ln(u)/w} is exponential with rate {@code w}, and the host with
 * the smallest of those (the largest score) wins with probability {@code w / Σw}: rooms spread in
 * proportion to the weights. Adding a host takes only the rooms where the new host now scores highest;
 * removing one moves only its own rooms (every other room's scores are unchanged), and a weight change
 * moves only rooms whose best changes.
 *
 * <p>H is our own 64-bit hash (FNV-1a over the UTF-8 bytes, finished with MurmurHash3's fmix64, then the
 * two halves combined and mixed again), so it is the same on every JVM and release; it does not depend on
 * {@link String#hashCode()} or on a seed.
 */
public final class WeightedRendezvous {

    /**
     * A candidate host with its weight (> 0; see {@link ForwarderWeight}) and the hash of its id, computed once by
     * the two-argument constructor rather than per score (pass {@code idHash} yourself only as {@link #hash64}).
     */
    public record Host(String id, double weight, long idHash) {
        public Host {
            Objects.requireNonNull(id, "id");
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("weight must be positive and finite, was " + weight + " for " + id);
            }
        }

        public Host(String id, double weight) {
            this(Objects.requireNonNull(id, "id"), weight, hash64(id));
        }
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private WeightedRendezvous() {}

    /** The 64-bit hash of a (room, host) pair. Deterministic across JVMs. */
    public static long hash(String roomId, String hostId) {
        return combine(hash64(roomId), hash64(hostId));
    }

    /**
     * {@code h} mapped into the open interval (0, 1), using its 52 high bits: (m + ½)/2^52 is exact in a
     * double for every 52-bit m (with 53 bits the largest value would round up to 1.0, and ln(1) = 0).
     */
    public static double unit(long h) {
        return ((h >>> 12) + 0.5) * 0x1.0p-52;
    }

    /** {@code −weight / ln(u)}; higher is better. */
    public static double score(String roomId, Host host) {
        return score(hash64(roomId), host);
    }

    private static double score(long roomHash, Host host) {
        double u = unit(combine(roomHash, host.idHash()));
        return -host.weight() / FastLog.ln(u);
    }

    /**
     * The {@code k} best hosts for {@code roomId}, best first (fewer if there are fewer hosts). Equal scores
     * (practically impossible) are ordered by host id so the result never depends on the input order.
     */
    public static List<String> best(String roomId, Collection<Host> hosts, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        long roomHash = hash64(roomId);
        record Scored(String id, double score) {}
        List<Scored> scored = new ArrayList<>(hosts.size());
        for (Host h : hosts) {
            scored.add(new Scored(h.id(), score(roomHash, h)));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id));
        return scored.stream().limit(k).map(Scored::id).toList();
    }

    /** FNV-1a over the UTF-8 bytes, then fmix64 (FNV alone avalanches poorly in its low bits). */
    static long hash64(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return fmix64(h);
    }

    /** Order matters (room, host) ≠ (host, room); both inputs are already well mixed. */
    static long combine(long roomHash, long hostHash) {
        return fmix64(roomHash ^ (Long.rotateLeft(hostHash, 31) * GOLDEN));
    }

    /** MurmurHash3's 64-bit finalizer. */
    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
