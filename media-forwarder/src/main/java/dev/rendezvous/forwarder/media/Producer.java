package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.NackTracker;
import dev.rendezvous.forwarder.media.rtp.PacketCache;
import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import dev.rendezvous.forwarder.media.rtp.SequenceRewriter;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.List;

/**
 * One track a peer publishes (a camera, a microphone, a screen): what the forwarder knows of it as a receiver.
 * Receive statistics, the NACKs to send the publisher, the packet cache that answers subscribers' NACKs and
 * replays keyframes, the index of the latest keyframe, the audio level.
 *
 * <p><b>Producer space.</b> Packets are first mapped into one continuous sequence and timestamp space that
 * survives a republish (the browser's new sender has a new SSRC and sequence) and mute (skipped packets leave
 * no gap): {@link #normalizer}. The cache holds packets in that space; each {@link Consumer} maps it to its
 * subscriber's own SSRC, sequence and timestamps.
 *
 * <p>State touched per packet belongs to the packet thread; the timer thread reads the stats for receiver
 * reports (figures may be a packet stale). {@link #consumers} is the router's table for this producer,
 * replaced whole under the room's lock.
 */
final class Producer {

    final Peer owner;
    final TrackSource source;
    final TrackKind kind;
    /** The id of this track in the room, and the SSRC of packets in producer space. */
    final long id;
    final SequenceRewriter normalizer;
    final PacketCache cache;
    final NackTracker nacks;
    volatile ReceiveStats stats;
    volatile String mid;
    volatile List<Codec> codecs;
    volatile int clockRate;
    volatile int audioLevelId;
    volatile long inboundSsrc;
    volatile boolean muted;
    volatile boolean closed;
    /**
     * Expected, not yet published: a joined peer's microphone and camera before its publish offer arrives. It
     * is offered to subscribers at once (with {@link SdpNegotiator#EXPECTED_AUDIO}/{@code EXPECTED_VIDEO}), so
     * their subscribe connections are up before the media flows; the publish binds it.
     */
    volatile boolean expected;
    /** Who receives this track (the routing table's row); copy on write under the room's lock. */
    volatile Consumer[] consumers = new Consumer[0];
    /** Last PLI sent to the publisher for this track (rate limit), under the keyframe requester's lock. */
    long lastPliNanos;
    /**
     * A keyframe request was dropped by the rate limit while a consumer waited for one: the timer sends it once the
     * limit allows (under the keyframe requester's lock).
     */
    boolean keyframeOwed;
    long lastNackCheckNanos;
    /** Payload types and their codec families (for keyframe detection), set with the codecs. */
    private volatile int[] payloadTypes = new int[0];
    private volatile Keyframes.Codec[] families = new Keyframes.Codec[0];
    /** Packet thread: producer-space sequence of the latest keyframe's first packet in the cache (-1: none), when. */
    int keyframeSeq = -1;
    long keyframeNanos;
    /** Packet thread: highest producer-space sequence put in the cache (-1: none). */
    int highestCachedSeq = -1;

    Producer(Peer owner, TrackSource source, TrackKind kind, long id) {
        this.owner = owner;
        this.source = source;
        this.kind = kind;
        this.id = id;
        this.normalizer = new SequenceRewriter(id);
        boolean video = kind == TrackKind.VIDEO;
        this.cache = video ? new PacketCache(512, 1500) : null;
        this.nacks = video ? new NackTracker(128, 10) : null;
    }

    /** The placeholder for a track a peer that just joined will most likely publish. */
    static Producer expected(Peer owner, TrackSource source, TrackKind kind, long id) {
        Producer p = new Producer(owner, source, kind, id);
        p.bind(null, kind == TrackKind.AUDIO ? SdpNegotiator.EXPECTED_AUDIO : SdpNegotiator.EXPECTED_VIDEO, 0, -1);
        p.expected = true;
        return p;
    }

    boolean audio() {
        return kind == TrackKind.AUDIO;
    }

    /** Binds the track to the publish PeerConnection's m-section (first publish or a republish). */
    void bind(String mid, List<Codec> codecs, int audioLevelId, long inboundSsrc) {
        this.expected = false;
        this.mid = mid;
        this.codecs = List.copyOf(codecs);
        int rate = codecs.isEmpty() ? (audio() ? 48_000 : 90_000) : codecs.get(0).clockRate();
        if (this.stats == null || this.clockRate != rate) {
            this.stats = new ReceiveStats(rate);
        }
        this.clockRate = rate;
        this.audioLevelId = audioLevelId;
        this.inboundSsrc = inboundSsrc;
        int[] pts = new int[codecs.size()];
        Keyframes.Codec[] fams = new Keyframes.Codec[codecs.size()];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = codecs.get(i).payloadType();
            fams[i] = Keyframes.Codec.of(codecs.get(i).name());
        }
        this.families = fams;
        this.payloadTypes = pts;
    }

    /** The codec family of a payload type of this track (OTHER when unknown). No allocation. */
    Keyframes.Codec family(int payloadType) {
        int[] pts = payloadTypes;
        Keyframes.Codec[] fams = families;
        for (int i = 0; i < pts.length && i < fams.length; i++) {
            if (pts[i] == payloadType) {
                return fams[i];
            }
        }
        return Keyframes.Codec.OTHER;
    }

    boolean hasPayloadType(int pt) {
        for (int p : payloadTypes) {
            if (p == pt) {
                return true;
            }
        }
        return false;
    }

    /** Packet thread: a packet with producer-space sequence {@code seq} went into the cache; notes keyframe starts. */
    void cached(int seq, boolean keyframeStart, long now) {
        if (highestCachedSeq < 0 || ((seq - highestCachedSeq) & 0xFFFF) < 0x8000) {
            highestCachedSeq = seq;
        }
        if (keyframeStart) {
            keyframeSeq = seq;
            keyframeNanos = now;
        }
    }

    /** Producer-space timestamp of an inbound one (for forwarded sender reports). */
    long normalizedTimestamp(long inboundTimestamp) {
        return normalizer.outboundTimestamp(inboundTimestamp);
    }
}
