package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

import dev.rendezvous.forwarder.media.rtp.NackTracker;
import dev.rendezvous.forwarder.media.rtp.PacketCache;
import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import dev.rendezvous.forwarder.media.rtp.SequenceRewriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One RTP stream of a {@link Producer}: the only one of a track sent without simulcast, or one simulcast layer
 * ({@code rid}). Each has its own inbound SSRC, and so its own receive statistics, NACKs to the publisher,
 * packet cache, keyframe index and producer space ({@link #normalizer}): the layers are separate encodings,
 * their sequence numbers and timestamps unrelated. A {@link Consumer} forwards one layer at a time.
 *
 * <p>Per-packet state belongs to the packet thread; the timer reads the statistics; the keyframe requester's
 * fields are under its lock.
 */
final class Layer {

    /** A layer that sent nothing for this long is not chosen for a consumer (the browser stopped sending it). */
    static final long INACTIVE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    final Producer producer;
    /** Position among the producer's layers, lowest first (0 without simulcast). */
    final int index;
    /** The rid, or null for a track sent without simulcast. */
    final String rid;
    private final byte[] ridBytes;
    final SequenceRewriter normalizer;
    final PacketCache cache;
    final NackTracker nacks;
    volatile ReceiveStats stats;
    volatile long inboundSsrc = -1;
    /** The SSRC of its retransmissions (RFC 4588 RTX), or -1 (none negotiated, or not learnt yet). */
    volatile long rtxSsrc = -1;
    /** When its latest packet arrived (0: never). Written by the packet thread. */
    volatile long lastPacketNanos;
    /** Last PLI sent to the publisher for this layer (rate limit), under the keyframe requester's lock. */
    long lastPliNanos;
    /** A keyframe request the rate limit dropped: the timer sends it once allowed (keyframe requester's lock). */
    boolean keyframeOwed;
    long lastNackCheckNanos;
    /** Packet thread: producer-space sequence of the latest keyframe's first packet in the cache (-1: none), when. */
    int keyframeSeq = -1;
    long keyframeNanos;
    /** Packet thread: highest producer-space sequence put in the cache (-1: none). */
    int highestCachedSeq = -1;
    /** Picture width of its latest VP8 keyframe (-1: not seen; other codecs are not parsed). Packet thread writes. */
    volatile int width = -1;
    /** What it brings in, bits per second (smoothed, headers included), measured by the allocator's timer ({@link LayerRates}). */
    volatile long bitrateBps;
    /** The timer's previous reading of {@link #stats} (bytes, packets) and when (0: none). Timer thread only. */
    long rateBytes;
    long ratePackets;
    long rateNanos;

    /** Packets the cache of a track's top (or only) layer holds; each layer below holds half as many, at least 128. */
    static final int CACHE_SLOTS = 512;

    /** Layer {@code index} of {@code count}. */
    Layer(Producer producer, int index, int count, String rid, int clockRate) {
        this.producer = producer;
        this.index = index;
        this.rid = rid;
        this.ridBytes = rid == null ? new byte[0] : rid.getBytes(StandardCharsets.US_ASCII);
        this.normalizer = new SequenceRewriter(producer.id);
        boolean video = producer.kind == TrackKind.VIDEO;
        // lower layers send fewer packets a second: a smaller cache covers the same time
        this.cache = video ? new PacketCache(Math.max(128, CACHE_SLOTS >> Math.max(0, count - 1 - index)), 1500) : null;
        this.nacks = video ? new NackTracker(128, 10) : null;
        this.stats = new ReceiveStats(clockRate);
    }

    /** Whether {@code b[off, off + len)} is this layer's rid. No allocation. */
    boolean ridIs(byte[] b, int off, int len) {
        if (len != ridBytes.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != ridBytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** Sent something within {@link #INACTIVE_AFTER_NANOS}. */
    boolean active(long now) {
        long last = lastPacketNanos;
        return last != 0 && now - last < INACTIVE_AFTER_NANOS;
    }

    /** Packet thread: a packet with producer-space sequence {@code seq} went into the cache; notes keyframe starts. */
    void cached(int seq, boolean keyframeStart, long now) {
        boolean newest = highestCachedSeq < 0 || ((seq - highestCachedSeq) & 0xFFFF) < 0x8000;
        if (newest) {
            highestCachedSeq = seq;
        }
        // a late (recovered) start counts only when it is of a newer keyframe than the one indexed
        if (keyframeStart && (newest || keyframeSeq < 0 || seqDiff(seq, keyframeSeq) > 0)) {
            keyframeSeq = seq;
            keyframeNanos = now;
        }
    }

    @Override
    public String toString() {
        return "layer " + index + (rid == null ? "" : " (" + rid + ")") + " of track " + producer.id;
    }
}
