package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.SubscribeSession.Offered;
import dev.rendezvous.forwarder.media.SubscribeSession.Slot;
import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter;
import dev.rendezvous.forwarder.sdp.ForwarderSdpWriter.LocalTransport;
import dev.rendezvous.forwarder.sdp.SdpException;
import dev.rendezvous.forwarder.sdp.SdpNegotiator;
import dev.rendezvous.forwarder.sdp.SessionDescription;
import dev.rendezvous.forwarder.sdp.SessionDescription.Media;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The subscribe side of each peer: the forwarder offers the others' tracks, the page answers. Outside the
 * packet path; every method expects the room's lock ({@code …Locked}).
 *
 * <ul>
 *   <li>One offer outstanding at a time: changes while an answer is awaited wait for it ({@code dirty}).</li>
 *   <li>A track that goes leaves its section inactive; a new track of the same kind takes the first inactive
 *       section the page has already answered, so the SDP stays as large as the most tracks at once.</li>
 *   <li>An offer unanswered for {@code answerTimeout} is sent once more; unanswered again, the subscribe
 *       connection is dropped (the page is told and starts a new one) — never waited on for ever.</li>
 *   <li>Each section's {@link Consumer} is made with the offer (its SSRC is in it) and starts forwarding when
 *       the answer accepts it and the transport is up, or when the transport comes up before the answer
 *       arrives (the browser has then applied its answer already).</li>
 * </ul>
 */
final class SubscribeNegotiator {

    /** Retransmission allowance of one consumer: per second, burst, per NACK packet. */
    static final int RETRANSMITS_PER_SECOND = 300;
    static final int RETRANSMIT_BURST = 150;
    static final int RETRANSMITS_PER_NACK = 64;

    private final Transports transports;
    private final MediaListener listener;
    private final KeyframeService keyframes;
    private final DtlsHandshakes dtls;
    private final ConsumerStarts starts;
    private final Function<Transport, LocalTransport> local;
    private final LongSupplier ssrcs;
    private final SecureRandom random;
    private final long answerTimeoutNanos;

    SubscribeNegotiator(Transports transports, MediaListener listener, KeyframeService keyframes,
                        DtlsHandshakes dtls, ConsumerStarts starts, Function<Transport, LocalTransport> local,
                        LongSupplier ssrcs, SecureRandom random, Duration answerTimeout) {
        this.transports = transports;
        this.listener = listener;
        this.keyframes = keyframes;
        this.dtls = dtls;
        this.starts = starts;
        this.local = local;
        this.ssrcs = ssrcs;
        this.random = random;
        this.answerTimeoutNanos = answerTimeout.toNanos();
    }

    /** Starts the peer's subscribe side over: a new connection, the room's current tracks offered at once. */
    void restartLocked(Peer s, String fingerprint, long now) {
        closeLocked(s);
        s.session.reset(fingerprint == null || fingerprint.isBlank() ? null : fingerprint.trim());
        renegotiateLocked(s, now);
    }

    /** The peer's subscribe side goes: its connection closes and its consumers leave the routing table. */
    void closeLocked(Peer s) {
        Transport t = s.subscribe;
        if (t != null) {
            transports.close(t);
        }
        s.subscribe = null;
        for (Slot slot : s.session.slots) {
            if (slot.consumer != null) {
                s.router.detachLocked(slot.consumer);
                slot.consumer = null;
            }
        }
        for (Consumer c : s.consumers) {
            s.router.detachLocked(c);
        }
    }

    void renegotiateAllLocked(Router router, long now) {
        for (Peer p : router.bySocket.values()) {
            renegotiateLocked(p, now);
        }
    }

