package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.List;
import java.util.Set;

/**
 * One subscriber's receipt of one producer: its own SSRC (the one in the subscriber's m-section), its own
 * sequence and timestamp space, pause and resume, its NACK allowance, and the loss and RTT its receiver
 * reports tell.
 *
 * <p><b>Mapping.</b> Its sequence and timestamp space is its {@link #mapping} ({@link OutboundMapping}): producer
 * space + an offset, continued without a gap after a pause or a layer switch, the previous offset kept for NACKs;
 * late packets go out only where the current mapping covers them.
 *
 * <p><b>Payload types</b> are mapped too ({@link PayloadTypes}): the subscriber's section may have been offered
 * before the publisher chose its codecs.
 *
 * <p><b>Simulcast.</b> Of a producer with several {@link Layer}s the consumer forwards one: the one chosen from
 * its {@link #preferredLayer} and what the publisher is sending ({@link Producer#bestLayer}). It switches only
 * at a keyframe start of the new layer (asking the publisher for one meanwhile) and starts a new mapping
 * there, exactly as after a pause, so the subscriber's decoder sees one stream without a break.
 *
 * <p><b>RTX.</b> A video consumer has a second SSRC of its own, {@link #rtxSsrc}, offered with the RTX payload
 * types of its section. When the subscriber's answer kept an RTX payload type for a codec, retransmissions of
 * that codec's packets go RTX-wrapped on {@link #rtxSsrc} with their own sequence numbers
 * ({@link #wrapRetransmission}); otherwise on the media SSRC, as before.
 *
 * <p>{@link #forwarding}, {@link #paused}, {@link #closed} and {@link #preferredLayer} are set by the control
 * side; the layer state and the mapping are the packet thread's.
 */
final class Consumer {

    final Peer subscriber;
    final Producer producer;
    final long ssrc;
    /** The SSRC of this consumer's RTX stream (offered with RTX payload types in its section), or -1. */
    final long rtxSsrc;
    final RetransmitBudget retransmits;
    /** The outbound sequence and timestamp space: rewriting, NACK look-ups, late packets. */
    final OutboundMapping mapping;
    /** The subscriber's browser accepted the track (its answer, or its subscribe connection came up with it offered). */
    volatile boolean accepted;
    /** Started by the packet thread (after the keyframe replay): packets flow. */
    volatile boolean forwarding;
    volatile boolean paused;
    volatile boolean closed;
    /**
     * The simulcast layer the subscriber should get (0 = lowest; above the top = the top, the default), set by
     * the control side; the packet thread switches at the next keyframe of the layer chosen from it.
     */
    volatile int preferredLayer = Integer.MAX_VALUE;
    /**
     * The layer the page's allocator ({@link LayerControl}) grants: capped by the tile's rendered size and the
     * page's downlink estimate (above the top = no cap, the default). The consumer takes the lower of this and
     * {@link #preferredLayer}.
     */
    volatile int allocatedLayer = Integer.MAX_VALUE;
    /** Paused by the allocator: the page does not show the tile. Separate from {@link #paused}. */
    volatile boolean viewPaused;

    /** The index of the layer forwarded now (0 = lowest), or -1 before the first packet; control side, for metrics. */
    int forwardedLayer() {
        Layer l = current;
        return l == null ? -1 : l.index;
    }
    /** The codecs this consumer's m-section offered, and the payload types the answer kept (null: not answered). */
    private List<Codec> offeredCodecs;
    private Set<Integer> answeredPts;
    /** Publisher payload type → subscriber payload type (-1: not deliverable). Replaced whole. */
    private volatile byte[] payloadTypes;
    /** Subscriber payload type → the RTX payload type its answer kept for it (-1: none). Replaced whole. */
    private volatile byte[] rtxPayloadTypes = PayloadTypes.none();

    // layer, packet thread
    /** The layer forwarded (null before the first packet, or, with simulcast, until a keyframe of the wanted one). */
    private volatile Layer current;
    /** Producer-space sequence where {@link #current} started: earlier packets of it are not sent (-1: long past). */
    private int startSeq = -1;
    private long lastLayerRequestNanos;
    private Layer requestedLayer;
    /** A switch waits for a keyframe of this layer: the fan-out asks the publisher for one. */
    private Layer keyframeWanted;

    // RTX, packet thread
    /** The next sequence number of the RTX stream. */
    private int rtxSeq;

    // quality, written by the packet thread from this subscriber's receiver reports
    /** LSR of the last sender report forwarded on this consumer (-1: none) and when. */
    volatile long forwardedLsr = -1;
    volatile long forwardedLsrNanos;
    /** Smoothed fraction lost the subscriber reports (-1: no report yet). */
    volatile double lossFraction = -1;
    /** Smoothed RTT to the subscriber (-1: unknown). */
    volatile double rttMs = -1;

    Consumer(Peer subscriber, Producer producer, long ssrc, int initialSeqOffset, long initialTsOffset,
             RetransmitBudget retransmits) {
        this(subscriber, producer, ssrc, -1, initialSeqOffset, initialTsOffset, retransmits);
    }

