package dev.rendezvous.streams.room;

import dev.rendezvous.topics.model.ForwarderCommand;
import dev.rendezvous.topics.model.GatewayDelivery;
import java.util.Collection;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The room processor's one way out: every output of a record is forwarded here, with the record's timestamp, keyed
 * the way the topology's sinks expect (a delivery by gateway id, a forwarder command by forwarder id, the rest by
 * meeting id). Shared by {@link RoomProcessor}, {@link MediaSignaling} and the host-control classes.
 */
final class RoomOutputs {

    private final ProcessorContext<String, RoomOutput> ctx;

    RoomOutputs(ProcessorContext<String, RoomOutput> ctx) {
        this.ctx = ctx;
    }

    /** Each delivery to its gateway. */
    void deliver(Collection<GatewayDelivery> deliveries, long ts) {
        for (GatewayDelivery d : deliveries) {
            deliver(d, ts);
        }
    }

    /** One delivery to its gateway. */
    void deliver(GatewayDelivery delivery, long ts) {
        emit(delivery.gatewayId(), new RoomOutput.Delivery(delivery), ts);
    }

    /** A command to the forwarder it names. */
    void command(ForwarderCommand command, long ts) {
        emit(command.forwarderId(), new RoomOutput.Command(command), ts);
    }

    void emit(String key, RoomOutput out, long ts) {
        ctx.forward(new Record<>(key, out, ts));
    }
}
