package dev.rendezvous.gateway.ws;

/**
 * Who this gateway is on the delivery topic: its id (the key of records addressed to it) and the partition of
 * {@code gateway.delivery.requested} it reads. Both travel in every join and chat request, so that stream-apps
 * knows where to send the answers. {@code region}: this gateway's region label, the region hint of a join whose page
 * gives none (a client reaches the gateway of its region, as GeoDNS would send it); may be null.
 */
public record GatewayIdentity(String id, int deliveryPartition, String region) {

    public GatewayIdentity(String id, int deliveryPartition) {
        this(id, deliveryPartition, null);
    }
}
