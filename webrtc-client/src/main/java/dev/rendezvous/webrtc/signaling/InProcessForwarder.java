package dev.rendezvous.webrtc.signaling;

import dev.rendezvous.forwarder.media.MediaConfig;
import dev.rendezvous.forwarder.media.MediaEngine;
import dev.rendezvous.forwarder.media.MediaListener;
import dev.rendezvous.forwarder.media.RemoteTrack;
import dev.rendezvous.forwarder.media.TrackSpec;
import dev.rendezvous.forwarder.media.dtls.DtlsCertificate;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@link MediaEngine} on a loopback UDP port, with signaling as plain method calls instead of
 * gateway → Kafka → stream-apps → forwarder. It is the engine's {@link MediaListener} and routes each subscribe
 * offer to the client of that socket. All calls into the engine and all deliveries to clients run on one
 * signaling thread, in order — as the meeting's Kafka partition orders them in production — so no client is
 * re-entered while it is signaling and the engine's room locks are never taken from a listener callback.
 */
public final class InProcessForwarder implements MediaListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InProcessForwarder.class);

    private final MediaEngine engine;
    private final ExecutorService signaling = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "webrtc-signaling");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Signaling.Listener> bySocket = new ConcurrentHashMap<>();
    private final Map<String, Integer> connected = new ConcurrentHashMap<>();

    /** Starts a forwarder with {@link MediaConfig#loopback()} and a fresh certificate. */
    public InProcessForwarder() throws IOException {
        this(MediaConfig.loopback());
    }

    public InProcessForwarder(MediaConfig config) throws IOException {
        engine = new MediaEngine(config, DtlsCertificate.generate(), this);
        engine.start();
    }

    public MediaEngine engine() {
        return engine;
    }

    /** DTLS handshakes the forwarder completed for {@code socketId} (publish and subscribe). */
    public int connections(String socketId) {
        return connected.getOrDefault(socketId, 0);
    }

    /** The signaling of one client, bound to its meeting, socket and participant. */
    public Signaling signaling(String meetingId, String socketId, String participantId) {
        return new Route(meetingId, socketId, participantId);
    }

    @Override
    public void subscribeOffer(String meetingId, String socketId, String sdp, List<RemoteTrack> tracks) {
        Signaling.Listener l = bySocket.get(socketId);
        if (l != null) {
            run(() -> l.onSubscribeOffer(sdp, tracks), null);
        }
    }

    @Override
    public void activeSpeaker(String meetingId, String socketId) {
    }

    @Override
    public void connected(String meetingId, String socketId, boolean publish) {
        connected.merge(socketId, 1, Integer::sum);
    }

    @Override
    public void disconnected(String meetingId, String socketId, boolean publish, String reason) {
        log.info("forwarder dropped {} ({}): {}", socketId, publish ? "publish" : "subscribe", reason);
    }

    private void run(Runnable r, Signaling.Listener errors) {
        try {
            signaling.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.info("signaling failed: {}", e.toString());
                    if (errors != null) {
                        errors.onError("signaling", e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public void close() {
        signaling.shutdownNow();
        try {
            signaling.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }

    /** One client's route. */
    private final class Route implements Signaling {
        private final String meetingId;
        private final String socketId;
        private final String participantId;
        private volatile Listener listener;
        private volatile boolean left;

        Route(String meetingId, String socketId, String participantId) {
            this.meetingId = meetingId;
            this.socketId = socketId;
            this.participantId = participantId;
        }

        @Override
        public void join(String subscribeFingerprint, Listener listener) {
            this.listener = listener;
            bySocket.put(socketId, listener);
            run(() -> engine.subscribe(meetingId, socketId, participantId, subscribeFingerprint), listener);
        }

        @Override
        public void publish(String offerSdp, List<TrackSpec> tracks, Consumer<String> onAnswer) {
            // the answer is handed over on the signaling thread after publish returns, like a reply message
            run(() -> engine.publish(meetingId, socketId, participantId, offerSdp, tracks,
                    answer -> run(() -> onAnswer.accept(answer), listener)), listener);
        }

        @Override
        public void subscribeAnswer(String answerSdp) {
            // an answer still in flight when the client left would only be refused: the socket is gone
            run(() -> {
                if (!left) {
                    engine.subscribeAnswer(meetingId, socketId, answerSdp);
                }
            }, listener);
        }

        @Override
        public void updateTracks(List<TrackSpec> tracks) {
            run(() -> engine.updateTracks(meetingId, socketId, tracks), listener);
        }

        @Override
        public void leave() {
            left = true;
            bySocket.remove(socketId, listener);
            run(() -> engine.disconnect(meetingId, socketId), null);
        }
    }
}
