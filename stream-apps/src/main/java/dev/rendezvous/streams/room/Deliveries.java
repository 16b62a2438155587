package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.Member;
import dev.rendezvous.topics.model.RoomEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Addresses an event to sockets the way gateways read them: one {@link GatewayDelivery} per gateway
 * holding at least one recipient, listing that gateway's recipient sockets, instead of one record per
 * socket or a broadcast every gateway must filter.
 */
final class Deliveries {

    private Deliveries() {}

    /**
     * Groups the recipients by gateway, in the order the gateways first appear among them (sockets keep
     * their order too), so the output is a pure function of the room state. The partition of a gateway's
     * delivery is the one its most recently joined socket named: if a gateway was restarted with another
     * delivery partition, its newest sockets carry the partition it reads now.
     */
    static List<GatewayDelivery> to(Collection<Member> recipients, RoomEvent event) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        Map<String, List<String>> sockets = new LinkedHashMap<>();
        for (Member m : recipients) {
            partitions.put(m.gatewayId(), m.gatewayPartition());
            sockets.computeIfAbsent(m.gatewayId(), g -> new ArrayList<>()).add(m.socketId());
        }
        List<GatewayDelivery> out = new ArrayList<>(sockets.size());
        sockets.forEach((gateway, ids) -> out.add(new GatewayDelivery(gateway, partitions.get(gateway), ids, event)));
        return out;
    }

    /** One socket on one gateway (answers to the sender only). */
    static GatewayDelivery toSocket(String gatewayId, int partition, String socketId, RoomEvent event) {
        return new GatewayDelivery(gatewayId, partition, List.of(socketId), event);
    }
}
