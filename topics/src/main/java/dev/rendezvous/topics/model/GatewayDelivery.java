package dev.rendezvous.topics.model;

import java.util.List;

/**
 * An event addressed to some sockets held by one gateway (topic {@code gateway.delivery.requested}, key =
 * gateway id, written to the partition that gateway reads). One record per gateway, not per socket.
 */
public record GatewayDelivery(String gatewayId, int partition, List<String> socketIds, RoomEvent event) {

    public GatewayDelivery {
        socketIds = List.copyOf(socketIds);
    }
}
