package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One client connection: its id, its rate limit, its memberships and its bounded outbound queue. Frames are pushed
 * from the socket's own inbound processing and from the delivery consumer; the queue holds at most
 * {@code outboundBuffer} frames, and a socket whose queue overflows is dropped as a slow consumer instead of
 * growing memory.
 */
public final class GatewaySocket implements DeliveryTarget {

    /** 1013 "try again later": the client did not read its frames fast enough. */
    public static final int SLOW_CONSUMER_CODE = 1013;
    /** 1001: the gateway is shutting down. */
    public static final int GOING_AWAY_CODE = 1001;
    /** 4408: nothing came from the client (no frame, no pong) for the idle timeout. */
    public static final int IDLE_CODE = 4408;
    /** 1012 "service restart": the gateway was cut off long enough to be declared dead; reconnect and join again. */
    public static final int RESTART_CODE = 1012;

    private static final Logger log = LoggerFactory.getLogger(GatewaySocket.class);

    /** Closes the connection with a WebSocket close code. */
    @FunctionalInterface
    public interface Closer {
        void close(int code, String reason);
    }

    /**
     * A meeting this socket asked to join ({@code JOINING}) or is in ({@code JOINED}), the token's claims it joined
     * with (re-checked while it lasts: {@code IdentityRecheck}; null for a membership nothing re-checks), and whether
     * it is being put out ({@code leaving}: its token was revoked; its LEAVE is on its way and it may do nothing more).
     */
    public record Membership(String meetingId, String participantId, String displayName, Role role, boolean joined,
                             TokenClaims claims, boolean leaving) {

        public Membership(String meetingId, String participantId, String displayName, Role role, boolean joined,
                          TokenClaims claims) {
            this(meetingId, participantId, displayName, role, joined, claims, false);
        }

        Membership asJoined() {
            return new Membership(meetingId, participantId, displayName, role, true, claims, leaving);
        }

        /** Joined and not being put out: it may chat, send media and act as its role allows. */
        public boolean active() {
            return joined && !leaving;
        }

        /** The same person with the same token (a later join of the meeting by the same socket is another one). */
        boolean sameAs(Membership other) {
            return participantId.equals(other.participantId()) && java.util.Objects.equals(claims, other.claims());
        }

        /**
         * Why a frame that needs an active membership is refused ({@code m} may be null), or null when it is active.
         *
         * @param first what the client must do first, e.g. "join the meeting before chatting"
         */
        static FrameError notActive(Membership m, String first, String ref, String meetingId) {
            if (m != null && m.active()) {
                return null;
            }
            return new FrameError(ErrorCode.NOT_JOINED, m == null ? first
                    : m.leaving() ? "this socket is no longer in that meeting" : "the join is not complete yet", ref, meetingId);
        }
    }

    /** The outcome of {@link #putOut}: the membership now marked leaving, and whether this call marked it. */
    public record PutOut(Membership membership, boolean first) {}

    private final String socketId;
    private final String queryToken;
    private final TokenBucket bucket;
    private final GatewayMetrics metrics;
    private final Closer closer;
    private final int capacity;
    private final Sinks.Many<String> outbound;
    private final Sinks.Empty<Void> dropped = Sinks.empty();
    private final Object emitLock = new Object();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();
    private final SocketLiveness liveness = new SocketLiveness();

