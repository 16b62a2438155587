package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.auth.TokenClaims;
import dev.rendezvous.gateway.store.Admissions;
import dev.rendezvous.gateway.store.MeetingRecord;
import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * Who may read a meeting's chat history and see its recordings: the people admitted into it. That is its host, users the host invited,
 * and anyone the room processor let in ({@code meeting_admissions}, written from the {@code joined} deliveries), unless
 * a host removed them since; never someone who only holds a token for the meeting, waits in its lobby or was
 * removed. The table is written just after the {@code joined} frame leaves for the client, so a page that asks at once
 * may come before it: someone not (yet) in the table is then looked up in the running room (a {@code LIST} asked as
 * them, which the processor answers only for people in the room).
 */
public final class HistoryAccess {

    private final Meetings meetings;
    private final Admissions admissions;
    private final HostRequests room;

    public HistoryAccess(Meetings meetings, Admissions admissions, HostRequests room) {
        this.meetings = meetings;
        this.admissions = admissions;
        this.room = room;
    }

    /** Completes empty when the bearer may read the history; fails with a 403 {@link ApiException} otherwise. */
    public Mono<Void> check(TokenClaims c, MeetingRecord m) {
        return check(c, m, true);
    }

    /**
     * {@link #check} from the stored records only, without asking the running room about someone the table does not
     * know yet (for what is not needed in the first milliseconds after a join, like the recordings list).
     */
    public Mono<Void> checkRecorded(TokenClaims c, MeetingRecord m) {
        return check(c, m, false);
    }

    private Mono<Void> check(TokenClaims c, MeetingRecord m, boolean askRoom) {
        if (c.isUser() && c.userId().equals(m.hostId())) {
            return Mono.empty();
        }
        if (c.isGuest() && !c.isGuestOf(m.id())) {
            return Mono.error(ApiException.forbidden("this guest token is for another meeting"));
        }
        return admissions.status(m.id(), c.subject()).flatMap(status -> switch (status) {
            case ADMITTED -> Mono.<Void>empty();
            case REMOVED -> Mono.<Void>error(ApiException.forbidden("you were removed from this meeting"));
            case NONE -> (c.isUser() ? meetings.isInvited(m.id(), c.userId()) : Mono.just(false))
                    .flatMap(invited -> invited ? Mono.<Void>empty() : askRoom ? inRoomNow(c, m) : refused());
        });
    }

    private static Mono<Void> refused() {
        return Mono.error(ApiException.forbidden(
                "only the host, invited people and those admitted into this meeting may see this"));
    }

    private Mono<Void> inRoomNow(TokenClaims c, MeetingRecord m) {
        Mono<Void> refused = refused();
        if (m.endedAt() != null) {
            return refused;
        }
        return room.ask(c, m.id().toString(), HostActionRequest.Action.LIST, null, null)
                .flatMap(r -> r.people() != null && r.people().stream().anyMatch(p ->
                        c.subject().equals(p.participantId()) && p.state() == HostEvent.State.IN) ? Mono.<Void>empty() : refused)
                .onErrorResume(ApiException.class, e -> e.status() == HttpStatus.SERVICE_UNAVAILABLE ? Mono.error(e) : refused);
    }
}
