package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Role;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * Whether someone has host rights in a meeting, for what the API gives hosts and co-hosts outside the room's own
 * host actions (its analytics and report page, invitations): the meeting's creator; or a user who joined it and
 * whom the room processor names host or co-host. The processor answers a LIST with the requester's rights from its
 * records of the meeting, whether they are in it now or not, also after its end (until the processor forgets an
 * empty room, {@code rendezvous.room-limits.control-retention} after its last change). A refusal there is a no; no answer
 * is 503 {@code unavailable}. Only someone who joined can have been made co-host: anyone else is refused without
 * asking.
 */
public final class HostRights {

    private final Meetings meetings;
    private final HostRequests room;

    public HostRights(Meetings meetings, HostRequests room) {
        this.meetings = meetings;
        this.room = room;
    }

    public Mono<Boolean> has(TokenClaims c, MeetingRecord m) {
        if (!c.isUser()) {
            return Mono.just(false);
        }
        if (c.userId().equals(m.hostId())) {
            return Mono.just(true);
        }
        return meetings.isParticipant(m.id(), c.userId()).flatMap(joined -> !joined ? Mono.just(false)
                : room.ask(c, m.id().toString(), HostActionRequest.Action.LIST, null, null)
                        .map(r -> named(r, c.subject()))
                        .onErrorResume(ApiException.class, e -> e.status() == HttpStatus.SERVICE_UNAVAILABLE
                                ? Mono.error(e) : Mono.just(false)));
    }

    /**
     * The answer's rights for the requester ({@code USER}: none); from a room processor that does not give them (one
     * of the previous version during an upgrade: null), whether the list of those in the room shows the requester as
     * host or co-host.
     */
    static boolean named(HostEvent listed, String subject) {
        if (listed.role() != null) {
            return rights(listed.role());
        }
        return listed.people() != null && listed.people().stream()
                .anyMatch(p -> subject.equals(p.participantId()) && rights(p.role()));
    }

    private static boolean rights(Role r) {
        return r == Role.COHOST || r == Role.HOST;
    }
}
