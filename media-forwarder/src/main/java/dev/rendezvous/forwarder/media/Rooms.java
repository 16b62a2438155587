package dev.rendezvous.forwarder.media;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The meetings on this forwarder and admission to them: a room takes at most {@code maxRoomParticipants}
 * peers and the forwarder at most {@code maxParticipants} (its advertised capacity), so a burst of joins is
 * refused with a clear reason ({@code room_full}, {@code capacity}) instead of degrading every call.
 */
final class Rooms {

    private final Map<String, Router> routers = new ConcurrentHashMap<>();
    private final AtomicInteger peers = new AtomicInteger();
    private final int maxParticipants;
    private final int maxRoomParticipants;

    private final LongSupplier ids;

    Rooms(int maxParticipants, int maxRoomParticipants, LongSupplier ids) {
        this.ids = ids;
        this.maxParticipants = maxParticipants;
        this.maxRoomParticipants = maxRoomParticipants;
    }

    Router open(String meetingId) {
        return routers.computeIfAbsent(meetingId, Router::new);
    }

    Router get(String meetingId) {
        return routers.get(meetingId);
    }

    /** Takes the room off the forwarder (its peers are closed by the caller). */
    Router remove(String meetingId) {
        return routers.remove(meetingId);
    }

    void removeIfEmptyLocked(Router router) {
        if (router.bySocket.isEmpty()) {
            routers.remove(router.meetingId, router);
        }
    }

    Collection<Router> all() {
        return routers.values();
    }

    /** The socket's peer in the room, admitted if new. */
    Peer admitLocked(Router router, String socketId, String participantId) {
        if (routers.get(router.meetingId) != router) {
            throw new MediaException("unavailable", "the room is closing; try again");
        }
        Peer p = router.bySocket.get(socketId);
        if (p != null) {
            return p;
        }
        if (router.bySocket.size() >= maxRoomParticipants) {
            throw new MediaException("room_full", "this meeting has reached its limit of " + maxRoomParticipants
                    + " participants with media");
        }
        if (peers.incrementAndGet() > maxParticipants) {
            peers.decrementAndGet();
            throw new MediaException("capacity", "this media server is full; try again in a moment");
        }
        p = new Peer(router, socketId, participantId);
        // what a page that just joined will publish, offered to the others before it does (a fast start)
        p.producers = new Producer[] {
                Producer.expected(p, TrackSource.MICROPHONE, TrackKind.AUDIO, ids.getAsLong()),
                Producer.expected(p, TrackSource.CAMERA, TrackKind.VIDEO, ids.getAsLong())};
        router.addPeerLocked(p);
        return p;
    }

    /** The peer has left its room. */
    void releaseLocked(Peer p) {
        if (p.router.bySocket.get(p.socketId) == p) {
            p.router.removePeerLocked(p);
            peers.decrementAndGet();
        }
    }
}
