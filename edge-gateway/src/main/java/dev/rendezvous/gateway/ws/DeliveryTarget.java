package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.model.RoomEvent;

/** Something a room event can be pushed to: a local socket. */
public interface DeliveryTarget {

    /** Pushes the event as a frame, if the socket's state wants it. Never blocks. */
    void deliver(RoomEvent event);
}
