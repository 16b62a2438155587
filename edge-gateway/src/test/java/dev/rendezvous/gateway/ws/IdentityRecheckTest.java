package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.LiveIdentityCheck;
import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.shared.InProcessSharedState;
import dev.rendezvous.gateway.shared.RevocationKeys;
import dev.rendezvous.gateway.shared.Revocations;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.testsupport.MutableClock;
import dev.rendezvous.topics.model.ChatMessage;
import dev.rendezvous.topics.model.MemberRequest;
import dev.rendezvous.topics.model.Participant;
import dev.rendezvous.topics.model.Role;
import dev.rendezvous.topics.model.RoomEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The periodic re-check of the open sockets' identities: a joined membership whose token was revoked since its join is
 * put out (marked at once, told {@code unauthorized} for that meeting, its LEAVE sent; it ends when the broker has
 * it), others are untouched, a LEAVE that fails is sent again by later passes, a store that cannot be read puts
 * nobody out, and the store is read in batches. The same pass renews a token with less than half its life left (a
 * {@code token} frame; the session goes on) and puts out a membership whose token expired.
 */
class IdentityRecheckTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final FakeEventBus bus = new FakeEventBus();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters, () -> 0);
    private final TokenService tokens = new TokenService(new byte[32], Duration.ofHours(1), clock);
    private final InProcessSharedState state = new InProcessSharedState(clock);
    private final FrameHandler frames = new FrameHandler(new GatewayIdentity("gw-1", 3), 16384, 65536, tokens, null, bus,
            clock, metrics, new LeavePublisher.Retries(2, Duration.ofMillis(5), Duration.ofMillis(10)));
    private final SocketRegistry sockets = new SocketRegistry();
    private final Map<String, List<String>> sent = new java.util.concurrent.ConcurrentHashMap<>();
    private final UUID meeting = UUID.randomUUID();

    private IdentityRecheck recheck(IdentityCheck check) {
        return new IdentityRecheck(sockets, check, frames, tokens, metrics, Duration.ofSeconds(10));
    }

    @Test
    void shouldPutARevokedTokenOutOfItsMeetingAndLeaveEveryoneElseIn() {
        TokenClaims gone = guest("Gone");
        TokenClaims stays = guest("Stays");
        GatewaySocket a = joined("s-a", gone);
        GatewaySocket b = joined("s-b", stays);
        revoke(gone);

        long ended = recheck(new LiveIdentityCheck(state, null)).sweep().block(WAIT);

        assertThat(ended).isEqualTo(1);
        assertThat(a.membership(meeting.toString())).isNull();
        assertThat(b.membership(meeting.toString())).isNotNull();
        assertThat(leaves()).containsExactly("s-a");
        JsonNode error = last("s-a");
        assertThat(error.get("type").asString()).isEqualTo("error");
        assertThat(error.get("error").asString()).isEqualTo("unauthorized");
        assertThat(error.get("meetingId").asString()).isEqualTo(meeting.toString());
        assertThat(error.get("message").asString()).contains("revoked");
        assertThat(last("s-b").get("type").asString()).isEqualTo("joined");
        assertThat(meters.counter("rendezvous.gateway.memberships.revoked").count()).isEqualTo(1);

        // the next pass finds nothing more to do
        assertThat(recheck(new LiveIdentityCheck(state, null)).sweep().block(WAIT)).isZero();
        assertThat(leaves()).containsExactly("s-a");
    }

    @Test
    void shouldPutOutEverySocketOfTheTokenButAJoinStillInProgressOnlyOnceItHasCompleted() {
        TokenClaims gone = guest("Twice");
        GatewaySocket a = joined("s-a", gone);
        GatewaySocket b = joining("s-b", gone);
        GatewaySocket c = joined("s-c", gone);
        revoke(gone);

        // b's JOIN may not even have been sent yet: a LEAVE now could overtake it and leave b in the room for good
        assertThat(recheck(new LiveIdentityCheck(state, null)).sweep().block(WAIT)).isEqualTo(2);
        assertThat(a.memberships()).isEmpty();
        assertThat(c.memberships()).isEmpty();
        assertThat(b.membership(meeting.toString())).isNotNull();
        assertThat(leaves()).containsExactlyInAnyOrder("s-a", "s-c");

        Participant you = new Participant(gone.subject(), gone.name(), Role.GUEST, "s-b");
        b.deliver(RoomEvent.joined(meeting.toString(), you, List.of(you)));
        assertThat(recheck(new LiveIdentityCheck(state, null)).sweep().block(WAIT)).isEqualTo(1);
        assertThat(b.memberships()).isEmpty();
        assertThat(leaves()).containsExactlyInAnyOrder("s-a", "s-c", "s-b");
    }

    @Test
    void shouldStopAPutOutMembershipAtOnceAndSendItsLeaveAgainAtTheNextPassWhenItFailed() {
        TokenClaims gone = guest("Retry");
        GatewaySocket a = joined("s-a", gone);
        revoke(gone);
        bus.failNext.set(100);
        IdentityRecheck recheck = recheck(new LiveIdentityCheck(state, null));

        assertThat(recheck.sweep().block(WAIT)).as("put out, though the room has not heard yet").isEqualTo(1);
        assertThat(last("s-a").get("error").asString()).isEqualTo("unauthorized");
        // the LEAVE is given up after its retries; the membership stays, marked
        await().atMost(WAIT).until(() -> bus.attempts.get() == 3);
        GatewaySocket.Membership m = a.membership(meeting.toString());
        assertThat(m.leaving()).isTrue();
        assertThat(leaves()).isEmpty();

        // meanwhile it can do nothing in the meeting, and room traffic no longer reaches it
        int before = sent.get("s-a").size();
        a.deliver(RoomEvent.chat(new ChatMessage(meeting.toString(), 1, "c-1", "u-x", "X", "hello", clock.instant())));
        assertThat(sent.get("s-a")).hasSize(before);
        frames.handle(a, InboundFrame.text("{\"type\":\"chat\",\"meetingId\":\"" + meeting
                + "\",\"clientMsgId\":\"c-2\",\"text\":\"still here\"}")).block(WAIT);
        assertThat(last("s-a").get("error").asString()).isEqualTo("not_joined");
        assertThat(last("s-a").get("message").asString()).contains("no longer in that meeting");
        assertThat(bus.published).isEmpty();

        // the broker is back: a later pass sends the LEAVE again (once the first has been given up), and it ends,
        // even when the revocation is gone by then (it lasts only as long as its token)
        bus.failNext.set(0);
        IdentityRecheck later = recheck(new LiveIdentityCheck(new InProcessSharedState(clock), null));
        await().atMost(WAIT).until(() -> {
            later.sweep().block(WAIT);
            return a.memberships().isEmpty();
        });
        assertThat(leaves()).containsExactly("s-a");
        assertThat(meters.counter("rendezvous.gateway.memberships.revoked").count()).as("told once").isEqualTo(1);
        assertThat(sent.get("s-a").stream().filter(f -> f.contains("unauthorized")).count()).isEqualTo(1);
    }

    @Test
    void shouldLeaveAMembershipAloneWhenTheSocketJoinedAgainWithAnotherTokenSinceThePassLookedAtIt() {
        TokenClaims old = guest("Again");
        GatewaySocket a = joined("s-a", old);
        GatewaySocket.Membership seen = a.membership(meeting.toString());
        // the socket leaves and joins again, with a fresh token, before the pass acts on what it saw
        a.endMembership(meeting.toString());
        TokenClaims fresh = guest("Again");
        a.beginJoin(new GatewaySocket.Membership(meeting.toString(), fresh.subject(), fresh.name(), Role.GUEST, false, fresh));
        Participant you = new Participant(fresh.subject(), fresh.name(), Role.GUEST, "s-a");
        a.deliver(RoomEvent.joined(meeting.toString(), you, List.of(you)));

        assertThat(frames.expel(a, seen, IdentityCheck.LOGGED_OUT)).isFalse();

        assertThat(a.membership(meeting.toString()).active()).isTrue();
        assertThat(leaves()).isEmpty();
    }

    @Test
    void shouldPutNobodyOutWhenTheRevocationsCannotBeRead() {
        TokenClaims claims = guest("Outage");
        GatewaySocket a = joined("s-a", claims);
        revoke(claims);

        // guests only: the users table tells nothing, so the pass fails (and the loop counts it)
        assertThatThrownBy(() -> recheck(new LiveIdentityCheck(unreadable(), null)).sweep().block(WAIT))
                .hasMessageContaining("revocations could not be read");
        assertThat(a.membership(meeting.toString()).active()).isTrue();
        assertThat(leaves()).isEmpty();
    }

    @Test
    void shouldCountAFailedPassAndGoOnWithTheNext() {
        IdentityCheck broken = passAnswering(() -> {
            throw new IllegalStateException("thrown, not signalled");
        });
        joined("s-a", guest("Loop"));
        IdentityRecheck recheck = new IdentityRecheck(sockets, broken, frames, tokens, metrics, Duration.ofMillis(20));
        recheck.start();
        try {
            await().atMost(WAIT).until(() ->
                    meters.counter("rendezvous.gateway.identity.rechecks.failed").count() >= 3);
            assertThat(recheck.isRunning()).isTrue();
        } finally {
            recheck.stop();
        }
    }

    @Test
    void shouldPutALoggedOutTokensMembershipsHereOutWithoutReadingTheStore() {
        TokenClaims out = guest("Out");
        TokenClaims other = guest("Other");
        GatewaySocket a = joined("s-a", out);
        GatewaySocket b = joined("s-b", other);
        IdentityCheck neverAsked = new IdentityCheck() {
            @Override
            public Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist) {
                throw new AssertionError("not asked");
            }

            @Override
            public Mono<Verdicts> refusals(Collection<InMeeting> inUse) {
                throw new AssertionError("not asked");
            }
        };

        assertThat(recheck(neverAsked).loggedOut(out.tokenId())).isEqualTo(1);

        assertThat(a.memberships()).isEmpty();
        assertThat(b.memberships()).hasSize(1);
        assertThat(last("s-a").get("message").asString()).isEqualTo(IdentityCheck.LOGGED_OUT);
    }

    @Test
    void shouldRenewATokenWithLessThanHalfItsLifeLeftOnceForAllItsMeetingsAndTellTheClient() throws Exception {
        TokenClaims first = guest("Long");
        GatewaySocket a = joined("s-a", first);
        String meeting2 = UUID.randomUUID().toString();   // the same token in a second meeting on the same socket
        a.beginJoin(new GatewaySocket.Membership(meeting2, first.subject(), first.name(), Role.GUEST, false, first));
        Participant you = new Participant(first.subject(), first.name(), Role.GUEST, "s-a");
        a.deliver(RoomEvent.joined(meeting2, you, List.of(you)));
        GatewaySocket other = joined("s-b", guest("Other"));
        IdentityRecheck recheck = recheck(new LiveIdentityCheck(state, null));

        clock.advance(Duration.ofMinutes(29));
        assertThat(recheck.sweep().block(WAIT)).isZero();
        assertThat(a.membership(meeting.toString()).claims()).as("half its life left: not yet").isEqualTo(first);

        clock.advance(Duration.ofMinutes(2));
        int framesBefore = sent.get("s-a").size();
        assertThat(recheck.sweep().block(WAIT)).isZero();
        List<JsonNode> renewals = sent.get("s-a").subList(framesBefore, sent.get("s-a").size()).stream()
                .map(Jsons::tree).toList();
        assertThat(renewals).extracting(f -> f.get("type").asString()).containsExactly("token", "token");
        assertThat(renewals).extracting(f -> f.get("meetingId").asString())
                .containsExactlyInAnyOrder(meeting.toString(), meeting2);
        assertThat(renewals.get(0).get("token").asString()).as("one new token for both meetings")
                .isEqualTo(renewals.get(1).get("token").asString());
        TokenClaims renewed = tokens.verify(renewals.get(0).get("token").asString());
        assertThat(renewed.subject()).isEqualTo(first.subject());
        assertThat(renewed.meetingId()).isEqualTo(first.meetingId());
        assertThat(renewed.tokenId()).isNotEqualTo(first.tokenId());
        assertThat(renewed.sessionId()).isEqualTo(first.tokenId());
        assertThat(renewed.expiresAt()).isEqualTo(Instant.parse(renewals.get(0).get("expiresAt").asString()))
                .isAfter(first.expiresAt().plus(Duration.ofMinutes(30)));
        assertThat(a.membership(meeting.toString()).claims()).isEqualTo(renewed);
        assertThat(a.membership(meeting2).claims()).isEqualTo(renewed);
        assertThat(a.membership(meeting.toString()).active()).isTrue();
        assertThat(last("s-b").get("type").asString()).isEqualTo("token");
        assertThat(meters.counter("rendezvous.gateway.tokens.renewed").count()).as("per membership").isEqualTo(3);

        // renewed, it has a whole life again: the next pass leaves it
        framesBefore = sent.get("s-a").size();
        assertThat(recheck.sweep().block(WAIT)).isZero();
        assertThat(sent.get("s-a")).hasSize(framesBefore);

        // a logout with the first token (or any of the session) puts out the memberships that hold the renewed one
        state.revoke(RevocationKeys.token(first.sessionId()), tokens.sessionRevocationUntil(first)).block();
        assertThat(recheck.sweep().block(WAIT)).isEqualTo(2);
        assertThat(last("s-a").get("error").asString()).isEqualTo("unauthorized");
        assertThat(other.membership(meeting.toString()).active()).isTrue();
        assertThat(recheck.loggedOut(renewed.sessionId())).as("already out").isZero();
    }

    @Test
    void shouldRenewAJoinStillInProgressButNotPutItOut() throws Exception {
        TokenClaims waiting = guest("Lobby");
        GatewaySocket a = joining("s-a", waiting);
        clock.advance(Duration.ofMinutes(31));

        assertThat(recheck(new LiveIdentityCheck(state, null)).sweep().block(WAIT)).isZero();

        assertThat(last("s-a").get("type").asString()).isEqualTo("token");
        GatewaySocket.Membership m = a.membership(meeting.toString());
        assertThat(m.joined()).as("still waiting").isFalse();
        assertThat(m.claims()).isEqualTo(tokens.verify(last("s-a").get("token").asString()));
    }

    @Test
    void shouldRenewNobodyWhenThePassCouldNotReadTheRevocations() {
        TokenClaims due = guest("Due");
        joined("s-a", due);
        clock.advance(Duration.ofMinutes(45));
        // the users table answered, the revocations did not
        IdentityCheck usersOnly = passAnswering(() -> Mono.just(new IdentityCheck.Verdicts(Map.of(), false)));

        assertThat(recheck(usersOnly).sweep().block(WAIT)).isZero();

        assertThat(sent.get("s-a")).noneMatch(f -> f.contains("\"type\":\"token\""));
        assertThat(meters.counter("rendezvous.gateway.tokens.renewed").count()).isZero();
    }

    @Test
    void shouldRenewNothingForARevokedTokenOrWhenTheStoresCannotBeRead() {
        TokenClaims gone = guest("Gone");
        joined("s-a", gone);
        TokenClaims unsure = guest("Unsure");
        joined("s-b", unsure);
        clock.advance(Duration.ofMinutes(45));
        revoke(gone);

        assertThatThrownBy(() -> recheck(new LiveIdentityCheck(unreadable(), null)).sweep().block(WAIT))
                .hasMessageContaining("could not be read");
        assertThat(sent.get("s-b")).noneMatch(f -> f.contains("\"type\":\"token\""));
        assertThat(meters.counter("rendezvous.gateway.tokens.renewed").count()).isZero();

        // readable again: the revoked one is put out and gets nothing, the other is renewed
        assertThat(recheck(new LiveIdentityCheck(state, null)).sweep().block(WAIT)).isEqualTo(1);
        assertThat(sent.get("s-a")).noneMatch(f -> f.contains("\"type\":\"token\""));
        assertThat(last("s-b").get("type").asString()).isEqualTo("token");
        assertThat(meters.counter("rendezvous.gateway.tokens.renewed").count()).isEqualTo(1);
    }

    @Test
    void shouldPutOutAMembershipWhoseTokenExpiredAtTheEndOfItsSessionWithoutAskingTheStores() throws Exception {
        TokenService short1 = new TokenService(new byte[32], Duration.ofHours(1), Duration.ofMinutes(90), clock, "rendezvous",
                "rendezvous");
        TokenClaims first = short1.verify(short1.issueGuest(meeting, "Done").token());
        GatewaySocket a = joined("s-a", first);
        IdentityRecheck recheck = new IdentityRecheck(sockets, new LiveIdentityCheck(state, null), frames, short1, metrics,
                Duration.ofSeconds(10));

        clock.advance(Duration.ofMinutes(40));
        recheck.sweep().block(WAIT);
        TokenClaims renewed = tokens.verify(last("s-a").get("token").asString());
        assertThat(renewed.expiresAt()).as("not past the session's 90 minutes")
                .isEqualTo(first.authTime().plus(Duration.ofMinutes(90)));

        clock.advance(Duration.ofMinutes(20));
        int framesBefore = sent.get("s-a").size();
        assertThat(recheck.sweep().block(WAIT)).isZero();
        assertThat(sent.get("s-a")).as("nothing longer to give").hasSize(framesBefore);

        clock.advance(Duration.ofMinutes(31));
        IdentityRecheck blind = new IdentityRecheck(sockets, new LiveIdentityCheck(unreadable(), null), frames, short1,
                metrics, Duration.ofSeconds(10));
        assertThat(blind.sweep().block(WAIT)).isEqualTo(1);
        JsonNode error = last("s-a");
        assertThat(error.get("error").asString()).isEqualTo("unauthorized");
        assertThat(error.get("message").asString()).isEqualTo(IdentityRecheck.EXPIRED);
        assertThat(a.membership(meeting.toString()) == null || a.membership(meeting.toString()).leaving()).isTrue();
        assertThat(leaves()).containsExactly("s-a");
    }

    @Test
    void shouldGiveTheSameReasonForOneTokenAsForABatch() {
        TokenClaims gone = guest("Same");
        revoke(gone);
        LiveIdentityCheck check = new LiveIdentityCheck(state, null);

        String one = check.refusal(gone, meeting.toString(), false).block(WAIT);
        String batch = check.refusals(List.of(new IdentityCheck.InMeeting(gone, meeting.toString()))).block(WAIT).refused().values()
                .iterator().next();
        assertThat(one).isEqualTo(batch).isEqualTo(IdentityCheck.LOGGED_OUT);
    }

    @Test
    void shouldReadTheRevocationsInBatchesOfAThousandKeys() {
        List<String> asked = new CopyOnWriteArrayList<>();
        List<Integer> batches = new CopyOnWriteArrayList<>();
        Revocations counting = new Revocations() {
            @Override
            public Mono<Void> revoke(String key, Instant until) {
                return state.revoke(key, until);
            }

            @Override
            public Mono<Set<String>> revokedAmong(Collection<String> keys) {
                batches.add(keys.size());
                asked.addAll(keys);
                return state.revokedAmong(keys);
            }
        };
        List<IdentityCheck.InMeeting> inUse = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            inUse.add(new IdentityCheck.InMeeting(guest("G" + i), meeting.toString()));
        }
        TokenClaims last = inUse.get(699).claims();
        TokenClaims first = inUse.get(0).claims();
        revoke(last);
        state.revoke(RevocationKeys.subject(first.subject()), clock.instant().plusSeconds(60)).block();

        Map<IdentityCheck.InMeeting, String> refused = new LiveIdentityCheck(counting, null).refusals(inUse).block(WAIT)
                .refused();

        // three keys per identity (token, subject, subject in the meeting): 2,100 keys in three reads
        assertThat(batches).containsExactly(1000, 1000, 100);
        assertThat(Set.copyOf(asked)).hasSize(2100);
        assertThat(refused).containsOnlyKeys(inUse.get(0), inUse.get(699));
        assertThat(refused.get(inUse.get(699))).contains("revoked");
    }

    /** A check whose periodic pass gets {@code answer}; single checks refuse nobody. */
    private static IdentityCheck passAnswering(java.util.function.Supplier<Mono<IdentityCheck.Verdicts>> answer) {
        return new IdentityCheck() {
            @Override
            public Mono<String> refusal(TokenClaims claims, String meetingId, boolean userMustExist) {
                return Mono.empty();
            }

            @Override
            public Mono<Verdicts> refusals(Collection<InMeeting> inUse) {
                return answer.get();
            }
        };
    }

    private static Revocations unreadable() {
        return new Revocations() {
            @Override
            public Mono<Void> revoke(String key, Instant until) {
                return Mono.empty();
            }

            @Override
            public Mono<Set<String>> revokedAmong(Collection<String> keys) {
                return Mono.error(new IllegalStateException("store unreachable"));
            }
        };
    }

    private TokenClaims guest(String name) {
        try {
            return tokens.verify(tokens.issueGuest(meeting, name).token());
        } catch (dev.rendezvous.gateway.auth.InvalidTokenException e) {
            throw new AssertionError(e);
        }
    }

    private void revoke(TokenClaims c) {
        state.revoke(RevocationKeys.token(c.tokenId()), clock.instant().plusSeconds(60)).block();
    }

    private GatewaySocket joining(String socketId, TokenClaims claims) {
        GatewaySocket s = new GatewaySocket(socketId, null, new TokenBucket(50, 50, clock), 64, metrics, (code, reason) -> {});
        List<String> frames = new CopyOnWriteArrayList<>();
        sent.put(socketId, frames);
        s.outbound().subscribe(frames::add);
        s.beginJoin(new GatewaySocket.Membership(meeting.toString(), claims.subject(), claims.name(), Role.GUEST, false,
                claims));
        sockets.add(s);
        return s;
    }

    private GatewaySocket joined(String socketId, TokenClaims claims) {
        GatewaySocket s = joining(socketId, claims);
        Participant you = new Participant(claims.subject(), claims.name(), Role.GUEST, socketId);
        s.deliver(RoomEvent.joined(meeting.toString(), you, List.of(you)));
        return s;
    }

    private List<String> leaves() {
        return bus.published.stream().map(p -> (MemberRequest) p.value())
                .filter(r -> r.action() == MemberRequest.Action.LEAVE).map(MemberRequest::socketId).toList();
    }

    private JsonNode last(String socketId) {
        List<String> frames = sent.get(socketId);
        return Jsons.tree(frames.get(frames.size() - 1));
    }
}