    /** With an RTX SSRC ({@code rtxSsrc}; its sequence starts at {@code initialSeqOffset} too, as good as random). */
    Consumer(Peer subscriber, Producer producer, long ssrc, long rtxSsrc, int initialSeqOffset, long initialTsOffset,
             RetransmitBudget retransmits) {
        // before any offer: payload types pass unchanged
        this.subscriber = subscriber;
        this.producer = producer;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.rtxSeq = (initialSeqOffset * 31 + 7) & 0xFFFF;
        this.mapping = new OutboundMapping(this, initialSeqOffset, initialTsOffset);
        this.retransmits = retransmits;
    }

    /** The section was (re)offered with these codecs: what the subscriber will accept is known at the answer. */
    void offered(List<Codec> codecs) {
        offeredCodecs = List.copyOf(codecs);
        answeredPts = null;
        rtxPayloadTypes = PayloadTypes.none();
        remap();
    }

    /** The subscriber's answer kept these payload types of the section. */
    void answered(Set<Integer> payloadTypes) {
        answeredPts = Set.copyOf(payloadTypes);
        remap();
    }

    /**
     * The subscriber's answer kept these codecs of the section: its payload types, and the RTX ones
     * ({@code apt=} a kept codec) when this consumer has an RTX SSRC.
     */
    void answered(List<Codec> codecs) {
        Set<Integer> kept = new java.util.HashSet<>();
        codecs.forEach(codec -> kept.add(codec.payloadType()));
        rtxPayloadTypes = rtxSsrc < 0 ? PayloadTypes.none() : PayloadTypes.rtx(codecs);
        answered(kept);
    }

