package dev.rendezvous.gateway.web;

import dev.rendezvous.gateway.ws.SocketWatch;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open WebSockets per client address on this gateway, and the cap on them ({@code rendezvous.limits.sockets-per-address}).
 * Counted here rather than in the shared store: a gateway that dies takes its counts with it, where shared counts
 * would stay too high until they expired. With n gateways behind a balancer an address may hold up to n times the cap.
 */
public final class SocketsPerAddress implements SocketWatch {

    private final int max;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    public SocketsPerAddress(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("rendezvous.limits.sockets-per-address must be >= 1");
        }
        this.max = max;
    }

    /** True while the address holds fewer sockets than the cap. */
    public boolean allows(String address) {
        return open.getOrDefault(address, 0) < max;
    }

    public int max() {
        return max;
    }

    @Override
    public void opened(String socketId, String address) {
        open.merge(address, 1, Integer::sum);
    }

    @Override
    public void closed(String socketId, String address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    int open(String address) {
        return open.getOrDefault(address, 0);
    }
}
