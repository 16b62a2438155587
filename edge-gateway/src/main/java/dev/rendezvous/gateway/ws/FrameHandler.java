package dev.rendezvous.gateway.ws;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.InvalidTokenException;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.kafka.EventBus;
import dev.rendezvous.gateway.store.MeetingDirectory;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.topics.model.Regions;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.ChatRequest;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.SignalRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the gateway does with each client frame, in order: rate limit, binary/size checks, parse, then join, chat,
 * media signaling, leave or ping. A refused frame gets an {@code error} frame and changes nothing else; the socket stays open.
 * A join is requested from stream-apps ({@code room.member.requested}); the socket counts as joined only when the
 * JOINED delivery comes back, so the processor has seen the join before any chat or signal of that socket. Media
 * frames become {@link SignalRequest}s ({@code signal.client.requested}) for the room's forwarder.
 */
public final class FrameHandler {

    private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);
    /** Longest {@code replaces} of a join: socket ids are UUIDs (36 characters). */
    static final int MAX_REPLACES_LENGTH = 64;

    private final GatewayIdentity gateway;
    private final int maxFrameBytes;
    private final int maxSdpFrameBytes;
    private final TokenService tokens;
    private final MeetingDirectory meetings;
    private final EventBus bus;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final FrameParser parser = new FrameParser();
    private final HostActionFrames roomActions;
    private final LeavePublisher leaves;
    /** "socketId meetingId" of the LEAVEs of put-out memberships still being sent. */
    private final java.util.Set<String> leavesOnTheirWay = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private IdentityCheck identities = IdentityCheck.NONE;

    /**
     * Also refuses joins of revoked tokens and of users who no longer exist ({@link IdentityCheck}).
     *
     * @param leaveRetries how a LEAVE that the broker did not acknowledge is sent again
     */
    public FrameHandler(GatewayIdentity gateway, int maxFrameBytes, int maxSdpFrameBytes, TokenService tokens,
                        MeetingDirectory meetings, EventBus bus, Clock clock, GatewayMetrics metrics,
                        LeavePublisher.Retries leaveRetries, IdentityCheck identities) {
        this(gateway, maxFrameBytes, maxSdpFrameBytes, tokens, meetings, bus, clock, metrics, leaveRetries);
        this.identities = identities;
    }

    /** Also refuses joins of revoked tokens and of users who no longer exist ({@link IdentityCheck}). */
    public FrameHandler(GatewayIdentity gateway, int maxFrameBytes, int maxSdpFrameBytes, TokenService tokens,
                        MeetingDirectory meetings, EventBus bus, Clock clock, GatewayMetrics metrics, IdentityCheck identities) {
        this(gateway, maxFrameBytes, maxSdpFrameBytes, tokens, meetings, bus, clock, metrics,
                LeavePublisher.Retries.defaults(), identities);
    }

    /**
     * @param maxFrameBytes    the largest frame of any type
     * @param maxSdpFrameBytes the largest {@code media-offer} / {@code media-answer} (at least {@code maxFrameBytes}):
     *                         their SDP grows with the room
     */
    public FrameHandler(GatewayIdentity gateway, int maxFrameBytes, int maxSdpFrameBytes, TokenService tokens,
                        MeetingDirectory meetings, EventBus bus, Clock clock, GatewayMetrics metrics) {
        this(gateway, maxFrameBytes, maxSdpFrameBytes, tokens, meetings, bus, clock, metrics,
                LeavePublisher.Retries.defaults());
    }

    /** @param leaveRetries how a LEAVE that the broker did not acknowledge is sent again */
    public FrameHandler(GatewayIdentity gateway, int maxFrameBytes, int maxSdpFrameBytes, TokenService tokens,
                        MeetingDirectory meetings, EventBus bus, Clock clock, GatewayMetrics metrics,
                        LeavePublisher.Retries leaveRetries) {
        this.gateway = gateway;
        this.maxFrameBytes = maxFrameBytes;
        this.maxSdpFrameBytes = Math.max(maxFrameBytes, maxSdpFrameBytes);
        this.tokens = tokens;
        this.meetings = meetings;
        this.bus = bus;
        this.clock = clock;
        this.metrics = metrics;
        this.roomActions = new HostActionFrames(gateway, bus, clock);
        this.leaves = new LeavePublisher(gateway, bus, clock, metrics, leaveRetries);
    }

    /** Handles one frame; completes when it is done (for a chat: when Kafka acknowledged the request). */
    public Mono<Void> handle(GatewaySocket s, InboundFrame f) {
        metrics.frameIn();
        if (!s.bucket().tryTake()) {
            String ref = f.text() == null ? null : parser.refOf(f.text());
            s.sendError(new FrameError(ErrorCode.RATE_LIMITED, "too many frames; this one was dropped", ref));
            return Mono.empty();
        }
        if (f.binary()) {
            s.sendError(new FrameError(ErrorCode.BAD_FRAME, "binary frames are not accepted; send JSON text", null));
            return Mono.empty();
        }
        if (f.bytes() > maxSdpFrameBytes || f.text() == null) {
            s.sendError(new FrameError(ErrorCode.FRAME_TOO_LARGE,
                    "the frame has " + f.bytes() + " bytes; the limit is " + maxSdpFrameBytes
                            + " for media-offer and media-answer, " + maxFrameBytes + " for other frames", null));
            return Mono.empty();
        }
        FrameParser.Result parsed = parser.parse(f.text());
        if (!parsed.ok()) {
            s.sendError(parsed.error());
            return Mono.empty();
        }
        ClientFrame frame = parsed.frame();
        if (!frame.carriesSdp() && f.bytes() > maxFrameBytes) {
            s.sendError(new FrameError(ErrorCode.FRAME_TOO_LARGE,
                    "the frame has " + f.bytes() + " bytes; the limit is " + maxFrameBytes, refOf(frame),
                    meetingOf(frame)));
            return Mono.empty();
        }
        Mono<Void> work = frame.accept(new ClientFrame.Handler<>() {
            @Override
            public Mono<Void> join(ClientFrame.Join j) {
                return FrameHandler.this.join(s, j);
            }

            @Override
            public Mono<Void> chat(ClientFrame.Chat c) {
                return FrameHandler.this.chat(s, c);
            }

            @Override
            public Mono<Void> leave(ClientFrame.Leave l) {
                return FrameHandler.this.leave(s, l);
            }

            @Override
            public Mono<Void> ping(ClientFrame.Ping p) {
                s.send(ServerFrames.pong());
                return Mono.empty();
            }

            @Override
            public Mono<Void> media(ClientFrame.MediaFrame m) {
                return FrameHandler.this.media(s, m);
            }

            @Override
            public Mono<Void> roomAction(ClientFrame.RoomAction a) {
                return roomActions.handle(s, a);
            }
        });
        return work.onErrorResume(e -> {
            log.warn("socket {}: {} failed", s.socketId(), frame.getClass().getSimpleName(), e);
            s.sendError(new FrameError(ErrorCode.UNAVAILABLE, "the service cannot take this request now; try again",
                    refOf(frame), meetingOf(frame)));
            return Mono.empty();
        });
    }

    Mono<Void> join(GatewaySocket s, ClientFrame.Join j) {
        String meetingId = j.meetingId();
        if (meetingId == null || meetingId.isBlank()) {
            s.sendError(new FrameError(ErrorCode.BAD_FRAME, "join needs a meetingId", null));
            return Mono.empty();
        }
        String token = j.token() != null ? j.token() : s.queryToken();
        TokenClaims claims;
        try {
            claims = tokens.verify(token);
        } catch (InvalidTokenException e) {
            s.sendError(new FrameError(ErrorCode.UNAUTHORIZED, e.getMessage(), meetingId, meetingId));
            return Mono.empty();
        }
        UUID mid = parseUuid(meetingId);
        if (mid == null) {
            s.sendError(new FrameError(ErrorCode.MEETING_NOT_FOUND, "no such meeting", meetingId, meetingId));
            return Mono.empty();
        }
        if (claims.isGuest() && !claims.isGuestOf(mid)) {
            s.sendError(new FrameError(ErrorCode.FORBIDDEN, "this guest token is for another meeting", meetingId, meetingId));
            return Mono.empty();
        }
        FrameError badFingerprint = FrameValidator.validateFingerprint(j.fingerprint(), meetingId, meetingId);
        if (badFingerprint != null) {
            s.sendError(badFingerprint);
            return Mono.empty();
        }
        if (j.region() != null && !Regions.valid(j.region())) {
            s.sendError(new FrameError(ErrorCode.BAD_FRAME,
                    "region must be 1-32 letters, digits, '.', '_' or '-'", meetingId, meetingId));
            return Mono.empty();
        }
        if (j.replaces() != null && (j.replaces().isEmpty() || j.replaces().length() > MAX_REPLACES_LENGTH)) {
            s.sendError(new FrameError(ErrorCode.BAD_FRAME,
                    "replaces must be the 1-" + MAX_REPLACES_LENGTH + " character id of an earlier socket", meetingId, meetingId));
            return Mono.empty();
        }
        String region = j.region() != null ? j.region() : gateway.region();
        if (s.membership(meetingId) != null) {
            s.sendError(new FrameError(ErrorCode.ALREADY_JOINED, "this socket already joined that meeting", meetingId, meetingId));
            return Mono.empty();
        }
        return meetings.findById(mid)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        s.sendError(new FrameError(ErrorCode.MEETING_NOT_FOUND, "no such meeting", meetingId, meetingId));
                        return Mono.empty();
                    }
                    return admitted(s, claims, meetingId)
                            .flatMap(ok -> ok ? requestJoin(s, found.get(), claims, j.fingerprint(), region, j.replaces())
                                    : Mono.empty());
                });
    }

    /** False (and an {@code unauthorized} error sent) for a revoked token or a user who no longer exists. */
    private Mono<Boolean> admitted(GatewaySocket s, TokenClaims claims, String meetingId) {
        return identities.refusal(claims, meetingId, true)
                .map(reason -> {
                    s.sendError(new FrameError(ErrorCode.UNAUTHORIZED, reason, meetingId, meetingId));
                    return false;
                })
                .defaultIfEmpty(true);
    }

    private Mono<Void> requestJoin(GatewaySocket s, MeetingRecord m, TokenClaims claims, String mediaFingerprint,
                                   String region, String replaces) {
        String meetingId = m.id().toString();
        if (m.endedAt() != null) {
            s.sendError(new FrameError(ErrorCode.MEETING_ENDED, "the meeting has ended", meetingId, meetingId));
            return Mono.empty();
        }
        Role role = claims.isGuest() ? Role.GUEST
                : claims.userId().equals(m.hostId()) ? Role.HOST : Role.USER;
        GatewaySocket.Membership membership =
                new GatewaySocket.Membership(meetingId, claims.subject(), claims.name(), role, false, claims);
        // the membership exists before the request leaves, so the JOINED answer always finds it
        if (!s.beginJoin(membership)) {
            s.sendError(new FrameError(ErrorCode.ALREADY_JOINED, "this socket already joined that meeting", meetingId, meetingId));
            return Mono.empty();
        }
        Instant now = clock.instant();
        Mono<Void> remember = claims.isUser() ? meetings.recordParticipant(m.id(), claims.userId(), now) : Mono.empty();
        // only asked when it matters: an invited user skips the lobby
        Mono<Boolean> invited = claims.isUser() && m.lobby() && role != Role.HOST
                ? meetings.isInvited(m.id(), claims.userId()) : Mono.just(false);
        return remember.then(invited)
                .flatMap(inv -> bus.publish(Topics.MEMBER_REQUESTED, meetingId, new MemberRequest(MemberRequest.Action.JOIN,
                        meetingId, s.socketId(), gateway.id(), gateway.deliveryPartition(), membership.participantId(),
                        membership.displayName(), membership.role(), now, mediaFingerprint, m.lobby(),
                        inv ? Boolean.TRUE : null, m.maxParticipants(), m.muteOnEntry(), region, replaces), now))
                .doOnError(e -> s.endMembership(meetingId));
    }

    Mono<Void> chat(GatewaySocket s, ClientFrame.Chat c) {
        GatewaySocket.Membership m = s.membership(c.meetingId());
        String ref = c.clientMsgId() == null ? null : FrameParser.abbreviate(c.clientMsgId());
        FrameError notJoined = GatewaySocket.Membership.notActive(m, "join the meeting before chatting", ref, c.meetingId());
        if (notJoined != null) {
            s.sendError(notJoined);
            return Mono.empty();
        }
        FrameError invalid = FrameValidator.validateChat(c);
        if (invalid != null) {
            s.sendError(invalid);
            return Mono.empty();
        }
        Instant now = clock.instant();
        ChatRequest request = new ChatRequest(m.meetingId(), s.socketId(), gateway.id(), gateway.deliveryPartition(),
                m.participantId(), m.displayName(), c.clientMsgId(), c.text(), now);
        return bus.publish(Topics.CHAT_REQUESTED, m.meetingId(), request, now);
    }

    /**
     * media-offer, media-answer, media-state, media-subscribe, media-view, media-stats: joined check, content check,
     * then one SignalRequest.
     */
    Mono<Void> media(GatewaySocket s, ClientFrame.MediaFrame frame) {
        String meetingId = meetingOf(frame);
        String ref = refOf(frame);
        GatewaySocket.Membership m = s.membership(meetingId);
        FrameError notJoined = GatewaySocket.Membership.notActive(m, "join the meeting before sending media", ref, meetingId);
        if (notJoined != null) {
            s.sendError(notJoined);
            return Mono.empty();
        }
        FrameError invalid = frame.validate();
        if (invalid != null) {
            s.sendError(invalid);
            return Mono.empty();
        }
        Instant now = clock.instant();
        SignalRequest request = new SignalRequest(m.meetingId(), s.socketId(), gateway.id(), gateway.deliveryPartition(),
                m.participantId(), frame.signalKind(), frame.signal(), now);
        return bus.publish(Topics.SIGNAL_REQUESTED, m.meetingId(), request, now);
    }

    /** The membership ends when the broker has the LEAVE: if it never does, the socket is still in the meeting. */
    Mono<Void> leave(GatewaySocket s, ClientFrame.Leave l) {
        GatewaySocket.Membership m = s.membership(l.meetingId());
        if (m == null) {
            s.sendError(new FrameError(ErrorCode.NOT_JOINED, "this socket is not in that meeting", l.meetingId(), l.meetingId()));
            return Mono.empty();
        }
        return leaves.publish(s.socketId(), m).then(Mono.fromRunnable(() -> {
            s.endMembership(m.meetingId());
            s.send(ServerFrames.left(m.meetingId()));
        }));
    }

    /**
     * Puts a joined membership whose token may no longer act (revoked, or its user deleted) out of its meeting, as a
     * leave the client did not ask for: the membership is marked leaving (from then on it may not chat, send media or
     * act, and room traffic no longer reaches it), the client gets an {@code unauthorized} error for that meeting, and
     * a LEAVE goes to the room; when the broker has it, the membership ends. The socket stays open for its other
     * meetings. Nothing is done unless {@code seen} is still the socket's joined membership with the same token (a
     * join still in progress is left for a later pass: its JOIN may not have been sent yet, and a LEAVE before it would
     * leave the joiner in the room). A LEAVE that fails (logged and counted by the publisher) keeps the membership
     * marked, for the next pass to send again; one still on its way is not sent twice. True if this call marked it.
     */
    public boolean expel(GatewaySocket s, GatewaySocket.Membership seen, String reason) {
        GatewaySocket.PutOut out = s.putOut(seen);
        if (out == null) {
            return false;
        }
        GatewaySocket.Membership m = out.membership();
        if (out.first()) {
            metrics.membershipRevoked();
            log.info("socket {} put out of meeting {}: {}", s.socketId(), m.meetingId(), reason);
            s.sendError(new FrameError(ErrorCode.UNAUTHORIZED, reason, m.meetingId(), m.meetingId()));
        }
        String key = s.socketId() + " " + m.meetingId();
        if (leavesOnTheirWay.add(key)) {
            leaves.publish(s.socketId(), m)
                    .doOnSuccess(v -> s.endMembership(m))
                    .doFinally(signal -> leavesOnTheirWay.remove(key))
                    .subscribe(v -> {}, e -> {});   // a failure is logged and counted by the publisher
        }
        return out.first();
    }

    /** LEAVE for every meeting the socket joined or was joining (socket closed, or gateway shutting down). */
    public Mono<Void> leaveAll(GatewaySocket s) {
        List<GatewaySocket.Membership> all = s.drainMemberships();
        return Flux.fromIterable(all)
                .flatMap(m -> leaves.publish(s.socketId(), m).onErrorResume(e -> Mono.empty()))   // logged and counted
                .then();
    }

    /** Completes when every LEAVE sent so far is acknowledged or given up (shutdown waits for this). */
    public Mono<Void> leavesSettled() {
        return leaves.settled();
    }

    private static String refOf(ClientFrame f) {
        return f.ref();
    }

    private static String meetingOf(ClientFrame f) {
        return f.meetingId();
    }

    static UUID parseUuid(String s) {
        try {
            UUID u = UUID.fromString(s);
            return u.toString().equals(s) ? u : null; // canonical lowercase form only: it is the membership key
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
