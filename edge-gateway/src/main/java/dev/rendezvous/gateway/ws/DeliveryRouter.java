package dev.rendezvous.gateway.ws;

import dev.rendezvous.topics.model.GatewayDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage between the delivery partition and the sockets: a record keyed for another gateway (two gateways may share
 * a partition) is skipped; otherwise the event goes to each listed socket that is still open here. Runs on the
 * consumer's thread; pushing to a socket only enqueues, so one slow socket cannot hold up the others.
 */
public final class DeliveryRouter {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRouter.class);

    private final String gatewayId;
    private final SocketDirectory sockets;
    private final GatewayMetrics metrics;
    private final java.util.function.Consumer<dev.rendezvous.topics.model.RoomEvent> observer;

    public DeliveryRouter(String gatewayId, SocketDirectory sockets, GatewayMetrics metrics) {
        this(gatewayId, sockets, metrics, e -> {});
    }

    /** @param observer sees every event addressed to this gateway before it is routed (e.g. admissions); must not block */
    public DeliveryRouter(String gatewayId, SocketDirectory sockets, GatewayMetrics metrics,
                          java.util.function.Consumer<dev.rendezvous.topics.model.RoomEvent> observer) {
        this.gatewayId = gatewayId;
        this.sockets = sockets;
        this.metrics = metrics;
        this.observer = observer;
    }

    public void route(String key, GatewayDelivery delivery) {
        if (!gatewayId.equals(key)) {
            metrics.delivery("foreign_key");
            return;
        }
        if (delivery.event() == null) {
            metrics.delivery("empty");
            return;
        }
        if (delivery.event().type() == dev.rendezvous.topics.model.RoomEvent.Type.CHAT && delivery.event().chat() != null) {
            metrics.chatDelivered(delivery.event().chat().sentAt());
        }
        try {
            observer.accept(delivery.event());
        } catch (RuntimeException e) {
            log.warn("delivery observer failed on {}", delivery.event().type(), e);
        }
        for (String socketId : delivery.socketIds()) {
            DeliveryTarget target = sockets.find(socketId);
            if (target == null) {
                metrics.delivery("unknown_socket"); // closed meanwhile, or a previous incarnation's socket
                continue;
            }
            try {
                target.deliver(delivery.event());
                metrics.delivery("routed");
            } catch (RuntimeException e) {
                log.warn("cannot deliver {} to socket {}", delivery.event().type(), socketId, e);
                metrics.delivery("failed");
            }
        }
    }
}
