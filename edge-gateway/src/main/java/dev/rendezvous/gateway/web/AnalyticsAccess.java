package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.Role;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * Who may see a meeting's analytics ({@link AnalyticsController}) and its report page ({@link PageController}): the
 * meeting's creator; or a user who joined it and whom its running room lists as co-host (asked of the room processor,
 * as for invites). A refusal there is a no; no answer is 503 {@code unavailable}.
 */
public final class AnalyticsAccess {

    private final Meetings meetings;
    private final HostRequests room;

    public AnalyticsAccess(Meetings meetings, HostRequests room) {
        this.meetings = meetings;
        this.room = room;
    }

    public Mono<Boolean> allows(TokenClaims c, MeetingRecord m) {
        if (!c.isUser()) {
            return Mono.just(false);
        }
        if (c.userId().equals(m.hostId())) {
            return Mono.just(true);
        }
        return meetings.isParticipant(m.id(), c.userId()).flatMap(joined -> !joined || m.endedAt() != null
                ? Mono.just(false)
                : room.ask(c, m.id().toString(), HostActionRequest.Action.LIST, null, null)
                        .map(r -> r.people() != null && r.people().stream().anyMatch(p ->
                                c.subject().equals(p.participantId()) && (p.role() == Role.COHOST || p.role() == Role.HOST)))
                        .onErrorResume(ApiException.class, e -> e.status() == HttpStatus.SERVICE_UNAVAILABLE
                                ? Mono.error(e) : Mono.just(false)));
    }
}
