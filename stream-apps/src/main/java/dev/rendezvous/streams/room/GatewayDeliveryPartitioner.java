package dev.rendezvous.streams.room;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Writes each delivery to exactly the partition its gateway reads, as named in the value
 * ({@link GatewayDelivery#partition()}), not where the key would hash: gateways may be given explicit,
 * distinct partitions (a StatefulSet ordinal), so no gateway reads another's deliveries.
 *
 * <p>A partition the topic does not have (a gateway configured for more partitions than provisioned)
 * falls back to the key's default partition, counted, rather than failing the stream thread.
 */
public final class GatewayDeliveryPartitioner implements StreamPartitioner<String, GatewayDelivery> {

    private final RoomMetrics metrics;

    public GatewayDeliveryPartitioner(RoomMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, GatewayDelivery value, int numPartitions) {
        int p = value.partition();
        if (p < 0 || p >= numPartitions) {
            metrics.count(RoomMetrics.Outcome.DELIVERY_PARTITION_OUT_OF_RANGE);
            p = Topics.defaultDeliveryPartition(value.gatewayId(), numPartitions);
        }
        return Optional.of(Set.of(p));
    }
}
