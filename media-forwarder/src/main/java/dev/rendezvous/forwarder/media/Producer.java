package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SessionDescription.Codec;
import java.util.List;
import java.util.Objects;

/**
 * One track a peer publishes (a camera, a microphone, a screen): what the forwarder knows of it as a receiver.
 * Its codecs, mute state and audio level, and its {@link Layer}s: one RTP stream, or one per simulcast layer,
 * each with its receive statistics, NACKs to the publisher, packet cache and keyframe index.
 *
 * <p><b>Producer space.</b> Packets are first mapped into one continuous sequence and timestamp space that
 * survives a republish (the browser's new sender has a new SSRC and sequence) and mute (skipped packets leave
 * no gap): {@link Layer#normalizer}, per layer. The cache holds packets in that space; each {@link Consumer}
 * maps one layer's space to its subscriber's own SSRC, sequence and timestamps.
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
    /**
     * Its RTP streams, lowest first: one without simulcast, else one per rid in the page's order. Replaced whole
     * at a (re)publish; a layer whose rid and position stay is kept (its producer space continues).
     */
    volatile Layer[] layers;
    volatile String mid;
    volatile List<Codec> codecs;
    volatile int clockRate;
    volatile int audioLevelId;
    /** The publish connection's rtp-stream-id and sdes:mid extension ids (simulcast), or -1. */
    volatile int ridExtensionId = -1;
    volatile int midExtensionId = -1;
    /** The RTX codecs accepted with {@link #codecs} (RFC 4588; empty: the publisher retransmits on the media SSRC). */
    volatile List<Codec> rtxCodecs = List.of();
    /** The repaired-rtp-stream-id extension id (simulcast with RTX: names the layer of an RTX SSRC), or -1. */
    volatile int repairedRidExtensionId = -1;
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
    /** Payload types and their codec families (for keyframe detection), set with the codecs. */
    private volatile int[] payloadTypes = new int[0];
    private volatile Keyframes.Codec[] families = new Keyframes.Codec[0];
    /** RTX payload type → the media payload type it repairs ({@code apt}), -1 for none. Replaced whole. */
    private volatile byte[] associated = noRtx();

    Producer(Peer owner, TrackSource source, TrackKind kind, long id) {
        this.owner = owner;
        this.source = source;
        this.kind = kind;
        this.id = id;
        this.clockRate = kind == TrackKind.AUDIO ? 48_000 : 90_000;
        this.layers = new Layer[] {new Layer(this, 0, 1, null, clockRate)};
    }

    /** The placeholder for a track a peer that just joined will most likely publish. */
    static Producer expected(Peer owner, TrackSource source, TrackKind kind, long id) {
        Producer p = new Producer(owner, source, kind, id);
        if (kind == TrackKind.AUDIO) {
            p.bind(null, SdpNegotiator.EXPECTED_AUDIO, 0, -1);
        } else {
            p.bind(null, SdpNegotiator.EXPECTED_VIDEO, SdpNegotiator.EXPECTED_VIDEO_RTX, 0, -1, -1, List.of(), -1, -1, -1);
        }
        p.expected = true;
        return p;
    }

    boolean audio() {
        return kind == TrackKind.AUDIO;
    }

    /** Binds the track to the publish PeerConnection's m-section (first publish or a republish), one stream. */
    void bind(String mid, List<Codec> codecs, int audioLevelId, long inboundSsrc) {
        bind(mid, codecs, audioLevelId, inboundSsrc, List.of(), -1, -1);
    }

    /**
     * Binds the track to the publish PeerConnection's m-section; {@code rids} (lowest first) makes it a
     * simulcast track whose layers' SSRCs are learnt from the rid extension ({@code ridId}) of their packets.
     */
    void bind(String mid, List<Codec> codecs, int audioLevelId, long inboundSsrc, List<String> rids, int ridId,
              int midId) {
        bind(mid, codecs, List.of(), audioLevelId, inboundSsrc, -1, rids, ridId, midId, -1);
    }

    /**
     * Binds the track with RTX: {@code rtx} the RTX codecs accepted, {@code rtxSsrc} the single stream's RTX SSRC
     * (-1: learnt from its first RTX packet), {@code repairedRidId} the extension naming a simulcast layer's RTX
     * SSRC (-1: none).
     */
    void bind(String mid, List<Codec> codecs, List<Codec> rtx, int audioLevelId, long inboundSsrc, long rtxSsrc,
              List<String> rids, int ridId, int midId, int repairedRidId) {
        this.expected = false;
        this.mid = mid;
        this.codecs = List.copyOf(codecs);
        int rate = codecs.isEmpty() ? (audio() ? 48_000 : 90_000) : codecs.get(0).clockRate();
        boolean rateChanged = this.clockRate != rate;
        this.clockRate = rate;
        this.audioLevelId = audioLevelId;
        this.ridExtensionId = rids.isEmpty() ? -1 : ridId;
        this.midExtensionId = rids.isEmpty() ? -1 : midId;
        Layer[] old = layers;
        int count = Math.max(1, rids.size());
        Layer[] next = new Layer[count];
        for (int i = 0; i < count; i++) {
            String rid = rids.isEmpty() ? null : rids.get(i);
            Layer keep = i < old.length && Objects.equals(old[i].rid, rid) ? old[i] : null;
            next[i] = keep != null ? keep : new Layer(this, i, count, rid, rate);
            if (rateChanged && keep != null) {
                keep.stats = new ReceiveStats(rate);
            }
        }
        if (rids.isEmpty()) {
            next[0].inboundSsrc = inboundSsrc; // from a=ssrc, or -1: learnt from the first packet
            next[0].rtxSsrc = rtx.isEmpty() ? -1 : rtxSsrc; // from a=ssrc-group:FID, or learnt likewise
        }
        byte[] apt = noRtx();
        for (Codec r : rtx) {
            int a = r.associatedPayloadType();
            if (r.payloadType() >= 0 && r.payloadType() < 128 && a >= 0 && a < 128) {
                apt[r.payloadType()] = (byte) a;
            }
        }
        this.associated = apt;
        this.rtxCodecs = List.copyOf(rtx);
        this.repairedRidExtensionId = rids.isEmpty() || rtx.isEmpty() ? -1 : repairedRidId;
        // simulcast layers keep their SSRC; a new one (a new PeerConnection) is bound by its rid extension
        int[] pts = new int[codecs.size()];
        Keyframes.Codec[] fams = new Keyframes.Codec[codecs.size()];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = codecs.get(i).payloadType();
            fams[i] = Keyframes.Codec.of(codecs.get(i).name());
        }
        this.families = fams;
        this.payloadTypes = pts;
        this.layers = next;
    }

    boolean simulcast() {
        return layers.length > 1;
    }

    /** The layer at {@code index}, clamped to the ones there are. */
    Layer layer(int index) {
        Layer[] ls = layers;
        return ls[Math.max(0, Math.min(index, ls.length - 1))];
    }

    /** The layer of this track whose retransmissions (RTX) come on {@code ssrc}, or null. */
    Layer layerByRtxSsrc(long ssrc) {
        for (Layer l : layers) {
            if (l.rtxSsrc == ssrc) {
                return l;
            }
        }
        return null;
    }

    /** The media payload type an RTX payload type of this track repairs, or -1 (not an RTX one). No allocation. */
    int associatedPayloadType(int rtxPayloadType) {
        return associated[rtxPayloadType & 0x7F];
    }

    private static byte[] noRtx() {
        byte[] b = new byte[128];
        java.util.Arrays.fill(b, (byte) -1);
        return b;
    }

    /** The layer of this track that receives {@code ssrc}, or null. */
    Layer layerByInboundSsrc(long ssrc) {
        for (Layer l : layers) {
            if (l.inboundSsrc == ssrc) {
                return l;
            }
        }
        return null;
    }

    /**
     * The layer a consumer that prefers {@code preferred} should get now: the highest active one not above it,
     * else the lowest active one above it, else (nothing active) the preferred one itself. No allocation.
     */
    Layer bestLayer(int preferred, long now) {
        Layer[] ls = layers;
        int top = Math.max(0, Math.min(preferred, ls.length - 1));
        for (int i = top; i >= 0; i--) {
            if (ls[i].active(now)) {
                return ls[i];
            }
        }
        for (int i = top + 1; i < ls.length; i++) {
            if (ls[i].active(now)) {
                return ls[i];
            }
        }
        return ls[top];
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
}
