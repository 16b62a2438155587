package dev.rendezvous.webrtc.signaling;

import dev.rendezvous.forwarder.media.TrackSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Signaling} over the edge gateway's WebSocket, frame for frame what the meeting page does
 * ({@code static/meeting/}): a guest token from {@code POST /api/v1/meetings/{code}/guest} (unless a token is given),
 * {@code /ws}, {@code join} with the subscribe certificate's fingerprint on {@code hello}; after {@code joined}
 * the publish {@code media-offer}; a {@code media-answer} for every subscribe offer; {@code media-state};
 * on {@code media-moved} the listener restarts media ({@code media-subscribe} and a new {@code media-offer});
 * {@code leave}. The gateway refuses media frames before {@code joined} ({@code not_joined}), so a publish or
 * track update asked for earlier waits for it, as the page's does.
 *
 * <p>Everything is asynchronous: {@link #join} returns at once, so a load tool can start many joins at a
 * paced rate without a thread each. Listener calls come from the WebSocket's receive side, one frame at a time
 * and in order (the JDK WebSocket delivers a socket's messages sequentially), never on a caller's thread.
 */
public final class GatewaySignaling implements Signaling {

    private static final Logger log = LoggerFactory.getLogger(GatewaySignaling.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final URI base;
    private final String meetingId;
    private final String meetingCode;
    private final String displayName;
    private final String givenToken;
    private final Object lock = new Object();
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<WebSocket> sends = CompletableFuture.completedFuture(null);
    private Listener listener;
    private String fingerprint;
    private String token;
    private boolean joined;
    private boolean left;
    private boolean socketLost;
    private boolean removed;
    private String pendingOffer;
    private List<TrackSpec> pendingOfferTracks;
    private List<TrackSpec> pendingState;
    private volatile Consumer<String> onAnswer;
    private volatile String socketId;
    private volatile long joinedNanos;
    private final java.util.concurrent.atomic.AtomicInteger mediaMoves = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param http        shared by many clients (its executor runs the receive side of every socket)
     * @param baseUrl     the gateway, e.g. {@code http://127.0.0.1:8080}
     * @param meetingId   the meeting's UUID (what {@code join} carries)
     * @param meetingCode its short code (what the guest-token call takes)
     * @param displayName the guest's name
     * @param token       a token to join with (a user's); null = ask for a guest token
     */
    public GatewaySignaling(HttpClient http, String baseUrl, String meetingId, String meetingCode, String displayName,
                            String token) {
        this.http = http;
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.meetingId = meetingId;
        this.meetingCode = meetingCode;
        this.displayName = displayName;
        this.givenToken = token;
    }

    /** The gateway's id for our socket (from {@code hello}); null until then. */
    public String socketId() {
        return socketId;
    }

    /** {@link System#nanoTime()} when {@code joined} arrived; 0 until then. */
    public long joinedNanos() {
        return joinedNanos;
    }

    /** {@code media-moved} frames received for our meeting. */
    public int mediaMoves() {
        return mediaMoves.get();
    }

    /** True while the socket is joined and has not closed or failed: the client is still in its meeting. */
    public boolean inMeeting() {
        synchronized (lock) {
            return joined && !left && !socketLost && !removed;
        }
    }

    @Override
    public void join(String subscribeFingerprint, Listener listener) {
        synchronized (lock) {
            this.listener = listener;
            this.fingerprint = subscribeFingerprint;
        }
        CompletableFuture<String> tokenFuture = givenToken != null
                ? CompletableFuture.completedFuture(givenToken) : guestToken();
        tokenFuture.thenCompose(t -> {
            synchronized (lock) {
                token = t;
            }
            return http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(wsUri(), new Receiver());
        }).whenComplete((ws, e) -> {
            if (e != null) {
                fail("join", e);
                return;
            }
            synchronized (lock) {
                if (left) {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "left");
                }
            }
        });
    }

    private URI wsUri() {
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        return URI.create(scheme + "://" + base.getRawAuthority() + base.getRawPath() + "/ws");
    }

    private CompletableFuture<String> guestToken() {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/meetings/" + meetingCode + "/guest"))
                .timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayFrames.guestRequest(displayName))).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("guest token: HTTP " + r.statusCode() + " " + r.body());
            }
            return GatewayFrames.guestToken(r.body());
        });
    }

    @Override
    public void publish(String offerSdp, List<TrackSpec> tracks, Consumer<String> onAnswer) {
        this.onAnswer = onAnswer;
        synchronized (lock) {
            if (joined) {
                send(GatewayFrames.mediaOffer(meetingId, offerSdp, tracks));
            } else {
                pendingOffer = offerSdp;
                pendingOfferTracks = List.copyOf(tracks);
            }
        }
    }

    @Override
    public void resubscribe(String subscribeFingerprint) {
        synchronized (lock) {
            fingerprint = subscribeFingerprint;
            // before joined, the join itself starts the subscribe side
            if (joined) {
                send(GatewayFrames.mediaSubscribe(meetingId, subscribeFingerprint));
            }
        }
    }

    @Override
    public void subscribeAnswer(String answerSdp) {
        synchronized (lock) {
            send(GatewayFrames.mediaAnswer(meetingId, answerSdp));
        }
    }

    @Override
    public void updateTracks(List<TrackSpec> tracks) {
        synchronized (lock) {
            if (joined) {
                send(GatewayFrames.mediaState(meetingId, tracks));
            } else {
                pendingState = List.copyOf(tracks);
            }
        }
    }

    @Override
    public void leave() {
        synchronized (lock) {
            if (left) {
                return;
            }
            left = true;
            if (joined) {
                send(GatewayFrames.leave(meetingId));
            }
            // the gateway sends LEAVE for a closed socket anyway; the frame above only makes it explicit
            sends = sends.thenCompose(ws -> ws == null ? CompletableFuture.completedFuture(null)
                    : ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
    }

    /** Queues a text frame behind the previous one (the JDK WebSocket allows one outstanding send). */
    private void send(String text) {
        sends = sends.thenCompose(ws -> ws == null || ws.isOutputClosed() ? CompletableFuture.completedFuture(ws)
                : ws.sendText(text, true));
        sends.exceptionally(e -> {
            fail("send", e);
            return null;
        });
    }

    private void onFrame(GatewayFrames.Inbound frame) {
        Listener l;
        synchronized (lock) {
            l = listener;
            if (left) {
                return;
            }
        }
        if (frame instanceof GatewayFrames.Hello h) {
            socketId = h.socketId();
            synchronized (lock) {
                send(GatewayFrames.join(meetingId, token, fingerprint));
            }
        } else if (frame instanceof GatewayFrames.Joined j && meetingId.equals(j.meetingId())) {
            onJoined();
        } else if (frame instanceof GatewayFrames.PublishAnswer a && meetingId.equals(a.meetingId())) {
            Consumer<String> c = onAnswer;
            if (c != null && a.sdp() != null) {
                c.accept(a.sdp());
            }
        } else if (frame instanceof GatewayFrames.SubscribeOffer o && meetingId.equals(o.meetingId())) {
            if (l != null && o.sdp() != null) {
                l.onSubscribeOffer(o.sdp(), o.tracks());
            }
        } else if (frame instanceof GatewayFrames.MediaMoved m && meetingId.equals(m.meetingId())) {
            mediaMoves.incrementAndGet();
            if (l != null) {
                l.onMediaMoved();
            }
        } else if (frame instanceof GatewayFrames.ParticipantLeft p && meetingId.equals(p.meetingId())
                && p.socketId() != null && p.socketId().equals(socketId)) {
            synchronized (lock) {
                removed = true;
            }
        } else if (frame instanceof GatewayFrames.Other o
                && (o.type().equals("removed") || o.type().equals("meeting-ended"))) {
            synchronized (lock) {
                removed = true;
            }
        } else if (frame instanceof GatewayFrames.Error e && l != null) {
            l.onError(e.ref() == null ? "gateway" : e.ref(), new IllegalStateException(e.code() + ": " + e.message()));
        }
    }

    private void onJoined() {
        joinedNanos = System.nanoTime();
        synchronized (lock) {
            joined = true;
            if (pendingOffer != null) {
                send(GatewayFrames.mediaOffer(meetingId, pendingOffer, pendingOfferTracks));
                pendingOffer = null;
            }
            if (pendingState != null) {
                send(GatewayFrames.mediaState(meetingId, pendingState));
                pendingState = null;
            }
        }
    }

    private void fail(String what, Throwable e) {
        Listener l;
        synchronized (lock) {
            l = listener;
            if (left) {
                return;
            }
        }
        log.debug("gateway signaling of {} failed ({}): {}", displayName, what, e.toString());
        if (l != null) {
            l.onError(what, e);
        }
    }

    /** The socket's receive side: whole text messages, parsed, handed on one at a time. */
    private final class Receiver implements WebSocket.Listener {
        /** Runs before any message: from here on frames can be sent (the {@code join} answers {@code hello}). */
        @Override
        public void onOpen(WebSocket ws) {
            synchronized (lock) {
                sends = CompletableFuture.completedFuture(ws);
            }
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onFrame(GatewayFrames.parse(text));
                } catch (RuntimeException e) {
                    fail("frame", e);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            synchronized (lock) {
                socketLost = true;
            }
            fail("socket", new IllegalStateException("the gateway closed the socket: " + code + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            synchronized (lock) {
                socketLost = true;
            }
            fail("socket", error);
        }
    }
}
