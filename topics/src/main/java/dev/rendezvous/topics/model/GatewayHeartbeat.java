package dev.rendezvous.topics.model;

import java.time.Instant;

/**
 * A gateway says it is alive (topic {@code gateway.heartbeat.reported}, key = gateway id, compacted: the latest beat
 * of each gateway). Written every {@code rendezvous.gateway.heartbeat-interval} by each edge-gateway process; the room
 * processor takes the members of a gateway whose beats stop (or that said {@link Status#GOING_AWAY}) out of their
 * rooms.
 *
 * @param gatewayId  the gateway's id (the key of its deliveries)
 * @param instanceId random per process start: a gateway id that comes back with another instance has lost every
 *                   socket the earlier process held
 * @param startedAt  when this process started; sockets of this gateway that joined before it belong to an earlier
 *                   process
 * @param at         when this beat was sent (the gateway's clock; only compared with the same gateway's beats)
 * @param status     alive, or going away (graceful shutdown: no more beats will come)
 */
public record GatewayHeartbeat(String gatewayId, String instanceId, Instant startedAt, Instant at, Status status) {

    public enum Status { ALIVE, GOING_AWAY }
}
