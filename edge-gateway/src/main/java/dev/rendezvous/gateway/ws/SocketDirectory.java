package dev.rendezvous.gateway.ws;

/** Finds this gateway's open sockets by id. */
public interface SocketDirectory {

    /** The socket, or null if it is not (or no longer) open here. */
    DeliveryTarget find(String socketId);
}
