package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.HostActionRequest;
import dev.rendezvous.topics.model.HostEvent;
import dev.rendezvous.topics.model.RoomEvent;

/**
 * Host controls, hands and reactions: RAISE_HAND, LOWER_HAND (one's own, or a host's on another) and REACT. Part of
 * {@link HostActions}.
 */
final class Hands {

    private final RoomOutputs out;

    Hands(RoomOutputs out) {
        this.out = out;
    }

    HostDecision raise(String meetingId, RoomMembers room, RoomControl c, String actor, String requestId, long ts) {
        return hand(meetingId, room, c, actor, true, null, requestId, ts);
    }

    /** LOWER_HAND of the target (the actor's own when it names nobody else). */
    HostDecision lower(String meetingId, RoomMembers room, RoomControl c, String actor, String target, String requestId,
                       long ts) {
        return room.has(target) ? hand(meetingId, room, c, target, false, target.equals(actor) ? null : actor, requestId, ts)
                : HostDecision.notFound();
    }

    /** HAND to the room when the hand moved; {@code by}: who lowered someone else's. */
    private HostDecision hand(String meetingId, RoomMembers room, RoomControl c, String who, boolean up, String by,
                              String requestId, long ts) {
        boolean changed = up ? !c.hands.contains(who) && c.hands.add(who) : c.hands.remove(who);
        if (changed) {
            HostEvent e = HostEvent.about(who).withHand(up);
            out.deliver(Deliveries.to(room.members(), RoomEvent.host(RoomEvent.Type.HAND, meetingId,
                    by == null ? e : e.withBy(by, requestId))), ts);
        }
        return HostDecision.applied();
    }

    /** REACT: the reaction to the room. */
    HostDecision react(String meetingId, RoomMembers room, String actor, HostActionRequest req, long ts) {
        if (req.reaction() == null) {
            return HostDecision.refused(HostEvent.Outcome.INVALID, HostError.INVALID_REQUEST,
                    "a reaction needs one of the reactions");
        }
        out.deliver(Deliveries.to(room.members(), RoomEvent.host(RoomEvent.Type.REACTION, meetingId,
                HostEvent.about(actor).withReaction(req.reaction()))), ts);
        return HostDecision.applied();
    }
}