    /** Brings the peer's subscribe offer up to date with the room (or notes that it must, after the answer). */
    void renegotiateLocked(Peer s, long now) {
        SubscribeSession session = s.session;
        if (session.awaitingAnswer) {
            session.dirty = true;
            return;
        }
        List<Producer> present = s.router.producersExceptLocked(s);
        Set<Producer> presentSet = new HashSet<>(present);
        for (Slot slot : session.slots) {
            Consumer c = slot.consumer;
            if (c != null && !presentSet.contains(c.producer)) {
                s.router.detachLocked(c);
                slot.consumer = null;
            }
        }
        for (Producer p : present) {
            Slot slot = session.slotOf(p);
            if (slot == null) {
                slot = freeSlot(session, p.kind);
                slot.consumer = newConsumer(s, p);
                slot.codecs = p.codecs;
                slot.consumer.offered(slot.codecs);
                slot.reusable = false;
                s.router.attachLocked(slot.consumer);
            } else if (!slot.consumer.codecsFit()) {
                // offered before the publisher chose a codec this section does not list: offer its codecs
                slot.codecs = p.codecs;
                slot.consumer.offered(slot.codecs);
            }
        }
        if (session.slots.isEmpty()) {
            return; // nobody publishes yet: no subscribe PeerConnection needed
        }
        List<Offered> offer = new ArrayList<>();
        for (Slot slot : session.slots) {
            offer.add(new Offered(slot.mid, slot.consumer, slot.codecs));
        }
        if (s.subscribe != null && offer.equals(session.offered)) {
            return;
        }
        sendOfferLocked(s, offer, now);
    }

    private Slot freeSlot(SubscribeSession session, TrackKind kind) {
        for (Slot slot : session.slots) {
            if (slot.consumer == null && slot.reusable && slot.kind == kind) {
                return slot;
            }
        }
        Slot slot = new Slot(String.valueOf(session.nextMid++), kind);
        session.slots.add(slot);
        return slot;
    }

    private Consumer newConsumer(Peer s, Producer p) {
        long ssrc;
        do {
            ssrc = ssrcs.getAsLong();
        } while (taken(s, ssrc));
        long rtxSsrc = -1;
        if (p.kind == TrackKind.VIDEO) {
            do {
                rtxSsrc = ssrcs.getAsLong();
            } while (rtxSsrc == ssrc || taken(s, rtxSsrc));
        }
        return new Consumer(s, p, ssrc, rtxSsrc, random.nextInt(), random.nextInt(),
                new RetransmitBudget(RETRANSMITS_PER_SECOND, RETRANSMIT_BURST, RETRANSMITS_PER_NACK));
    }

    /** Whether one of the peer's consumers sends on {@code ssrc} already (media or RTX). */
    private static boolean taken(Peer s, long ssrc) {
        for (Consumer c : s.consumers) {
            if (c.ssrc == ssrc || c.rtxSsrc == ssrc) {
                return true;
            }
        }
        return false;
    }

    private void sendOfferLocked(Peer s, List<Offered> offer, long now) {
        SubscribeSession session = s.session;
        boolean firstOffer = false;
        if (s.subscribe == null) {
            Transport t = transports.create(s, TransportRole.SUBSCRIBE, ssrcs.getAsLong(), now);
            t.remoteFingerprint = session.fingerprint; // null unless the page announced it
            s.subscribe = t;
            session.sessionId = Math.abs(random.nextLong() >>> 2);
            session.version = 0;
            firstOffer = true;
        }
        session.version++;
        List<ForwarderSdpWriter.Slot> sdpSlots = new ArrayList<>();
        List<RemoteTrack> remote = new ArrayList<>();
        for (Slot slot : session.slots) {
            Consumer c = slot.consumer;
            if (c == null) {
                sdpSlots.add(new ForwarderSdpWriter.Slot(slot.mid, slot.kind.sdpName(), false,
                        slot.codecs.isEmpty() ? slot.codecs : slot.codecs.subList(0, 1), 0, "-", "-"));
                continue;
            }
            Producer p = c.producer;
            String stream = p.owner.socketId;
            sdpSlots.add(new ForwarderSdpWriter.Slot(slot.mid, slot.kind.sdpName(), true, p.codecs, p.rtxCodecs, c.ssrc,
                    c.rtxSsrc, stream, stream + "-" + p.source.wireName()));
            remote.add(new RemoteTrack(slot.mid, stream, p.owner.participantId, p.kind, p.source, p.muted));
        }
        String sdp = ForwarderSdpWriter.writeSubscribeOffer(sdpSlots, local.apply(s.subscribe), session.sessionId,
                session.version);
        if (firstOffer || s.subscribe.remoteUfrag == null) {
            // the connection's first offer: ask for keyframes now, so that a fresh one is in the cache (and
            // replayed) when the connection is up, instead of a PLI round trip after it
            for (Offered o : offer) {
                Consumer c = o.consumer();
                if (c != null) {
                    keyframes.request(c.producer.bestLayer(c.preferredLayer, now), now); // the layer it will take
                }
            }
        }
        session.offered = List.copyOf(offer);
        session.awaitingAnswer = true;
        session.offerSentNanos = now;
        listener.subscribeOffer(s.router.meetingId, s.socketId, sdp, remote);
    }

