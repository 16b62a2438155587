package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleStoresTest {

    @TempDir
    Path dir;

    @Test
    void shouldRemoveOnlyStoresTheTopologyDoesNotHave() throws Exception {
        Path app = dir.resolve("rendezvous-stream-apps");
        for (String task : new String[] {"1_0", "1_2"}) {
            for (String store : new String[] {"chat-rooms", "room-members", "gateway-heartbeats"}) {
                Path s = Files.createDirectories(app.resolve(task).resolve("rocksdb").resolve(store));
                Files.writeString(s.resolve("000001.sst"), "data");
            }
        }
        Files.createDirectories(app.resolve("global/rocksdb/gateway-heartbeats"));
        Files.createDirectories(app.resolve("global/rocksdb/chat-rooms"));
        Files.writeString(app.resolve("1_0").resolve(".checkpoint"), "0");

        Files.createDirectories(app.resolve("2_1/rocksdb/chat-rooms"));
        Files.createDirectories(app.resolve("9_0/rocksdb/chat-rooms"));
        Files.createDirectories(app.resolve("kafka-streams-process-metadata-dir/rocksdb/x"));

        // sub-topology 1 keeps chat-rooms; room-members is gone and gateway-heartbeats is global now: their per-task
        // copies go, the global one stays; a task store in global/ goes; sub-topology 9 no longer exists
        assertThat(StaleStores.prune(app, java.util.Map.of(1, Set.of("chat-rooms", "room-sockets"), 2, Set.of("chat-rooms")),
                Set.of("gateway-heartbeats")))
                .extracting(p -> app.relativize(p).toString())
                .containsExactlyInAnyOrder("1_0/rocksdb/room-members", "1_2/rocksdb/room-members",
                        "1_0/rocksdb/gateway-heartbeats", "1_2/rocksdb/gateway-heartbeats", "global/rocksdb/chat-rooms",
                        "9_0");
        assertThat(app.resolve("global/rocksdb/gateway-heartbeats")).isDirectory();
        assertThat(app.resolve("2_1/rocksdb/chat-rooms")).isDirectory();
        assertThat(app.resolve("kafka-streams-process-metadata-dir/rocksdb/x")).as("not a task directory").isDirectory();

        // renumbered: what sub-topology 1 held is sub-topology 2's now, and 1 is a global store's (it makes no tasks):
        // its task directories go whole
        assertThat(StaleStores.prune(app, java.util.Map.of(2, Set.of("chat-rooms")), Set.of("gateway-heartbeats")))
                .extracting(p -> app.relativize(p).toString())
                .containsExactlyInAnyOrder("1_0", "1_2");
        assertThat(app.resolve("1_0")).doesNotExist();
        assertThat(app.resolve("2_1/rocksdb/chat-rooms")).isDirectory();
        assertThat(app.resolve("global/rocksdb/gateway-heartbeats")).isDirectory();


        assertThat(StaleStores.prune(dir.resolve("absent"), java.util.Map.of(), Set.of())).isEmpty();
    }

    @Test
    void shouldKnowEveryStoreOfTheRoomTopologyIncludingTheGlobalOne() {
        var topology = dev.rendezvous.streams.room.RoomTopology.build(new org.apache.kafka.streams.StreamsBuilder(),
                dev.rendezvous.streams.room.RoomTopologyConfig.defaults()).build();
        java.util.Set<String> all = new java.util.HashSet<>();
        KafkaStreamsRuntime.taskStoreNames(topology).values().forEach(all::addAll);
        assertThat(all).contains(
                dev.rendezvous.streams.room.RoomTopology.CHAT_STORE, dev.rendezvous.streams.room.RoomTopology.MEMBERS_STORE,
                dev.rendezvous.streams.room.RoomTopology.CONTROL_STORE)
                .doesNotContain(dev.rendezvous.streams.room.RoomTopology.FORWARDER_METRICS_STORE, "gateway-heartbeats");
        assertThat(KafkaStreamsRuntime.globalStoreNames(topology)).containsExactlyInAnyOrder(
                dev.rendezvous.streams.room.RoomTopology.FORWARDER_METRICS_STORE, "gateway-heartbeats");
    }
}
