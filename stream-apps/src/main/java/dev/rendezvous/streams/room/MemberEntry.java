package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.Member;

/**
 * One value of the {@code room-sockets} store (one entry per socket in a room) or of the {@code room-departures}
 * store (a socket that left recently, kept so that a replayed LEAVE can repeat its effects).
 *
 * @param order  the socket's place in its room's join order (a room's entries are listed sorted by it)
 * @param member the socket and its address
 * @param leftAt for a departure: the record time of the LEAVE that took it out (epoch ms); 0 for a present socket
 * @param forwarderId for a departure: the room's primary forwarder when it left (null if none), so that a replayed
 *                    LEAVE can repeat its forwarder commands after the placement is gone
 */
public record MemberEntry(long order, Member member, long leftAt, String forwarderId) {

    /** A socket in a room. */
    static MemberEntry present(long order, Member member) {
        return new MemberEntry(order, member, 0, null);
    }
}
