package dev.rendezvous.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.auth.IdentityCheck;
import dev.rendezvous.gateway.auth.LiveIdentityCheck;
import dev.rendezvous.gateway.auth.TokenService;
import dev.rendezvous.gateway.shared.InProcessSharedState;
import dev.rendezvous.gateway.shared.RevocationKeys;
import dev.rendezvous.gateway.store.MeetingDirectory;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.support.Jsons;
import dev.rendezvous.testsupport.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** A join is refused, and nothing is published, when the identity check refuses its token. */
class FrameHandlerRevocationTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final FakeEventBus bus = new FakeEventBus();
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), () -> 0);
    private final TokenService tokens = new TokenService(new byte[32], Duration.ofHours(1), clock);
    private final InProcessSharedState state = new InProcessSharedState(clock);
    private final UUID meeting = UUID.randomUUID();
    private final MeetingDirectory directory = new MeetingDirectory() {
        @Override
        public Mono<MeetingRecord> findById(UUID id) {
            return id.equals(meeting) ? Mono.just(new MeetingRecord(meeting, "abc-defg-hij", "T", UUID.randomUUID(), "H",
                    false, clock.instant(), null, null, false, true, null)) : Mono.empty();
        }

        @Override
        public Mono<Void> recordParticipant(UUID meetingId, UUID userId, Instant now) {
            return Mono.empty();
        }

        @Override
        public Mono<Boolean> isInvited(UUID meetingId, UUID userId) {
            return Mono.just(false);
        }
    };
    private final List<String> out = new ArrayList<>();

    private JsonNode join(IdentityCheck check, String token) {
        FrameHandler handler = new FrameHandler(new GatewayIdentity("gw-1", 3), 16384, 32768, tokens, directory, bus,
                clock, metrics, check);
        GatewaySocket socket = new GatewaySocket("s-" + out.size(), null, new TokenBucket(50, 5, clock), 64, metrics,
                (code, reason) -> {});
        socket.outbound().subscribe(out::add);
        String frame = "{\"type\":\"join\",\"meetingId\":\"" + meeting + "\",\"token\":\"" + token + "\"}";
        handler.handle(socket, new InboundFrame(false, frame.length(), frame)).block();
        return out.isEmpty() ? null : Jsons.tree(out.get(out.size() - 1));
    }

    @Test
    void aRevokedGuestOfThisMeetingIsRefused() {
        TokenService.IssuedToken guest = tokens.issueGuest(meeting, "Gus");
        state.revoke(RevocationKeys.participant(meeting.toString(), guest.claims().subject()), clock.instant().plusSeconds(60))
                .block();
        JsonNode error = join(new LiveIdentityCheck(state, null), guest.token());

        assertThat(error.get("error").asString()).isEqualTo("unauthorized");
        assertThat(error.get("message").asString()).contains("revoked");
        assertThat(error.get("meetingId").asString()).isEqualTo(meeting.toString());
        assertThat(bus.published).isEmpty();
    }

    @Test
    void aLoggedOutTokenIsRefusedAndAnotherOneOfTheSameGuestIsNot() {
        TokenService.IssuedToken out1 = tokens.issueGuest(meeting, "A");
        state.revoke(RevocationKeys.token(out1.claims().tokenId()), out1.expiresAt()).block();
        assertThat(join(new LiveIdentityCheck(state, null), out1.token()).get("error").asString()).isEqualTo("unauthorized");

        TokenService.IssuedToken fresh = tokens.issueGuest(meeting, "B");
        join(new LiveIdentityCheck(state, null), fresh.token());
        assertThat(bus.published).hasSize(1); // the JOIN request went out
    }

    @Test
    void withoutAChecksResultTheJoinGoesOn() {
        join(IdentityCheck.NONE, tokens.issueGuest(meeting, "C").token());
        assertThat(bus.published).hasSize(1);
    }
}
