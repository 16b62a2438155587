package dev.rendezvous.streams.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.model.GatewayDelivery;
import dev.rendezvous.topics.model.RoomEvent;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GatewayDeliveryPartitionerTest {

    private final AtomicInteger outOfRange = new AtomicInteger();
    private final GatewayDeliveryPartitioner partitioner = new GatewayDeliveryPartitioner(o -> {
        if (o == RoomMetrics.Outcome.DELIVERY_PARTITION_OUT_OF_RANGE) {
            outOfRange.incrementAndGet();
        }
    });

    private static GatewayDelivery to(String gateway, int partition) {
        return new GatewayDelivery(gateway, partition, List.of("s1"), RoomEvent.participantLeft("m", null));
    }

    @Test
    void shouldWriteToExactlyThePartitionNamedInTheDeliveryNotWhereTheKeyHashes() {
        for (int p = 0; p < 6; p++) {
            assertThat(partitioner.partitions("gateway.delivery.requested", "gw-a", to("gw-a", p), 6))
                    .isEqualTo(Optional.of(Set.of(p)));
        }
        assertThat(outOfRange).hasValue(0);
    }

    @Test
    void shouldFallBackToTheKeysDefaultPartitionWhenTheNamedOneDoesNotExist() {
        int fallback = Topics.defaultDeliveryPartition("gw-a", 6);

        assertThat(partitioner.partitions("t", "gw-a", to("gw-a", 6), 6)).isEqualTo(Optional.of(Set.of(fallback)));
        assertThat(partitioner.partitions("t", "gw-a", to("gw-a", -1), 6)).isEqualTo(Optional.of(Set.of(fallback)));
        assertThat(outOfRange).hasValue(2);
    }
}