    public GatewaySocket(String socketId, String queryToken, TokenBucket bucket, int outboundBuffer,
                         GatewayMetrics metrics, Closer closer) {
        this.socketId = socketId;
        this.queryToken = queryToken;
        this.bucket = bucket;
        this.metrics = metrics;
        this.closer = closer;
        this.capacity = outboundBuffer;
        this.outbound = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(outboundBuffer));
    }

    public String socketId() {
        return socketId;
    }

    /** The token given as {@code /ws?token=}, used by joins that carry none; may be null. */
    public String queryToken() {
        return queryToken;
    }

    public TokenBucket bucket() {
        return bucket;
    }

    /** The frames to write to the client, in order. */
    public Flux<String> outbound() {
        return outbound.asFlux();
    }

    /** Completes when the socket was dropped for overflowing its queue. */
    public Mono<Void> dropped() {
        return dropped.asMono();
    }

    /** Queues a frame; false if the socket is closed or was just dropped because its queue is full. */
    public boolean send(String frame) {
        if (frame == null || overflowed.get()) {
            return false;
        }
        Sinks.EmitResult r;
        synchronized (emitLock) { // the sink takes one producer at a time
            r = outbound.tryEmitNext(frame);
        }
        // a full queue answers FAIL_OVERFLOW, or FAIL_ZERO_SUBSCRIBER before the connection subscribed
        boolean full = r == Sinks.EmitResult.FAIL_OVERFLOW || r == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER;
        if (full && overflowed.compareAndSet(false, true)) {
            log.info("socket {} dropped: its {} queued frames are not being read", socketId, capacity);
            metrics.socketDropped("slow_consumer");
            close(SLOW_CONSUMER_CODE, "slow consumer");
            dropped.tryEmitEmpty();
        }
        return r.isSuccess();
    }

    public void sendError(FrameError e) {
        metrics.error(e.code());
        send(ServerFrames.error(e));
    }

    /** Closes the connection (the socket's handler then ends and its memberships are left). */
    public void close(int code, String reason) {
        closer.close(code, reason);
    }

    /** No more frames: the client is gone or the gateway closes the socket. */
    public void completeOutbound() {
        synchronized (emitLock) {
            outbound.tryEmitComplete();
        }
        liveness.complete();
    }

    /** When the client was last heard from, and the pings owed to it. */
    public SocketLiveness liveness() {
        return liveness;
    }

    /**
     * Ends the socket at once (its handler then leaves every meeting), whether or not the client reads the close
     * frame: an idle client, or every socket of a gateway that was declared dead. {@code why} is counted.
     */
    public void terminate(int code, String reason, String why) {
        if (overflowed.compareAndSet(false, true)) {
            log.info("socket {} closed ({}): {}", socketId, code, reason);
            metrics.socketDropped(why);
            close(code, reason);
            dropped.tryEmitEmpty();
        }
    }

    /** Records a join in progress; false if this socket already joins or joined that meeting. */
    public boolean beginJoin(Membership m) {
        return memberships.putIfAbsent(m.meetingId(), m) == null;
    }

    public Membership membership(String meetingId) {
        return meetingId == null ? null : memberships.get(meetingId);
    }

    /** Forgets a membership (leave, or a join that could not be requested); the one forgotten, or null. */
    public Membership endMembership(String meetingId) {
        return meetingId == null ? null : memberships.remove(meetingId);
    }

    /** The meetings this socket joins or is in, as they are now. */
    public List<Membership> memberships() {
        return List.copyOf(memberships.values());
    }

    /**
     * Marks {@code seen} as leaving (its token may no longer act) if it is still this socket's joined membership of its
     * meeting with the same token; null if not (ended, still joining, or replaced by a later join). A membership
     * already marked is returned again with {@code first} false (its LEAVE is sent again).
     */
    public PutOut putOut(Membership seen) {
        PutOut[] out = {null};
        memberships.computeIfPresent(seen.meetingId(), (k, now) -> {
            if (!now.joined() || !now.sameAs(seen)) {
                return now;
            }
            Membership marked = now.leaving() ? now
                    : new Membership(now.meetingId(), now.participantId(), now.displayName(), now.role(), true, now.claims(), true);
            out[0] = new PutOut(marked, !now.leaving());
            return marked;
        });
        return out[0];
    }

    /**
     * Gives {@code seen} the claims of its renewed token if it is still this socket's membership of its meeting (joined
     * or joining) with the same token and not put out; the membership now, or null if not (ended, put out, or replaced
     * by a later join).
     */
    public Membership renew(Membership seen, TokenClaims fresh) {
        Membership[] out = {null};
        memberships.computeIfPresent(seen.meetingId(), (k, now) -> {
            if (now.leaving() || !now.sameAs(seen)) {
                return now;
            }
            out[0] = new Membership(now.meetingId(), now.participantId(), now.displayName(), now.role(), now.joined(),
                    fresh, false);
            return out[0];
        });
        return out[0];
    }

    /** Forgets {@code m} if it is still this socket's membership of its meeting with the same token; true if it was. */
    public boolean endMembership(Membership m) {
        boolean[] ended = {false};
        memberships.computeIfPresent(m.meetingId(), (k, now) -> {
            if (now.sameAs(m)) {
                ended[0] = true;
                return null;
            }
            return now;
        });
        return ended[0];
    }

    /** Takes every membership away at once, for the LEAVEs of a closing socket; each is returned to one caller only. */
    public List<Membership> drainMemberships() {
        List<Membership> out = new ArrayList<>();
        for (String id : List.copyOf(memberships.keySet())) {
            Membership m = memberships.remove(id);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Pushes a delivered event. JOINED completes a join in progress (and is ignored if the socket left meanwhile);
     * room traffic goes only to joined sockets; a REJECTED is always shown, and also ends a join in progress (the
     * processor refused it). A PARTICIPANT_LEFT about this very socket ends its membership (removed by the host).
     * Media signals, active-speaker and mute changes, like room traffic, go only to joined sockets.
     */
    @Override
    public void deliver(RoomEvent e) {
        String meetingId = e.meetingId();
        switch (e.type()) {
            case JOINED -> {
                Membership m = meetingId == null ? null : memberships.computeIfPresent(meetingId, (k, v) -> v.asJoined());
                if (m != null && !m.leaving()) {
                    send(ServerFrames.event(e));
                }
            }
            case PARTICIPANT_JOINED, CHAT, ACTIVE_SPEAKER, MEDIA_STATE, MEDIA_MOVED -> {
                if (isJoined(meetingId)) {
                    send(ServerFrames.event(e));
                }
            }
            case SIGNAL -> {
                if (isJoined(meetingId)) {
                    if ("ERROR".equals(e.ref()) && e.signal() != null) {
                        metrics.error(e.signal().error() == null ? "media_error" : e.signal().error());
                    }
                    send(ServerFrames.event(e));
                }
            }
            case PARTICIPANT_LEFT -> {
                Membership m = membership(meetingId);
                if (m != null && m.joined()) {
                    if (!m.leaving()) {
                        send(ServerFrames.event(e));
                    }
                    Participant p = e.participant();
                    if (p != null && socketId.equals(p.socketId())) {
                        memberships.remove(meetingId);
                    }
                }
            }
            case LOBBY -> {
                Membership m = membership(meetingId);
                if (m != null && !m.leaving()) {   // still joining: it waits for a host
                    send(ServerFrames.event(e));
                }
            }
            case LOBBY_CHANGED, ROOM_STATE, ROLE_CHANGED, MUTED, HAND, REACTION -> {
                if (isJoined(meetingId)) {
                    send(ServerFrames.event(e));
                }
            }
            case REMOVED, MEETING_ENDED -> {
                // out of the meeting (joined, or waiting in its lobby): the socket stays open for other meetings; one
                // being put out was told so already
                Membership m = meetingId == null ? null : memberships.remove(meetingId);
                if (m != null && !m.leaving()) {
                    send(ServerFrames.event(e));
                }
            }
            case HOST_RESULT -> {
                Membership m = membership(meetingId);
                if (m != null && m.leaving()) {
                    return;
                }
                // the gateway scoped the client's request id to the person: the client gets its own id back
                String frame = HostFrames.event(e, m == null ? null : m.participantId() + ":");
                if (e.host() != null && e.host().outcome() != dev.rendezvous.topics.model.HostEvent.Outcome.APPLIED) {
                    metrics.error(e.host().error() == null ? "forbidden" : e.host().error());
                }
                send(frame);
            }
            case REJECTED -> {
                if (meetingId != null) {
                    memberships.computeIfPresent(meetingId, (k, v) -> v.joined() ? v : null);
                }
                metrics.error(e.errorCode() == null ? "rejected" : e.errorCode());
                send(ServerFrames.event(e));
            }
        }
    }

    /** In the meeting and not being put out: room traffic reaches it. */
    private boolean isJoined(String meetingId) {
        Membership m = membership(meetingId);
        return m != null && m.active();
    }
}
