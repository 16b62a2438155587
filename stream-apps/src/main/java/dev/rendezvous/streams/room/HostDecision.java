package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.Role;
import java.util.List;

/**
 * The decision on one host request, answered to its requester in a HOST_RESULT: applied (with the participants for
 * a LIST), or refused with an outcome class, an error code ({@link HostError}) and a message.
 */
record HostDecision(HostEvent.Outcome outcome, String error, String message, List<HostEvent.Person> people,
                    Role actorRights) {

    static HostDecision applied() {
        return new HostDecision(HostEvent.Outcome.APPLIED, null, null, null, null);
    }

    /**
     * A LIST's answer: who is in and who waits, and the requester's own host rights in the meeting ({@code HOST},
     * {@code COHOST}, else {@code USER}), whether or not they are in it now and after its end too.
     */
    static HostDecision listed(List<HostEvent.Person> people, Role actorRights) {
        return new HostDecision(HostEvent.Outcome.APPLIED, null, null, people, actorRights);
    }

    static HostDecision refused(HostEvent.Outcome outcome, HostError error, String message) {
        return new HostDecision(outcome, error.code(), message, null, null);
    }

    static HostDecision notFound() {
        return refused(HostEvent.Outcome.NOT_FOUND, HostError.PARTICIPANT_NOT_FOUND, "no such participant in this meeting");
    }

    /** The answer an earlier request with the same id got (a replay repeats it, not its effects). */
    static HostDecision again(RoomControl.Decided earlier) {
        return new HostDecision(earlier.outcome(), earlier.error(), earlier.message(), null, null);
    }
}
