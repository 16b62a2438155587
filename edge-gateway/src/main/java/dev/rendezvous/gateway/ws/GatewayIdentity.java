package dev.rendezvous.gateway.ws;

/**
 * Who this gateway is on the delivery topic: its id (the key of records addressed to it) and the partition of
 * {@code gateway.delivery.requested} it reads. Both travel in every join and chat request, so that stream-apps
 * knows where to send the answers.
 */
public record GatewayIdentity(String id, int deliveryPartition) {}
