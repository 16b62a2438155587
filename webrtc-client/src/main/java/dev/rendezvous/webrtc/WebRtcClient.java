package dev.rendezvous.webrtc;

import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.webrtc.dtls.ClientCertificate;
import dev.rendezvous.webrtc.signaling.Signaling;
import dev.rendezvous.webrtc.stats.ClientStats;
import dev.rendezvous.webrtc.transport.PeerConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One meeting participant without a browser: what the Rendezvous page does, on the wire, with two
 * PeerConnections to the forwarder. {@link #start()} joins (the subscribe side starts: the forwarder offers
 * the others' tracks and we answer, again on every renegotiation) and publishes a microphone and a camera
 * track (we offer, the forwarder answers). Media flows once ICE and DTLS are through; {@link #stats()} tells
 * what was sent and, per remote track, what arrived. {@link #close()} leaves and frees the sockets and tasks.
 */
public final class WebRtcClient implements AutoCloseable {

    private final ClientConfig config;
    private final Signaling signaling;
    private final PublishSession publish;
    private final SubscribeSession subscribe;
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();
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
        ClientCertificate certificate = ClientCertificate.generate();
        long start = System.nanoTime();
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
            this.subscribe = new SubscribeSession(config, sub, runtime.scheduler(), start, runtime.delaySink());
            this.publish = new PublishSession(config, pub, runtime.scheduler());
            holder.bind(publish, subscribe);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the client's sockets", e);
        }
        this.certificateFingerprint = certificate.fingerprintSha256();
    }

    private final String certificateFingerprint;

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
            public void onError(String what, Throwable cause) {
                lastError.set(cause);
            }
        });
        if (config.audio() || config.video()) {
            publish.start(signaling);
        }
    }

    public ClientConfig config() {
        return config;
    }

    /** Sets the audio level sent from now on: 0 (loud, talking) .. 127 (silence). */
    public void audioLevel(int level) {
        publish.audioLevel(level);
    }

    /** Mutes or unmutes our {@code audio} or {@code video} track (the forwarder stops forwarding it). */
    public void mute(String kind, boolean muted) {
        publish.muted(kind, muted);
        signaling.updateTracks(publish.specs());
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

    public ClientStats stats() {
        return new ClientStats(config.socketId(), publish.connected(), subscribe.connected(), publish.stats(),
                subscribe.stats());
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
