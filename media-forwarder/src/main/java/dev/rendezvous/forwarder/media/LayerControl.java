package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.bwe.BandwidthUsage;
import dev.rendezvous.forwarder.media.bwe.DownlinkEstimator;
import dev.rendezvous.forwarder.media.bwe.TransportCcSender;
import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs each page's {@link LayerAllocator} and applies its decisions to the page's consumers: the layer granted
 * ({@link Consumer#allocatedLayer}) and the pause of hidden tiles ({@link Consumer#viewPause}, with a keyframe
 * request when a tile shows again). Off the packet path: on the media timer once a second (after measuring every
 * layer's rate, {@link #measure}) and when a page reports its tiles ({@link #viewLocked}). The packet thread only
 * reads the two volatile fields it sets.
 */
final class LayerControl {

    /** Bytes each packet adds to its payload on the wire (RTP header and extensions, SRTP tag, UDP/IP). */
    static final int PACKET_OVERHEAD_BYTES = 50;

    /** What is read of a page's downlink: its estimate (-1: none) and whether its estimator sees congestion now. */
    record Downlink(long estimateBps, boolean congestedNow) {
        static final Downlink NONE = new Downlink(-1, false);
    }

    private final KeyframeService keyframes;
    private final Function<Peer, Downlink> downlinks;

    LayerControl(KeyframeService keyframes) {
        this(keyframes, LayerControl::downlinkOf);
    }

    /** @param downlinks how a page's downlink is read (tests give their own) */
    LayerControl(KeyframeService keyframes, Function<Peer, Downlink> downlinks) {
        this.keyframes = keyframes;
        this.downlinks = downlinks;
    }

    /** What a video consumer is doing, for the metrics ({@link #videoConsumerStates}). */
    enum VideoState { PAUSED, STARTING, LAYER_0, LAYER_1, LAYER_2, SINGLE }

    /**
     * How the video consumers of {@code routers} stand now, counted per {@link VideoState}: paused for a hidden tile,
     * not forwarding yet, on simulcast layer 0/1/2 (lowest first), or forwarding a track sent as one stream; by
     * state name in lower case. Control side (allocates).
     */
    static Map<String, Integer> videoConsumers(Iterable<Router> routers) {
        int[] counts = videoConsumerStates(routers);
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (VideoState s : VideoState.values()) {
            out.put(s.name().toLowerCase(java.util.Locale.ROOT), counts[s.ordinal()]);
        }
        return out;
    }

    private static int[] videoConsumerStates(Iterable<Router> routers) {
        int[] counts = new int[VideoState.values().length];
        for (Router router : routers) {
            for (Peer p : router.peers) {
                for (Consumer c : p.consumers) {
                    if (c.closed || c.producer.kind != TrackKind.VIDEO) {
                        continue;
                    }
                    counts[stateOf(c).ordinal()]++;
                }
            }
        }
        return counts;
    }

    private static VideoState stateOf(Consumer c) {
        if (c.viewPaused || c.paused) {
            return VideoState.PAUSED;
        }
        Layer[] layers = c.producer.layers;
        int layer = c.forwardedLayer();
        if (layer < 0 || !c.forwarding) {
            return VideoState.STARTING;
        }
        if (layers == null || layers.length <= 1) {
            return VideoState.SINGLE;
        }
        return switch (Math.min(layer, 2)) {
            case 0 -> VideoState.LAYER_0;
            case 1 -> VideoState.LAYER_1;
            default -> VideoState.LAYER_2;
        };
    }

    /** Timer: measures the room's layer rates, then decides every page's layers. */
    void tick(Router router, long now) {
        measure(router, now);
        synchronized (router) {
            for (Peer p : router.peers) {
                allocateLocked(p, now);
            }
        }
    }

    /** A page reported how it shows the remote video tracks (the whole set): decided at once. */
    void viewLocked(Peer p, List<TileSpec> tiles, long now) {
        Map<String, TileSpec> byKey = new HashMap<>();
        for (TileSpec t : tiles) {
            if (t != null && t.socketId() != null && t.source() != null) {
                byKey.put(TileSpec.key(t.socketId(), t.source()), t);
            }
        }
        p.tiles = byKey;
        allocateLocked(p, now);
    }

    /** Each layer's rate since the last call: bytes and packets of its receive statistics, smoothed. Timer thread. */
    static void measure(Router router, long now) {
        for (Peer peer : router.peers) {
            for (Producer producer : peer.producers) {
                for (Layer l : producer.layers) {
                    ReceiveStats st = l.stats;
                    if (st == null) {
                        continue;
                    }
                    long bytes = st.bytesReceived();
                    long packets = st.packetsReceived();
                    long elapsed = now - l.rateNanos;
                    if (l.rateNanos != 0 && elapsed > 0) {
                        long wire = Math.max(0, bytes - l.rateBytes) + Math.max(0, packets - l.ratePackets) * PACKET_OVERHEAD_BYTES;
                        long bps = Math.round(wire * 8e9 / elapsed);
                        long before = l.bitrateBps;
                        l.bitrateBps = before == 0 ? bps : (before + bps) / 2;
                    }
                    l.rateBytes = bytes;
                    l.ratePackets = packets;
                    l.rateNanos = now;
                }
            }
        }
    }

    /** Describes the page's video consumers to its allocator and applies the decisions. Under the room's lock. */
    void allocateLocked(Peer p, long now) {
        Consumer[] consumers = p.consumers;
        Map<String, TileSpec> tiles = p.tiles;
        String speaker = p.router.speaker;
        List<LayerAllocator.Track> tracks = new ArrayList<>(consumers.length);
        List<Consumer> video = new ArrayList<>(consumers.length);
        long audio = 0;
        for (Consumer c : consumers) {
            Producer producer = c.producer;
            if (c.closed) {
                continue;
            }
            if (producer.audio()) {
                if (c.active() && !producer.muted) {
                    audio += producer.layers[0].bitrateBps;
                }
                continue;
            }
            TileSpec view = tiles == null ? null : tiles.get(TileSpec.key(producer.owner.socketId, producer.source));
            Layer[] layers = producer.layers;
            int[] widths = new int[layers.length];
            long[] rates = new long[layers.length];
            for (int i = 0; i < layers.length; i++) {
                widths[i] = layers[i].width;
                rates[i] = layers[i].bitrateBps;
            }
            LayerAllocator.Priority priority = producer.source == TrackSource.SCREEN ? LayerAllocator.Priority.SCREEN
                    : producer.owner.socketId.equals(speaker) ? LayerAllocator.Priority.SPEAKER : LayerAllocator.Priority.TILE;
            tracks.add(new LayerAllocator.Track(c, priority, view != null && view.hidden(),
                    view == null || view.hidden() ? -1 : view.width(), view == null || view.hidden() ? -1 : view.height(),
                    LayerAllocator.resolveWidths(widths), rates, producer.muted || producer.expected));
            video.add(c);
        }
        Downlink downlink = downlinks.apply(p);
        long estimate = downlink.estimateBps();
        boolean congested = estimate >= 0 && (downlink.congestedNow() || estimate < p.lastEstimateBps * 95 / 100);
        if (estimate >= 0) {
            p.lastEstimateBps = estimate;
        }
        int[] decided = p.allocator.allocate(tracks, estimate, congested, audio, now);
        for (int i = 0; i < decided.length; i++) {
            Consumer c = video.get(i);
            if (decided[i] == LayerAllocator.PAUSED) {
                c.viewPause(true);
                continue;
            }
            c.allocatedLayer = decided[i];
            if (c.viewPause(false) && c.forwarding) {
                keyframes.request(c.keyframeLayer(now), now); // the tile shows again: its decoder needs a keyframe
            }
        }
    }

    /** Loss above this fraction in the estimator's window counts as congestion. */
    static final double CONGESTED_LOSS = 0.1;

    /**
     * The page's downlink: the estimate (bits per second) of its subscribe connection, -1 when it has none yet, and
     * whether its estimator sees over-use or loss now (a falling estimate is the caller's other sign). Read from the
     * timer thread while the packet thread feeds the estimator: figures may be a feedback packet old.
     */
    static Downlink downlinkOf(Peer p) {
        Transport t = p.subscribe;
        TransportCcSender downlink = t == null ? null : t.downlink;
        if (downlink == null || t.closed || downlink.feedbackPackets() == 0) {
            return Downlink.NONE;
        }
        DownlinkEstimator e = downlink.estimator();
        return new Downlink(e.targetBps(), e.usage() == BandwidthUsage.OVERUSING || e.lossFraction() > CONGESTED_LOSS);
    }
}
