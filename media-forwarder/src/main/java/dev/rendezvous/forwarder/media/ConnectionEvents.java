package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.dtls.SrtpKeyMaterial;
import dev.rendezvous.forwarder.media.srtp.SrtpProfile;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine does when its parts report: the end of a transport's DTLS handshake ({@link DtlsHandshakes},
 * on the association's thread), and what the {@link MediaTimers} find (ICE consent expired, a subscribe offer
 * unanswered past its deadline, a keyframe request owed, layers to allocate). Changes to a room are made under
 * its lock; {@link MediaListener} hears of connections made, lost and abandoned. Assembled by {@link MediaEngine}.
 */
final class ConnectionEvents implements DtlsHandshakes.Listener, MediaTimers.Actions {

    private static final Logger log = LoggerFactory.getLogger(ConnectionEvents.class);

    private final MediaListener listener;
    private final PublishNegotiator publishing;
    private final SubscribeNegotiator subscribing;
    private final KeyframeService keyframes;
    private final LayerControl layers;
    private final Duration consentTimeout;
    private final LongSupplier nanos;

    ConnectionEvents(MediaListener listener, PublishNegotiator publishing, SubscribeNegotiator subscribing,
                     KeyframeService keyframes, LayerControl layers, Duration consentTimeout, LongSupplier nanos) {
        this.listener = listener;
        this.publishing = publishing;
        this.subscribing = subscribing;
        this.keyframes = keyframes;
        this.layers = layers;
        this.consentTimeout = consentTimeout;
        this.nanos = nanos;
    }

    /** A transport's DTLS handshake gave keys. */
    @Override
    public void connected(Transport t, SrtpKeyMaterial keys) {
        SrtpProfile profile = SrtpProfile.byId(keys.profileId());
        Peer p = t.owner;
        if (profile == null) {
            listener.disconnected(p.router.meetingId, p.socketId, t.publish(), "unsupported SRTP profile");
            return;
        }
        t.srtpIn = SrtpSession.forReceiving(profile, keys.clientKey(), keys.clientSalt());
        t.srtpOut = SrtpSession.forSending(profile, keys.serverKey(), keys.serverSalt());
        log.info("{} connected ({}, {}; {})", t.label(), profile, t.remote,
                t.dtls == null ? "" : t.dtls.handshakeTiming());
        listener.connected(p.router.meetingId, p.socketId, t.publish());
        long now = nanos.getAsLong();
        if (t.publish()) {
            // subscribers that already wait for this publisher's video want a keyframe as soon as it flows
            for (Producer producer : p.producers) {
                keyframes.request(producer, now);
            }
        } else {
            synchronized (p.router) {
                subscribing.connectedLocked(t);
            }
        }
    }

    @Override
    public void failed(Transport t, String reason) {
        listener.disconnected(t.owner.router.meetingId, t.owner.socketId, t.publish(), reason);
    }

    @Override
    public void consentExpired(Peer p, Transport t) {
        Router router = p.router;
        log.info("{}: no ICE consent for {} s, closing it", t.label(), consentTimeout.toSeconds());
        synchronized (router) {
            if (t.publish() && p.publish == t) {
                publishing.closeLocked(p);
                subscribing.renegotiateAllLocked(router, nanos.getAsLong());
            } else if (!t.publish() && p.subscribe == t) {
                subscribing.closeLocked(p);
                p.session.reset(null);
            }
        }
        listener.disconnected(router.meetingId, p.socketId, t.publish(), "ice consent expired");
    }

    @Override
    public void checkAnswerTimeout(Peer p, long now) {
        boolean dropped;
        synchronized (p.router) {
            dropped = subscribing.checkAnswerTimeoutLocked(p, now);
        }
        if (dropped) {
            log.info("{}/subscribe: the subscribe offer went unanswered twice; connection dropped", p.socketId);
            listener.subscribeAbandoned(p.router.meetingId, p.socketId);
        }
    }

    @Override
    public void settleOwedKeyframe(Producer t, long now) {
        keyframes.settleOwed(t, now);
    }

    @Override
    public void allocateLayers(Router router, long now) {
        layers.tick(router, now);
    }
}
