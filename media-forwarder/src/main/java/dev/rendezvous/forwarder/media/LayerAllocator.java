package dev.rendezvous.forwarder.media;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One page's layer decisions: for each video track it receives, the simulcast layer to send, or a pause. Pure (no
 * forwarder objects, no I/O): {@link LayerControl} describes the page's tracks as {@link Track}s once a second and
 * whenever the page reports its tiles, and applies the answer.
 *
 * <p><b>Cap by tile.</b> A hidden tile is paused. A shown one is capped at the lowest layer at least as wide as the
 * tile is rendered (device pixels), or the top; a track the page said nothing about is not capped.
 *
 * <p><b>Spending the estimate</b> (when the page's downlink estimate is known). The forwarder sends no probes, so the
 * estimate can only grow to about 1.5× what the page is sent: read as a hard budget it would keep a page on a low
 * layer for good. So it binds only while the link shows congestion (the caller's {@code congested}: the estimate fell,
 * the detector sees over-use, or loss): then what the audio takes is set aside, every unpaused track first gets its
 * lowest layer, and in order — screen shares, the active speaker's camera, then the largest tiles — each is raised to
 * the highest layer up to its cap whose extra rate the rest of the estimate covers. A track never goes below its
 * lowest layer for want of estimate (it is lowered, not paused). Without congestion a track keeps its layer and
 * climbs one layer per call towards its cap once its hold is over: the layer itself is the probe.
 *
 * <p><b>No oscillation.</b> Under congestion a layer above the one a track has must fit with {@value #UP_HEADROOM}×
 * its extra rate, while keeping the current one needs 1×. A track lowered for want of estimate is not raised again
 * for its hold: {@value #HOLD_SECONDS} s, doubled (up to {@value #MAX_HOLD_SECONDS} s) when it is lowered again within
 * {@value #BACKOFF_WINDOW_SECONDS} s of the last lowering, so a link that cannot take a layer is probed less and less
 * often. A failed probe — a track lowered within {@value #PROBE_SECONDS} s of being raised — holds only the layer it
 * probed and those above: it climbs back at once (a layer a second) to the layer it was raised from, which had held.
 * Without that, the probe's loss, which depresses the estimate, would drop the track to its lowest layer for the
 * whole hold although the layer below the probed one fits (a 600 kbit/s page: the lowest layer 5, 10, 20 s at a
 * time instead of the middle one). Tile caps apply at once both ways (the page debounces its reports).
 *
 * <p>Layer rates are the measured ones ({@link Track#layerBps}); a layer with no measurement yet (0) costs
 * {@link #fallbackBps}. Control side only (one thread at a time, under the room's lock).
 */
final class LayerAllocator {

    /** The decision for a track that is not to be sent. */
    static final int PAUSED = -1;
    static final double UP_HEADROOM = 1.25;
    static final long HOLD_SECONDS = 5;
    static final long MAX_HOLD_SECONDS = 60;
    static final long BACKOFF_WINDOW_SECONDS = 30;
    /** A raise lowered again within this long was a probe that failed. */
    static final long PROBE_SECONDS = 3;
    private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(PROBE_SECONDS);
    private static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
    private static final long MAX_HOLD_NANOS = TimeUnit.SECONDS.toNanos(MAX_HOLD_SECONDS);
    private static final long BACKOFF_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(BACKOFF_WINDOW_SECONDS);
    /** Width assumed for a track's top layer when no layer's width was measured (the page captures 1280×720). */
    static final int ASSUMED_TOP_WIDTH = 1280;

    /** Who is served first; declaration order is spending order. */
    enum Priority { SCREEN, SPEAKER, TILE }

    /**
     * One video track the page receives.
     *
     * @param key         stable identity across calls (the consumer)
     * @param tileWidth   rendered width in device pixels, or -1 when the page did not say (no cap)
     * @param tileHeight  rendered height, or -1
     * @param layerWidths each layer's picture width, lowest first (see {@link #resolveWidths})
     * @param layerBps    each layer's measured rate (0: unknown)
     * @param idle        the track carries nothing now (muted, not published yet): it costs nothing
     */
    record Track(Object key, Priority priority, boolean hidden, int tileWidth, int tileHeight, int[] layerWidths,
                 long[] layerBps, boolean idle) {

        int top() {
            return Math.max(0, layerWidths.length - 1);
        }

        long area() {
            return tileWidth < 0 || tileHeight < 0 ? Long.MAX_VALUE : (long) tileWidth * tileHeight;
        }
    }

    /** What the allocator remembers of a track between calls. */
    private static final class State {
        int layer = Integer.MIN_VALUE; // last decision (MIN_VALUE: none yet)
        long loweredAt;
        boolean lowered;
        /** Raising it to this layer or above waits for the hold (every raise, unless a failed probe was lowered). */
        int heldFrom = Integer.MAX_VALUE;
        long holdNanos = HOLD_NANOS;
        /** When it was last raised, and from which layer (-1: not since it started or showed again). */
        long raisedAt;
        int raisedFrom = -1;

        /** Whether raising the track to {@code layer} must wait. */
        boolean holds(int layer, long now) {
            return lowered && layer >= heldFrom && now - loweredAt < holdNanos;
        }
    }

    private final Map<Object, State> states = new HashMap<>();

    /**
     * The decision for each track, index-aligned: a layer index, or {@link #PAUSED}.
     *
     * @param budgetBps   the page's downlink estimate, or -1 when unknown (then only the tile caps apply)
     * @param congested   the link shows congestion now: the estimate binds (else tracks climb towards their caps)
     * @param reservedBps what the page's audio takes of the estimate
     */
    int[] allocate(List<Track> tracks, long budgetBps, boolean congested, long reservedBps, long now) {
        int n = tracks.size();
        int[] cap = new int[n];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            Track t = tracks.get(i);
            cap[i] = t.hidden() ? PAUSED : capByTile(t.layerWidths(), t.tileWidth());
            out[i] = cap[i];
        }
        if (budgetBps >= 0 && congested) {
            spend(tracks, cap, out, budgetBps - reservedBps, now);
        } else if (budgetBps >= 0) {
            climb(tracks, cap, out, now);
        }
        remember(tracks, cap, out, now);
        return out;
    }

    /** No congestion: each track keeps its layer and goes one layer up unless held (a new track takes its cap). */
    private void climb(List<Track> tracks, int[] cap, int[] out, long now) {
        for (int i = 0; i < tracks.size(); i++) {
            State s = states.get(tracks.get(i).key());
            if (cap[i] == PAUSED || s == null || s.layer < 0) {
                continue; // paused, new, or shown again: its cap
            }
            out[i] = Math.min(cap[i], s.holds(s.layer + 1, now) ? s.layer : s.layer + 1);
        }
    }

    private void spend(List<Track> tracks, int[] cap, int[] out, long remaining, long now) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            if (cap[i] != PAUSED) {
                order.add(i);
                out[i] = 0;
                remaining -= cost(tracks.get(i), 0);
            }
        }
        order.sort(Comparator.<Integer, Priority>comparing(i -> tracks.get(i).priority())
                .thenComparing(i -> tracks.get(i).area(), Comparator.reverseOrder()));
        for (int i : order) {
            Track t = tracks.get(i);
            State s = states.get(t.key());
            int current = s == null ? Integer.MIN_VALUE : s.layer;
            long base = cost(t, 0);
            for (int l = cap[i]; l >= 1; l--) {
                boolean up = l > current;
                if (up && s != null && s.holds(l, now)) {
                    continue;
                }
                long extra = cost(t, l) - base;
                double need = up ? extra * UP_HEADROOM : extra;
                if (need <= remaining) {
                    out[i] = l;
                    remaining -= extra;
                    break;
                }
            }
        }
    }

    /** Notes each track's decision (and when one was lowered below its cap for want of estimate); forgets the gone. */
    private void remember(List<Track> tracks, int[] cap, int[] out, long now) {
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < tracks.size(); i++) {
            Object key = tracks.get(i).key();
            seen.add(key);
            State s = states.computeIfAbsent(key, k -> new State());
            if (out[i] != PAUSED && out[i] < cap[i] && out[i] < s.layer) {
                boolean again = s.lowered && now - s.loweredAt < BACKOFF_WINDOW_NANOS;
                s.holdNanos = again ? Math.min(MAX_HOLD_NANOS, s.holdNanos * 2) : HOLD_NANOS;
                boolean failedProbe = s.raisedFrom >= 0 && now - s.raisedAt <= PROBE_NANOS;
                s.lowered = true;
                s.loweredAt = now;
                s.heldFrom = failedProbe ? s.layer : out[i] + 1;
            }
            if (out[i] > s.layer && s.layer >= 0) {
                s.raisedAt = now;
                s.raisedFrom = s.layer;
            } else if (out[i] < 0) {
                s.raisedFrom = -1;
            }
            s.layer = out[i];
        }
        states.keySet().retainAll(seen);
    }

    /** The lowest layer at least {@code tileWidth} wide, else the top; the top when the tile width is unknown. */
    static int capByTile(int[] widths, int tileWidth) {
        int top = Math.max(0, widths.length - 1);
        if (tileWidth <= 0) {
            return top;
        }
        for (int l = 0; l < top; l++) {
            if (widths[l] >= tileWidth) {
                return l;
            }
        }
        return top;
    }

    /** What layer {@code l} of a track costs: measured, else {@link #fallbackBps}; nothing for an idle track. */
    static long cost(Track t, int l) {
        if (t.idle()) {
            return 0;
        }
        long measured = l < t.layerBps().length ? t.layerBps()[l] : 0;
        return measured > 0 ? measured : fallbackBps(l, t.layerWidths().length);
    }

    /** A layer's rate before it is measured: the page's own encoding limits (150 k, 500 k, 1.5 M from the lowest). */
    static long fallbackBps(int layer, int layers) {
        if (layers <= 1) {
            return 500_000;
        }
        int fromTop = layers - 1 - layer;
        return fromTop == 0 ? 1_500_000 : fromTop == 1 ? 500_000 : 150_000;
    }

    /**
     * Each layer's width from what was measured ({@code measured[i]} ≤ 0: not yet): a layer not measured is taken
     * as twice as wide per step up from the nearest measured one (the page's layers are 1/4, 1/2, 1), or from an
     * assumed {@value #ASSUMED_TOP_WIDTH} px top when none was.
     */
    static int[] resolveWidths(int[] measured) {
        int n = measured.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (measured[i] > 0) {
                out[i] = measured[i];
                continue;
            }
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (measured[j] > 0 && (best < 0 || Math.abs(j - i) < Math.abs(best - i))) {
                    best = j;
                }
            }
            int fromWidth = best < 0 ? ASSUMED_TOP_WIDTH : measured[best];
            int steps = (best < 0 ? n - 1 : best) - i;
            out[i] = (int) Math.max(1, steps >= 0 ? fromWidth >> Math.min(steps, 20) : (long) fromWidth << Math.min(-steps, 4));
        }
        return out;
    }
}
