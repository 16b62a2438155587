package dev.rendezvous.forwarder.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartitionReaderTest {

    @Test
    void thePauseBeforeANewConsumerDoublesFromOneSecondToThirty() {
        assertThat(PartitionReader.pause(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PartitionReader.pause(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PartitionReader.pause(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(PartitionReader.pause(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(PartitionReader.pause(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(PartitionReader.pause(1_000_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void allMeansEveryPartitionInOrder() {
        assertThat(PartitionReader.all(3)).containsExactly(0, 1, 2);
        assertThat(PartitionReader.all(0)).isEmpty();
    }
}
