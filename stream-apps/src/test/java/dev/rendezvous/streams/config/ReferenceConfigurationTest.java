package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.KafkaConnectionProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The reference application.yml and the properties records agree, and say what the design asks for. */
class ReferenceConfigurationTest {

    private static Binder referenceYaml() throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml",
                new ClassPathResource("application.yml"));
        sources.forEach(s -> env.getPropertySources().addLast(s));
        return new Binder(ConfigurationPropertySources.get(env), new org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver(env));
    }

    private static <T> T bind(Binder b, String prefix, Class<T> type) {
        return b.bindOrCreate(prefix, type);
    }

    @Test
    void shouldDocumentTheSameDefaultsTheCodeHas() throws IOException {
        Binder yaml = referenceYaml();
        Binder none = new Binder(List.of());

        // the shared record has no broker default (the other apps require one); this app's yml names the local one
        Binder brokerOnly = new Binder(new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                java.util.Map.of("rendezvous.kafka.bootstrap-servers", "127.0.0.1:19092")));
        assertThat(bind(yaml, "rendezvous.kafka", KafkaConnectionProperties.class))
                .isEqualTo(bind(brokerOnly, "rendezvous.kafka", KafkaConnectionProperties.class));
        assertThat(bind(yaml, "rendezvous.streams", StreamsProperties.class))
                .isEqualTo(bind(none, "rendezvous.streams", StreamsProperties.class));
        assertThat(bind(yaml, "rendezvous.chat", ChatProperties.class))
                .isEqualTo(bind(none, "rendezvous.chat", ChatProperties.class));
        assertThat(bind(yaml, "rendezvous.placement", PlacementProperties.class))
                .isEqualTo(bind(none, "rendezvous.placement", PlacementProperties.class));
        assertThat(bind(yaml, "rendezvous.room-limits", RoomLimitsProperties.class))
                .isEqualTo(bind(none, "rendezvous.room-limits", RoomLimitsProperties.class));
        assertThat(bind(yaml, "rendezvous.chat-store", ChatStoreProperties.class))
                .isEqualTo(bind(none, "rendezvous.chat-store", ChatStoreProperties.class));
        assertThat(bind(yaml, "rendezvous.room", RoomPresenceProperties.class))
                .isEqualTo(bind(none, "rendezvous.room", RoomPresenceProperties.class))
                .isEqualTo(new RoomPresenceProperties(Duration.ofSeconds(10), Duration.ofSeconds(1)));
        assertThat(bind(yaml, "rendezvous.clickhouse", ClickHouseProperties.class))
                .isEqualTo(bind(none, "rendezvous.clickhouse", ClickHouseProperties.class))
                .satisfies(c -> assertThat(c.enabled()).as("analytics off without a URL").isFalse())
                .satisfies(c -> assertThat(c.compressResponses()).as("ClickHouse 18.16").isFalse());
        assertThat(yaml.bind("server.port", Integer.class).get()).isEqualTo(8081);
        assertThat(yaml.bind("management.server.port", Integer.class).get()).isEqualTo(9081);
    }

    @Test
    void shouldDefaultToTheDesignedValues() throws IOException {
        Binder yaml = referenceYaml();
        StreamsProperties streams = bind(yaml, "rendezvous.streams", StreamsProperties.class);
        ChatProperties chat = bind(yaml, "rendezvous.chat", ChatProperties.class);
        KafkaConnectionProperties kafka = bind(yaml, "rendezvous.kafka", KafkaConnectionProperties.class);

        assertThat(streams.applicationId()).isEqualTo("rendezvous-stream-apps");
        assertThat(streams.commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(streams.threads()).isEqualTo(1);
        assertThat(streams.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(streams.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "rendezvous-stream-apps"));
        assertThat(kafka.replicationFactor()).isEqualTo(1);
        assertThat(chat.maxLength()).isEqualTo(2000);
        assertThat(chat.dedupWindow()).isEqualTo(256);
        assertThat(bind(yaml, "rendezvous.chat-store", ChatStoreProperties.class).groupId()).isEqualTo("rendezvous-chat-store");
        assertThat(bind(yaml, "rendezvous.chat-store", ChatStoreProperties.class).maxWait()).isEqualTo(Duration.ofMillis(200));
        // background writes: longer calls than the gateway's REST defaults, a breaker that opens after a few outages
        var resilience = bind(yaml, "rendezvous.resilience", dev.rendezvous.resilience.ResilienceSettings.class);
        assertThat(resilience.postgresql().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(resilience.postgresql().minimumCalls()).isEqualTo(3);
        assertThat(resilience.clickhouse().timeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void shouldRunStreamsAtLeastOnceWithTheCataloguesShortLingerAndSkippingUndecodableInput() {
        Properties p = RoomStreamsSettings.properties(new KafkaConnectionProperties("k:9092", 3),
                new StreamsProperties("app", Path.of("/var/lib/x"), Duration.ofMillis(250), 4),
                dev.rendezvous.streams.room.RoomMetrics.none());

        assertThat(p).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), dev.rendezvous.topics.KafkaClients.LINGER_MS)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 250L)
                // 0, not -1: a replay after a crash must take a JOIN before the chats that followed it
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 4)
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/x")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app")
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        CountingLogAndContinueHandler.class);
        // and Kafka Streams accepts them
        new StreamsConfig(p);
    }
}
