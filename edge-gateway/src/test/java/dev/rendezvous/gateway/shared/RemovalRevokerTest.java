package dev.rendezvous.gateway.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.gateway.support.MutableClock;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.RoomEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemovalRevokerTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final InProcessSharedState state = new InProcessSharedState(clock);
    private final RemovalRevoker revoker = new RemovalRevoker(state, Duration.ofMinutes(61), clock);
    private final List<RoomEvent> delivered = new ArrayList<>();

    private static RoomEvent removed(String meeting, String participant) {
        return RoomEvent.host(RoomEvent.Type.REMOVED, meeting, HostEvent.about(participant)
                .withReason(HostEvent.Reason.REMOVED_BY_HOST));
    }

    private boolean revoked(String key) {
        return state.anyRevoked(List.of(key)).block(WAIT);
    }

    @Test
    void aRemovedUserIsRevokedForThatMeetingOnlyUntilAnyTokenOfNowHasExpired() {
        String user = "3f1c0a8e-1111-4222-8333-944455556666";
        RoomEvent e = removed("m-1", user);
        revoker.watch(delivered::add).deliver(e);

        assertThat(delivered).containsExactly(e);
        assertThat(revoked(RevocationKeys.participant("m-1", user))).isTrue();
        assertThat(revoked(RevocationKeys.participant("m-2", user))).isFalse();
        assertThat(revoked(RevocationKeys.subject(user))).as("a user keeps their account").isFalse();
        clock.advance(Duration.ofMinutes(61));
        assertThat(revoked(RevocationKeys.participant("m-1", user))).isFalse();
    }

    @Test
    void aRemovedGuestsWholeSubjectIsRevoked() {
        String guest = "guest:0f1c0a8e-1111-4222-8333-944455556666";
        revoker.watch(delivered::add).deliver(removed("m-1", guest));
        assertThat(revoked(RevocationKeys.subject(guest))).isTrue();
    }

    @Test
    void otherEventsRevokeNothingAndANullTargetStaysNull() {
        RoomEvent muted = RoomEvent.host(RoomEvent.Type.MUTED, "m-1", HostEvent.about("p"));
        revoker.watch(delivered::add).deliver(muted);
        assertThat(delivered).containsExactly(muted);
        assertThat(revoked(RevocationKeys.participant("m-1", "p"))).isFalse();
        assertThat(revoker.watch(null)).isNull();
    }
}
