package dev.rendezvous.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldHaveUniqueNamesWithoutUnderscores() {
        Set<String> names = new HashSet<>();
        for (TopicSpec<?> t : Topics.ALL) {
            assertThat(names.add(t.name())).as("duplicate " + t.name()).isTrue();
            assertThat(t.name()).doesNotContain("_").matches("[a-z0-9-]+\\.[a-z0-9-]+\\.[a-z0-9-]+");
        }
        assertThat(Topics.byName()).hasSize(Topics.ALL.size());
    }

    @Test
    void shouldCoPartitionEveryRoomKeyedTopic() {
        Topics.ALL.stream().filter(t -> t.key().equals("meeting id"))
                .forEach(t -> assertThat(t.partitions()).as(t.name()).isEqualTo(Topics.ROOM_PARTITIONS));
    }

    @Test
    void shouldRejectBadNames() {
        assertThatThrownBy(() -> new TopicSpec<>("chat_message", "k", String.class, 1, 1, CleanupPolicy.DELETE,
                Duration.ofHours(1), Service.STREAM_APPS, Set.of(), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chat_message");
    }

    @Test
    void shouldUseBytesOnlyForMediaChunks() {
        assertThat(Topics.ALL.stream().filter(TopicSpec::binary).map(TopicSpec::name))
                .containsExactly("recording.chunk.captured");
    }

    @Test
    void shouldSetRetentionForDeleteAndTombstoneRetentionForCompact() {
        assertThat(Topics.CHAT_REQUESTED.configs()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "86400000");
        assertThat(Topics.MEMBERSHIP_CHANGED.configs()).containsEntry("cleanup.policy", "compact")
                .containsKey("delete.retention.ms").doesNotContainKey("retention.ms");
    }

    @Test
    void shouldSpreadGatewaysOverDeliveryPartitionsDeterministically() {
        int p = Topics.defaultDeliveryPartition("gw-1", 6);
        assertThat(p).isBetween(0, 5).isEqualTo(Topics.defaultDeliveryPartition("gw-1", 6));
    }

    @Test
    void shouldSizeEveryTopicForProductionOnRequest() {
        for (TopicSpec<?> t : Topics.ALL) {
            TopicSpec<?> p = t.atProductionSize();
            assertThat(p.partitions()).isEqualTo(t.productionPartitions());
            assertThat(p.name()).isEqualTo(t.name());
            assertThat(p.configs()).isEqualTo(t.configs());
        }
    }

    @Test
    void shouldRefuseToProvisionWithoutBootstrapServers() {
        assertThat(TopicProvisioner.runCommand(new String[0], java.util.Map.of())).isEqualTo(2);
    }
}
