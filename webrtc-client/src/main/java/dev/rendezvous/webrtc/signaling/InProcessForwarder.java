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
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

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
        Route r = new Route(this, meetingId, socketId, participantId);
        routes.put(socketId, r);
        return r;
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

    /**
     * What stream-apps' failover does, in process: the meeting's room closes here ({@code CLOSE_ROOM}), its
     * clients' signaling is routed to {@code to} from now on, and each client is told {@code media-moved} (on
     * {@code to}'s signaling thread, so that what it sends in answer reaches {@code to}).
     *
     * @return how many clients were moved
     */
    public int moveRoom(String meetingId, InProcessForwarder to) {
        if (to == this) {
            throw new IllegalArgumentException("a room moves to another forwarder");
        }
        java.util.concurrent.CompletableFuture<Integer> moved = new java.util.concurrent.CompletableFuture<>();
        run(() -> {
            int n = 0;
            engine.closeRoom(meetingId);
            for (Route r : routes.values()) {
                if (r.meetingId.equals(meetingId) && !r.left) {
                    routes.remove(r.socketId, r);
                    bySocket.remove(r.socketId, r.listener);
                    r.at = to;
                    to.routes.put(r.socketId, r);
                    Signaling.Listener l = r.listener;
                    if (l != null) {
                        to.bySocket.put(r.socketId, l);
                        to.run(l::onMediaMoved, l);
                    }
                    n++;
                }
            }
            moved.complete(n);
        }, null);
        try {
            return moved.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while moving " + meetingId, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot move " + meetingId, e);
        }
    }

    /** One client's route: to the forwarder its meeting is on now ({@link #moveRoom} changes it). */
    private static final class Route implements Signaling {
        private final String meetingId;
        private final String socketId;
        private final String participantId;
        private volatile InProcessForwarder at;
        private volatile Listener listener;
        private volatile boolean left;

        Route(InProcessForwarder at, String meetingId, String socketId, String participantId) {
            this.at = at;
            this.meetingId = meetingId;
            this.socketId = socketId;
            this.participantId = participantId;
        }

        @Override
        public void join(String subscribeFingerprint, Listener listener) {
            this.listener = listener;
            InProcessForwarder f = at;
            f.bySocket.put(socketId, listener);
            f.run(() -> f.engine.subscribe(meetingId, socketId, participantId, subscribeFingerprint), listener);
        }

        @Override
        public void resubscribe(String subscribeFingerprint) {
            InProcessForwarder f = at;
            f.run(() -> f.engine.subscribe(meetingId, socketId, participantId, subscribeFingerprint), listener);
        }

        @Override
        public void publish(String offerSdp, List<TrackSpec> tracks, Consumer<String> onAnswer) {
            // the answer is handed over on the signaling thread after publish returns, like a reply message
            InProcessForwarder f = at;
            f.run(() -> f.engine.publish(meetingId, socketId, participantId, offerSdp, tracks,
                    answer -> f.run(() -> onAnswer.accept(answer), listener)), listener);
        }

        @Override
        public void subscribeAnswer(String answerSdp) {
            // an answer still in flight when the client left would only be refused: the socket is gone
            InProcessForwarder f = at;
            f.run(() -> {
                if (!left) {
                    f.engine.subscribeAnswer(meetingId, socketId, answerSdp);
                }
            }, listener);
        }

        @Override
        public void updateTracks(List<TrackSpec> tracks) {
            InProcessForwarder f = at;
            f.run(() -> f.engine.updateTracks(meetingId, socketId, tracks), listener);
        }

        @Override
        public void leave() {
            left = true;
            InProcessForwarder f = at;
            f.bySocket.remove(socketId, listener);
            f.routes.remove(socketId, this);
            f.run(() -> f.engine.disconnect(meetingId, socketId), null);
        }
    }
}
