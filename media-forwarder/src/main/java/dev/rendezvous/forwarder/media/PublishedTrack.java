package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.NackTracker;
import dev.rendezvous.forwarder.media.rtp.PacketCache;
import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import dev.rendezvous.forwarder.media.rtp.SequenceRewriter;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.List;

/**
 * One track a participant publishes (a camera, a microphone, a screen), as the room sees it: a stable
 * outbound SSRC that every subscriber's m-section names, whatever SSRC the publisher currently uses (a
 * republish after a network blip keeps the track, and the {@link SequenceRewriter} keeps the subscriber's
 * sequence and timestamps continuous).
 *
 * <p>State touched per packet (stats, NACK tracker, cache, rewriter) belongs to the packet thread; the
 * timer thread reads the stats for receiver reports (figures may be a packet stale).
 */
final class PublishedTrack {

    final Participant owner;
    final String source;
    final boolean audio;
    final long outboundSsrc;
    final SequenceRewriter rewriter;
    final PacketCache cache;
    final NackTracker nacks;
    volatile ReceiveStats stats;
    volatile String mid;
    volatile List<Codec> codecs;
    volatile int clockRate;
    volatile int audioLevelId;
    volatile long inboundSsrc;
    volatile boolean muted;
    volatile boolean removed;
    /** Last PLI sent to the publisher for this track (rate limit). */
    volatile long lastPliNanos;
    long lastNackCheckNanos;
    /** The LSR of the last sender report forwarded to subscribers and when (for their RTT). */
    volatile long forwardedLsr = -1;
    volatile long forwardedLsrNanos;
    /** Payload types and their codec families (for keyframe detection), set with the codecs. */
    private volatile int[] payloadTypes = new int[0];
    private volatile Keyframes.Codec[] families = new Keyframes.Codec[0];
    /** Packet thread: outbound sequence number of the latest keyframe's first packet in the cache (-1: none), when. */
    int keyframeSeq = -1;
    long keyframeNanos;
    /** Packet thread: highest outbound sequence number put in the cache (-1: none). */
    int highestCachedSeq = -1;

    PublishedTrack(Participant owner, String source, boolean audio, long outboundSsrc) {
        this.owner = owner;
        this.source = source;
        this.audio = audio;
        this.outboundSsrc = outboundSsrc;
        this.rewriter = new SequenceRewriter(outboundSsrc);
        this.cache = audio ? null : new PacketCache(512, 1500);
        this.nacks = audio ? null : new NackTracker(128, 10);
    }

    void bind(String mid, List<Codec> codecs, int audioLevelId, long inboundSsrc) {
        this.mid = mid;
        this.codecs = List.copyOf(codecs);
        int rate = codecs.isEmpty() ? (audio ? 48_000 : 90_000) : codecs.get(0).clockRate();
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

    /** Packet thread: a packet with outbound sequence {@code seq} went into the cache; notes keyframe starts. */
    void cached(int seq, boolean keyframeStart, long now) {
        if (highestCachedSeq < 0 || ((seq - highestCachedSeq) & 0xFFFF) < 0x8000) {
            highestCachedSeq = seq;
        }
        if (keyframeStart) {
            keyframeSeq = seq;
            keyframeNanos = now;
        }
    }

    boolean hasPayloadType(int pt) {
        for (Codec c : codecs) {
            if (c.payloadType() == pt) {
                return true;
            }
        }
        return false;
    }

    String kind() {
        return audio ? "audio" : "video";
    }
}
