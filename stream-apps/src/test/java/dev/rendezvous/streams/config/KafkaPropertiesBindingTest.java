package dev.rendezvous.streams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@code rendezvous.kafka.properties.*} from the environment (as the Helm chart sets it) reaches the client configs. */
class KafkaPropertiesBindingTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"rv\" password=\"pw-from-secret\";";

    @Test
    void shouldPutSaslSettingsFromTheEnvironmentIntoEveryClientConfig() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(
                "RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9093",
                "RENDEZVOUS_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "RENDEZVOUS_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
                "RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", "/etc/rendezvous/kafka/truststore.p12")));
        KafkaConnectionProperties kafka = new Binder(ConfigurationPropertySources.from(env.getPropertySources()))
                .bind("rendezvous.kafka", KafkaConnectionProperties.class).get();

        Map<String, Object> consumer = kafka.connection().clientConfig();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
        ConsumerConfig parsed = new ConsumerConfig(consumer);

        assertThat(parsed.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("kafka-0.kafka:9093");
        assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(parsed.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(parsed.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
        assertThat(parsed.getString("ssl.truststore.location")).isEqualTo("/etc/rendezvous/kafka/truststore.p12");
        assertThat(kafka.toString()).contains("SASL_SSL").doesNotContain("pw-from-secret");

        // and Kafka Streams' config (all its internal clients)
        java.util.Properties streams = RoomStreamsSettings.properties(kafka,
                new StreamsProperties("binding-test", java.nio.file.Path.of("unused"), java.time.Duration.ofMillis(100), 1),
                outcome -> { });
        org.apache.kafka.streams.StreamsConfig streamsConfig = new org.apache.kafka.streams.StreamsConfig(streams);
        assertThat(streamsConfig.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(streamsConfig.originals()).containsEntry("sasl.jaas.config", JAAS);
    }
}
