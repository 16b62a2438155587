package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter;
import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter.LocalTransport;
import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SdpNegotiator.Accepted;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The publish side of each peer: the page offers its camera, microphone and screen, the forwarder answers and
 * keeps a {@link Producer} per received track. Outside the packet path; methods expect the room's lock.
 *
 * <p>A republish on the same PeerConnection (same ICE ufrag) keeps the transport; a new PeerConnection (the
 * page restarted its media) gets a new transport. Either way a track of the same source and kind keeps its
 * producer, so subscribers keep their consumers and see one continuous stream.
 */
final class PublishNegotiator {

    private final Transports transports;
    private final DtlsHandshakes dtls;
    private final Function<Transport, LocalTransport> local;
    private final LongSupplier ssrcs;
    private final KeyframeService keyframes;

    PublishNegotiator(Transports transports, DtlsHandshakes dtls, Function<Transport, LocalTransport> local,
                      LongSupplier ssrcs, KeyframeService keyframes) {
        this.keyframes = keyframes;
        this.transports = transports;
        this.dtls = dtls;
        this.local = local;
        this.ssrcs = ssrcs;
    }

    /** Applies the offer to the peer and returns the answer. The caller renegotiates the room's subscribers. */
    String publishLocked(Peer p, SessionDescription offer, List<Accepted> accepted, List<TrackSpec> specs, long now) {
        Media first = firstActive(offer);
        if (first == null) {
            // nothing to send (no camera, no microphone): a subscriber only
            closeProducersLocked(p, Set.of());
            return ForwarderSdpWriter.writePublishAnswer(offer, accepted, local.apply(null), 1);
        }
        boolean fresh = p.publish == null || !Objects.equals(first.iceUfrag(), p.publish.remoteUfrag);
        if (fresh) {
            if (p.publish != null) {
                transports.close(p.publish);
            }
            Transport t = transports.create(p, TransportRole.PUBLISH, ssrcs.getAsLong(), now);
            t.remoteUfrag = first.iceUfrag();
            t.remoteFingerprint = first.fingerprintSha256();
            p.publish = t;
            dtls.start(t);
            // the subscribe side is not touched: a page that restarts its media asks for it (subscribe())
        } else if (!Objects.equals(first.fingerprintSha256(), p.publish.remoteFingerprint)) {
            throw new SdpException("the DTLS fingerprint changed within one PeerConnection");
        }
        Map<String, TrackSpec> specByMid = new HashMap<>();
        if (specs != null) {
            specs.forEach(s -> specByMid.put(s.mid(), s));
        }
        Set<Producer> kept = new LinkedHashSet<>();
        boolean cameraTaken = false;
        for (Accepted a : accepted) {
            if (!a.receiving()) {
                continue;
            }
            TrackKind kind = TrackKind.of(a.kind());
            if (kind == null) {
                continue;
            }
            TrackSpec spec = specByMid.get(a.mid());
            TrackSource source = spec != null && spec.source() != null ? spec.source()
                    : kind == TrackKind.AUDIO ? TrackSource.MICROPHONE : cameraTaken ? TrackSource.SCREEN : TrackSource.CAMERA;
            if (source == TrackSource.CAMERA) {
                cameraTaken = true;
            }
            Producer producer = null;
            for (Producer existing : p.producers) {
                if (existing.source == source && existing.kind == kind && !existing.closed) {
                    producer = existing;
                }
            }
            if (producer == null) {
                producer = new Producer(p, source, kind, ssrcs.getAsLong());
            }
            producer.bind(a.mid(), a.codecs(), a.rtx(), a.audioLevelId(), a.ssrc(), a.rtxSsrc(), a.rids(), a.ridId(),
                    a.midId(), a.repairedRidId());
            producer.muted = spec != null && spec.muted();
            for (Consumer c : producer.consumers) {
                c.remap(); // its codecs are known now (an expected track, or a republish with others)
            }
            kept.add(producer);
        }
        closeProducersLocked(p, kept);
        p.producers = kept.toArray(new Producer[0]);
        TransportCcFeedback.negotiated(p.publish, SdpNegotiator.transportCcId(offer));
        return ForwarderSdpWriter.writePublishAnswer(offer, accepted, local.apply(p.publish), p.publish.localSsrc);
    }

    /** Mute changes the page reports for its own tracks (by mid, or by source). Unmuting asks for a keyframe. */
    void updateTracksLocked(Peer p, List<TrackSpec> specs, long now) {
        for (TrackSpec spec : specs) {
            for (Producer t : p.producers) {
                if (Objects.equals(t.mid, spec.mid()) || (spec.mid() == null && t.source == spec.source())) {
                    boolean wasMuted = t.muted;
                    t.muted = spec.muted();
                    if (wasMuted && !t.muted) {
                        keyframes.request(t, now);
                    }
                }
            }
        }
    }

    /** Closes the peer's producers except {@code keep} (their consumers go at the subscribers' renegotiation). */
    void closeProducersLocked(Peer p, Set<Producer> keep) {
        List<Producer> left = new ArrayList<>();
        for (Producer producer : p.producers) {
            if (keep.contains(producer)) {
                left.add(producer);
            } else {
                producer.closed = true;
            }
        }
        p.producers = left.toArray(new Producer[0]);
    }

    /** The peer's publish side goes: its connection closes and its producers with it. */
    void closeLocked(Peer p) {
        closeProducersLocked(p, Set.of());
        Transport t = p.publish;
        if (t != null) {
            transports.close(t);
        }
    }

    static Media firstActive(SessionDescription d) {
        for (Media m : d.media()) {
            if (!m.rejected()) {
                return m;
            }
        }
        return null;
    }
}
