package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.topics.KafkaConnectionProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code rendezvous.kafka.*} reaches Kafka Streams' config, so all its internal clients (binding it from the
 * environment: {@code KafkaConnectionPropertiesTest} in topics).
 */
class StreamsClientPropertiesTest {

    @Test
    void shouldPutTheExtraClientPropertiesIntoKafkaStreamsConfig() {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"rv\" password=\"pw\";";
        KafkaConnectionProperties kafka = new KafkaConnectionProperties("kafka-0.kafka:9093", 3, false,
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", jaas));

        Properties streams = RoomStreamsSettings.properties(kafka,
                new StreamsProperties("binding-test", Path.of("unused"), Duration.ofMillis(100), 1), outcome -> { });
        StreamsConfig config = new StreamsConfig(streams);

        assertThat(config.getList(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("kafka-0.kafka:9093");
        assertThat(config.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(config.originals()).containsEntry("sasl.jaas.config", jaas);
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
    }
}