    /** The page's answer to the outstanding offer. */
    void answerLocked(Peer s, SessionDescription answer, long now) {
        SubscribeSession session = s.session;
        Transport t = s.subscribe;
        if (t == null || !session.awaitingAnswer) {
            throw new MediaException("unexpected_answer", "no subscribe offer is waiting for an answer");
        }
        Media first = PublishNegotiator.firstActive(answer);
        if (first != null) {
            SdpNegotiator.requireTransport(answer);
            if ("passive".equals(first.setup())) {
                throw new SdpException("a=setup:passive is not supported: the browser must be the DTLS client");
            }
            if (t.remoteUfrag == null) { // the first answer on this connection
                String fingerprint = first.fingerprintSha256();
                if (t.remoteFingerprint == null) {
                    t.remoteFingerprint = fingerprint;
                } else if (fingerprint == null || !fingerprint.trim().equalsIgnoreCase(t.remoteFingerprint)) {
                    throw new SdpException("the answer's DTLS fingerprint is not the one announced for this subscribe connection");
                }
                t.remoteUfrag = first.iceUfrag();
                dtls.fingerprintKnown(t);
            }
        }
        Map<String, Media> byMid = new HashMap<>();
        answer.media().forEach(m -> byMid.put(m.mid(), m));
        for (Offered o : session.offered) {
            Media m = byMid.get(o.mid());
            Consumer c = o.consumer();
            if (c == null) {
                Slot slot = slotByMid(session, o.mid());
                if (slot != null && slot.consumer == null) {
                    slot.reusable = true;
                }
            } else if (m != null && !m.rejected() && m.direction().receives() && !c.closed) {
                c.answered(m.codecs()); // its payload types, RTX among them if it kept any
                accept(c, t);
            }
        }
        TransportCcFeedback.subscriberAnswered(t, first == null ? -1 : first.extensionId(SdpNegotiator.TRANSPORT_CC_URI), now);
        session.awaitingAnswer = false;
        session.reoffered = false;
        if (session.dirty) {
            session.dirty = false;
            renegotiateLocked(s, now);
        }
    }

    private static Slot slotByMid(SubscribeSession session, String mid) {
        for (Slot slot : session.slots) {
            if (slot.mid.equals(mid)) {
                return slot;
            }
        }
        return null;
    }

    private void accept(Consumer c, Transport t) {
        if (c.accepted) {
            return;
        }
        c.accepted = true;
        if (t.ready()) {
            starts.add(c);
        }
    }

    /**
     * The subscribe transport's DTLS completed. Before its first answer arrived the browser has applied that
     * answer already (it starts ICE and DTLS only then), so the offered tracks are accepted now; then every
     * accepted consumer starts.
     */
    void connectedLocked(Transport t) {
        Peer s = t.owner;
        if (s.subscribe != t) {
            return;
        }
        if (s.session.awaitingAnswer && t.remoteUfrag == null) {
            for (Offered o : s.session.offered) {
                if (o.consumer() != null && !o.consumer().closed) {
                    o.consumer().accepted = true;
                }
            }
        }
        for (Consumer c : s.consumers) {
            if (c.accepted && !c.forwarding) {
                starts.add(c);
            }
        }
    }

    /**
     * An offer unanswered too long: send it again once, then give the connection up. True when the subscribe
     * connection was dropped (the caller tells the page).
     */
    boolean checkAnswerTimeoutLocked(Peer s, long now) {
        SubscribeSession session = s.session;
        if (!session.awaitingAnswer || s.subscribe == null || now - session.offerSentNanos < answerTimeoutNanos) {
            return false;
        }
        if (!session.reoffered) {
            session.reoffered = true;
            session.awaitingAnswer = false;
            sendOfferLocked(s, session.offered, now);
            return false;
        }
        closeLocked(s);
        session.reset(null);
        return true;
    }
}
