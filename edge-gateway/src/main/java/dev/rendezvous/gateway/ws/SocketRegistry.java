package dev.rendezvous.gateway.ws;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The open sockets of this gateway: the only state the gateway has. */
public final class SocketRegistry implements SocketDirectory {

    private final Map<String, GatewaySocket> sockets = new ConcurrentHashMap<>();

    public void add(GatewaySocket s) {
        sockets.put(s.socketId(), s);
    }

    public void remove(GatewaySocket s) {
        sockets.remove(s.socketId(), s);
    }

    @Override
    public GatewaySocket find(String socketId) {
        return socketId == null ? null : sockets.get(socketId);
    }

    public int size() {
        return sockets.size();
    }

    public Collection<GatewaySocket> all() {
        return List.copyOf(sockets.values());
    }
}
