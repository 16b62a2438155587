package dev.rendezvous.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.KafkaBroker;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provisioner against a real broker: create, grow, restore configs, and several services at once. */
class TopicProvisionerIT {

    @TempDir
    static Path dir;
    private static KafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        List<Integer> ports = Ports.freePorts(2);
        broker = new KafkaBroker(dir.resolve("kafka"), ports.get(0), ports.get(1), dir.resolve("logs"),
                Clock.systemUTC(), StackListener.logging());
        broker.start(Duration.ofSeconds(90));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theWholeCatalogueIsCreatedOnceAndASecondRunChangesNothing() {
        TopicProvisioner.Result first = TopicProvisioner.ensure(admin, 1);
        assertThat(first.created()).containsAll(Topics.ALL.stream().map(TopicSpec::name).toList());
        TopicProvisioner.Result second = TopicProvisioner.ensure(admin, 1);
        assertThat(second.created()).isEmpty();
        assertThat(second.repartitioned()).isEmpty();
        assertThat(second.reconfigured()).isEmpty();
    }

    @Test
    void servicesStartingTogetherAllSucceedAndTheTopicsExistOnce() throws Exception {
        List<TopicSpec<?>> specs = List.of(spec("race.one.created", 3), spec("race.two.created", 2));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<TopicProvisioner.Result>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> TopicProvisioner.ensure(admin, specs, 1));
            }
            List<TopicProvisioner.Result> results = new ArrayList<>();
            for (Future<TopicProvisioner.Result> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
            long creations = results.stream().mapToLong(r -> r.created().size()).sum();
            assertThat(creations).as("each topic created by exactly one of the racers").isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(partitions("race.one.created")).isEqualTo(3);
    }

    @Test
    void moreCataloguePartitionsGrowTheTopicAndFewerLeaveItAlone() {
        TopicProvisioner.ensure(admin, List.of(spec("grow.me.now", 2)), 1);
        TopicProvisioner.Result grown = TopicProvisioner.ensure(admin, List.of(spec("grow.me.now", 5)), 1);
        assertThat(grown.repartitioned()).containsExactly("grow.me.now");
        assertThat(partitions("grow.me.now")).isEqualTo(5);
        TopicProvisioner.Result shrink = TopicProvisioner.ensure(admin, List.of(spec("grow.me.now", 2)), 1);
        assertThat(shrink.repartitioned()).isEmpty();
        assertThat(partitions("grow.me.now")).as("never fewer: keys would move").isEqualTo(5);
    }

    @Test
    void aConfigChangedByHandIsPutBack() throws Exception {
        TopicSpec<?> s = spec("drift.config.back", 1);
        TopicProvisioner.ensure(admin, List.of(s), 1);
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
        Map<ConfigResource, Collection<AlterConfigOp>> ops = Map.of(r, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "1000"), AlterConfigOp.OpType.SET)));
        admin.incrementalAlterConfigs(ops).all().get();
        // a config change reaches the broker's view after the controller commits it: read until it shows
        awaitRetention(r, "1000");

        TopicProvisioner.Result back = TopicProvisioner.ensure(admin, List.of(s), 1);
        assertThat(back.reconfigured()).containsExactly(s.name());
        awaitRetention(r, Long.toString(Duration.ofHours(1).toMillis()));
    }

    @Test
    void anAppToldNotToProvisionLeavesTheTopicsAsTheyAre() throws Exception {
        TopicProvisioner.ensure(admin, 1);
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CHAT_REQUESTED.name());
        admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(
                new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "1000"), AlterConfigOp.OpType.SET)))).all().get();
        awaitRetention(r, "1000");
        KafkaConnectionProperties helm = new KafkaConnectionProperties(broker.bootstrapServers(), 1, false, Map.of());

        assertThat(TopicProvisioner.atStart(admin, helm)).isEmpty();
        assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get(TopicConfig.RETENTION_MS_CONFIG).value())
                .as("the deployment's job owns the topics").isEqualTo("1000");

        KafkaConnectionProperties embedded = new KafkaConnectionProperties(broker.bootstrapServers(), 1);
        assertThat(TopicProvisioner.atStart(admin, embedded)).get()
                .satisfies(result -> assertThat(result.reconfigured()).containsExactly(Topics.CHAT_REQUESTED.name()));
        awaitRetention(r, Long.toString(Topics.CHAT_REQUESTED.retention().toMillis()));

        // an app that does not provision does not even make an admin client (an empty config could not make one)
        assertThat(TopicProvisioner.atStart(helm, Map.of())).isEmpty();
        assertThat(TopicProvisioner.atStart(embedded, Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))).get()
                .satisfies(result -> assertThat(result.reconfigured()).isEmpty());
    }

    private static void awaitRetention(ConfigResource r, String expected) {
        org.awaitility.Awaitility.await("retention.ms of " + r.name() + " = " + expected).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100)).until(() -> admin.describeConfigs(List.of(r)).all().get().get(r)
                        .get(TopicConfig.RETENTION_MS_CONFIG).value(), expected::equals);
    }

    private static TopicSpec<String> spec(String name, int partitions) {
        return new TopicSpec<>(name, "id", String.class, partitions, Math.max(partitions, 8), CleanupPolicy.DELETE,
                Duration.ofHours(1), Service.STREAM_APPS, Set.of(Service.EDGE_GATEWAY), "test topic");
    }

    private static int partitions(String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
