package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.ws.SocketWatch;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open WebSockets on this gateway in all, and the cap on them ({@code rendezvous.limits.sockets-per-gateway}). The
 * per-address cap alone does not stop a flood from many addresses from taking the gateway's last file descriptors,
 * which REST, the probes, Kafka and the database need too; this does. Checked at the handshake, so handshakes in
 * flight at the same moment may pass it by their number. (The memory of frames still arriving is bounded for the
 * gateway as a whole by {@link dev.rendezvous.gateway.ws.UnfinishedFrames}.)
 */
public final class SocketsOnGateway implements SocketWatch {

    private final int max;
    private final Set<String> open = ConcurrentHashMap.newKeySet();

    public SocketsOnGateway(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("rendezvous.limits.sockets-per-gateway must be >= 1");
        }
        this.max = max;
    }

    /** True while the gateway holds fewer sockets than the cap. */
    public boolean allows() {
        return open.size() < max;
    }

    public int max() {
        return max;
    }

    /** Sockets open now. */
    public int open() {
        return open.size();
    }

    @Override
    public void opened(String socketId, String address) {
        open.add(socketId);
    }

    @Override
    public void closed(String socketId, String address) {
        open.remove(socketId);
    }
}
