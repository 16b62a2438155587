package dev.rendezvous.webrtc;

import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.webrtc.dtls.ClientCertificate;
import dev.rendezvous.webrtc.signaling.Signaling;
import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.stats.SendStats;
import dev.rendezvous.webrtc.stats.TrackStats;
import dev.rendezvous.webrtc.transport.PeerConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One meeting participant without a browser: what the Rendezvous page does, on the wire, with two
 * PeerConnections to the forwarder. {@link #start()} joins (the subscribe side starts: the forwarder offers
 * the others' tracks and we answer, again on every renegotiation) and publishes a microphone and a camera
 * track (we offer, the forwarder answers). Media flows once ICE and DTLS are through; {@link #stats()} tells
 * what was sent and, per remote track, what arrived. On {@code media-moved} both connections start over with the
 * room's new forwarder ({@link #restartMedia}). {@link #close()} leaves and frees the sockets and tasks.
 */
public final class WebRtcClient implements AutoCloseable {

    private final ClientConfig config;
    private final Signaling signaling;
    private final ClientRuntime runtime;
    private final ClientCertificate certificate;
    private final String certificateFingerprint;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
    /** Guards the swap of the sessions against {@link #stats()} (which adds up the retired ones). */
    private final Object books = new Object();
    private volatile PublishSession publish;
    private volatile SubscribeSession subscribe;
    /** What the connections before the last media restart received (their tracks, now inactive) and sent. */
    private final List<TrackStats> retiredTracks = new ArrayList<>();
    private SendStats retiredSent = SendStats.NONE;
    private final AtomicInteger mediaRestarts = new AtomicInteger();
    private volatile boolean audioMuted;
    private volatile boolean videoMuted;
    private volatile int audioLevel;
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * Binds the two sockets (127.0.0.1, ephemeral ports) and makes the certificate; nothing is sent yet.
     *
     * @param signaling this client's path to the forwarder (e.g. {@code InProcessForwarder.signaling(...)})
     * @param runtime   the pacing scheduler and handshake pool shared by many clients
     */
    public WebRtcClient(ClientConfig config, Signaling signaling, ClientRuntime runtime) {
        this.config = config;
        this.signaling = signaling;
        this.runtime = runtime;
        this.audioLevel = config.audioLevel();
        this.certificate = ClientCertificate.generate();
        this.certificateFingerprint = certificate.fingerprintSha256();
        openSessions();
    }

    /** Two new connections (new sockets, new ICE credentials, the same certificate) and their sessions. */
    private void openSessions() {
        try {
            PeerConnectionHolder holder = new PeerConnectionHolder();
            PeerConnection sub = new PeerConnection(config.socketId() + "-sub", certificate, config.srtpProfiles(),
                    config.consentIntervalMs(), runtime.scheduler(), runtime.handshakes(), runtime.nextPoller(),
                    holder.subscribeHandler());
            PeerConnection pub;
            try {
                pub = new PeerConnection(config.socketId() + "-pub", certificate, config.srtpProfiles(),
                        config.consentIntervalMs(), runtime.scheduler(), runtime.handshakes(), runtime.nextPoller(),
                        holder.publishHandler());
            } catch (IOException e) {
                sub.close();
                throw e;
            }
            SubscribeSession s = new SubscribeSession(config, sub, runtime.scheduler(), startNanos, runtime.delaySink());
            PublishSession p = new PublishSession(config, pub, runtime.scheduler());
            p.muted("audio", audioMuted);
            p.muted("video", videoMuted);
            p.audioLevel(audioLevel);
            holder.bind(p, s);
            subscribe = s;
            publish = p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the client's sockets", e);
        }
    }

    /** Joins and publishes; returns at once (signaling and connection setup are asynchronous). */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        signaling.join(certificateFingerprint, new Signaling.Listener() {
            @Override
            public void onSubscribeOffer(String sdp, List<RemoteTrack> tracks) {
                try {
                    subscribe.onOffer(sdp, tracks, signaling);
                } catch (RuntimeException e) {
                    lastError.set(e);
                    throw e;
                }
            }

            @Override
            public void onMediaMoved() {
                try {
                    restartMedia();
                } catch (RuntimeException e) {
                    lastError.set(e);
                    throw e;
                }
            }

            @Override
            public void onError(String what, Throwable cause) {
                lastError.set(cause);
            }
        });
        if (config.audio() || config.video()) {
            publish.start(signaling);
        }
    }

    /**
     * What the page does on {@code media-moved}: both connections are closed at once and new ones started through
     * the normal signaling — a fresh subscribe offer asked for ({@code media-subscribe}), a new publish offer — which
     * now reach the room's new forwarder. The client stays who it is (socket, participant, certificate, mute
     * state); its statistics go on (the old connections' tracks stay in {@link #stats()}, inactive, and what they
     * sent is added). Called from the signaling's receive side; does nothing before {@link #start} or after
     * {@link #close}.
     */
    public synchronized void restartMedia() {
        if (!started || closed) {
            return;
        }
        PublishSession oldPublish = publish;
        SubscribeSession oldSubscribe = subscribe;
        oldPublish.close();
        oldSubscribe.close();
        synchronized (books) {
            retiredSent = retiredSent.plus(oldPublish.stats());
            oldSubscribe.stats().forEach(t -> retiredTracks.add(t.inactive()));
            openSessions();
        }
        mediaRestarts.incrementAndGet();
        signaling.resubscribe(certificateFingerprint);
        if (config.audio() || config.video()) {
            publish.start(signaling);
        }
    }

    /** How many times media started over on {@code media-moved} (or {@link #restartMedia}). */
    public int mediaRestarts() {
        return mediaRestarts.get();
    }

    public ClientConfig config() {
        return config;
    }

    /** Sets the audio level sent from now on: 0 (loud, talking) .. 127 (silence). */
    public void audioLevel(int level) {
        audioLevel = level;
        publish.audioLevel(level);
    }

    /** Mutes or unmutes our {@code audio} or {@code video} track (the forwarder stops forwarding it). */
    public void mute(String kind, boolean muted) {
        if (kind.equals("audio")) {
            audioMuted = muted;
        } else {
            videoMuted = muted;
        }
        PublishSession p = publish;
        p.muted(kind, muted);
        signaling.updateTracks(p.specs());
    }

    public boolean publishConnected() {
        return publish.connected();
    }

    public boolean subscribeConnected() {
        return subscribe.connected();
    }

    /** The last signaling error reported for this client, or null. */
    public Throwable lastError() {
        return lastError.get();
    }

    /** What was sent and received so far, across media restarts (tracks of earlier connections are inactive). */
    public ClientStats stats() {
        synchronized (books) {
            PublishSession p = publish;
            SubscribeSession s = subscribe;
            List<TrackStats> received = new ArrayList<>(retiredTracks);
            received.addAll(s.stats());
            return new ClientStats(config.socketId(), p.connected(), s.connected(), retiredSent.plus(p.stats()),
                    received);
        }
    }

    /** Leaves the meeting and frees the client's sockets, reader threads and scheduled tasks. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            signaling.leave();
        }
        publish.close();
        subscribe.close();
    }

    /** Lets the connections be created before the sessions that handle their events. */
    private static final class PeerConnectionHolder {
        private volatile PublishSession publish;
        private volatile SubscribeSession subscribe;

        void bind(PublishSession p, SubscribeSession s) {
            publish = p;
            subscribe = s;
        }

        PeerConnection.Handler publishHandler() {
            return new Forward(() -> publish);
        }

        PeerConnection.Handler subscribeHandler() {
            return new Forward(() -> subscribe);
        }
    }

    private record Forward(java.util.function.Supplier<PeerConnection.Handler> target) implements PeerConnection.Handler {
        @Override
        public void onConnected() {
            PeerConnection.Handler h = target.get();
            if (h != null) {
                h.onConnected();
            }
        }

        @Override
        public void onRtp(byte[] b, int len, long nowNanos) {
            PeerConnection.Handler h = target.get();
            if (h != null) {
                h.onRtp(b, len, nowNanos);
            }
        }

        @Override
        public void onRtcp(byte[] b, int len, long nowNanos) {
            PeerConnection.Handler h = target.get();
            if (h != null) {
                h.onRtcp(b, len, nowNanos);
            }
        }

        @Override
        public void onFailed(String reason) {
            PeerConnection.Handler h = target.get();
            if (h != null) {
                h.onFailed(reason);
            }
        }
    }
}