    /** Whether the subscriber's answer kept RTX for some codec: its retransmissions go on {@link #rtxSsrc}. */
    boolean rtxNegotiated() {
        byte[] map = rtxPayloadTypes;
        for (byte b : map) {
            if (b >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Recomputes the payload-type map (after an offer, an answer, or when the producer's codecs became known). */
    void remap() {
        List<Codec> offered = offeredCodecs;
        payloadTypes = offered == null ? null : PayloadTypes.map(producer.codecs, offered, answeredPts);
    }

    /** Whether the subscriber's section can carry the publisher's preferred codec (else it must be offered again). */
    boolean codecsFit() {
        byte[] map = payloadTypes;
        return map == null || PayloadTypes.carriesPrimary(map, producer.codecs);
    }

    /**
     * The subscriber's transport if this consumer is sending now (started, not paused, not closed, transport
     * up), else null. Read once per packet: the control side may replace the transport meanwhile.
     */
    Transport sendingTransport() {
        if (!forwarding || paused || viewPaused || closed) {
            return null;
        }
        Transport t = subscriber.subscribe;
        return t != null && t.ready() ? t : null;
    }

    boolean active() {
        return sendingTransport() != null;
    }

    void pause() {
        paused = true;
    }

    /** Sending goes on without a sequence gap; the caller asks the publisher for a keyframe (video). */
    void resume() {
        if (paused) {
            mapping.rebase();
            paused = false;
        }
    }

    /** The layer the consumer aims at now: the lower of the subscriber's preference and the allocator's grant. */
    int targetLayer() {
        return Math.min(preferredLayer, allocatedLayer);
    }

    /**
     * Control side: the allocator pauses (the page does not show the tile) or resumes. A resume continues the
     * outbound sequence without a gap; the caller asks for a keyframe. Returns whether anything changed.
     */
    boolean viewPause(boolean pause) {
        if (pause == viewPaused) {
            return false;
        }
        if (!pause) {
            mapping.rebase();
        }
        viewPaused = pause;
        return true;
    }

    /** The layer forwarded now, or null (none yet, or waiting for a keyframe). Packet thread (others may read it). */
    Layer currentLayer() {
        return current;
    }

    /** Where a keyframe request for this consumer goes: the layer forwarded, else the one it waits for. */
    Layer keyframeLayer(long now) {
        Layer c = current;
        return c != null ? c : producer.bestLayer(targetLayer(), now);
    }

    /**
     * Packet thread: whether a live packet of layer {@code l} (producer-space sequence {@code seq}) goes to
     * this consumer. Without simulcast every packet does. With simulcast only those of the current layer from
     * where the consumer started on it; the layer chosen now ({@link Producer#bestLayer} of
     * {@link #preferredLayer}) is switched to at its next keyframe start, and until then
     * {@link #takeKeyframeWanted} names it (at most every {@value KeyframeService#PLI_MIN_INTERVAL_MS} ms).
     */
    boolean admit(Layer l, int seq, boolean keyframeStart, long now) {
        if (!producer.simulcast()) {
            if (current != l) {
                if (current != null) {
                    startOn(l, seq); // the track was republished with other streams: a new mapping
                } else {
                    current = l;
                }
            }
            return true;
        }
        Layer want = producer.bestLayer(targetLayer(), now);
        if (l == current) {
            if (want != l) {
                wantKeyframe(want, now);
            }
            if (startSeq >= 0) {
                int d = seqDiff(seq, startSeq);
                if (d < 0) {
                    return false; // a late packet from before the switch: its number would collide
                }
                if (d > OutboundMapping.STARTED_WELL_PAST) {
                    startSeq = -1; // no late packet from before is possible now (and 16 bits would wrap)
                }
            }
            return true;
        }
        if (l != want) {
            return false;
        }
        if (!keyframeStart) {
            wantKeyframe(want, now);
            return false;
        }
        startOn(l, seq);
        return true;
    }

    /**
     * Packet thread: forwards layer {@code l} from its producer-space sequence {@code seq} on (a keyframe's
     * first packet), continuing the outbound sequence and timestamps when something was sent before.
     */
    void startOn(Layer l, int seq) {
        current = l;
        startSeq = seq;
        keyframeWanted = null;
        mapping.rebase();
    }

    /** Asks for a keyframe of {@code l}: at once for another layer than last asked for, else once per interval. */
    private void wantKeyframe(Layer l, long now) {
        if (l != requestedLayer || now - lastLayerRequestNanos >= KeyframeService.PLI_MIN_INTERVAL_NANOS) {
            requestedLayer = l;
            lastLayerRequestNanos = now;
            keyframeWanted = l;
        }
    }

    /** The layer a pending switch needs a keyframe of (once per request interval), or null. Packet thread. */
    Layer takeKeyframeWanted() {
        Layer l = keyframeWanted;
        keyframeWanted = null;
        return l;
    }

    /**
     * Copies a producer-space RTP packet to {@code dst} rewritten for this subscriber (SSRC, sequence,
     * timestamp, payload type). Returns the length, or -1 when the subscriber cannot take the packet's codec.
     * Packet thread; no allocation.
     */
    int rewrite(byte[] src, int srcOff, int len, byte[] dst, long nowNanos) {
        if (!copyWithPayloadType(src, srcOff, len, dst)) {
            return -1;
        }
        Rtp.setSsrc(dst, 0, ssrc);
        mapping.rewrite(dst, nowNanos);
        return len;
    }

    /**
     * Copies a cached producer-space packet to {@code dst} as the retransmission of outbound {@code outSeq},
     * with the mapping it was first sent with (before or after the last resume or switch). Returns the
     * length, or -1 when the subscriber cannot take its codec. Packet thread; no allocation.
     */
    int rewriteResent(byte[] src, int srcOff, int len, byte[] dst, int outSeq) {
        if (!copyWithPayloadType(src, srcOff, len, dst)) {
            return -1;
        }
        Rtp.setSsrc(dst, 0, ssrc);
        mapping.rewriteResent(dst, outSeq);
        return len;
    }

    /** Copies the packet to {@code dst} with the subscriber's payload type for it; false, copying nothing, if none. */
    private boolean copyWithPayloadType(byte[] src, int srcOff, int len, byte[] dst) {
        byte[] map = payloadTypes;
        int pt = src[srcOff + 1] & 0x7F;
        int mapped = map == null ? pt : map[pt];
        if (mapped < 0) {
            return false;
        }
        System.arraycopy(src, srcOff, dst, 0, len);
        dst[1] = (byte) ((dst[1] & 0x80) | mapped);
        return true;
    }

    /**
     * Wraps the retransmission {@link #rewriteResent} wrote at {@code b[off, off+len)} into an RTX packet on
     * {@link #rtxSsrc} (RFC 4588: OSN, this consumer's RTX sequence, the RTX payload type the subscriber
     * answered for its payload type), in place. Returns the new length, or -1 (unchanged) when the subscriber
     * has no RTX for that payload type or it does not fit. Packet thread; no allocation.
     */
    int wrapRetransmission(byte[] b, int off, int len) {
        int rtxPt = rtxPayloadTypes[b[off + 1] & 0x7F];
        if (rtxPt < 0 || rtxSsrc < 0) {
            return -1;
        }
        int n = dev.rendezvous.forwarder.media.rtp.Rtx.wrap(b, off, len, rtxPt, rtxSsrc, rtxSeq);
        if (n > 0) {
            rtxSeq = (rtxSeq + 1) & 0xFFFF;
        }
        return n;
    }

    /** A report block about this consumer's stream from its subscriber. Packet thread. */
    void onReceiverReport(int fractionLost256, long lsr, long dlsr, long nowNanos) {
        double loss = Math.min(1, Math.max(0, fractionLost256 / 256.0));
        double previous = lossFraction;
        lossFraction = previous < 0 ? loss : previous * 0.8 + loss * 0.2;
        if (lsr != 0 && lsr == forwardedLsr) {
            long dlsrNanos = dlsr * 1_000_000_000L / 65_536;
            double rtt = (nowNanos - forwardedLsrNanos - dlsrNanos) / 1e6;
            if (rtt >= 0 && rtt < 10_000) {
                double r = rttMs;
                rttMs = r < 0 ? rtt : r * 0.8 + rtt * 0.2;
            }
        }
    }
}
