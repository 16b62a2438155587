package dev.rendezvous.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@code rendezvous.kafka.*} bound the way every app binds it, from the environment the Helm chart sets. */
class KafkaConnectionPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"rv\" password=\"pw-from-secret\";";

    @Test
    void shouldPutSaslSettingsFromTheEnvironmentIntoEveryClientConfig() {
        KafkaConnectionProperties kafka = bind(Map.of(
                "RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9093",
                "RENDEZVOUS_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "RENDEZVOUS_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                "RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
                "RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", "/etc/rendezvous/kafka/truststore.p12"));

        Map<String, Object> consumer = kafka.connection().clientConfig();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        ConsumerConfig parsed = new ConsumerConfig(consumer);

        assertThat(parsed.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("kafka-0.kafka:9093");
        assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(parsed.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(parsed.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
        assertThat(parsed.getString("ssl.truststore.location")).isEqualTo("/etc/rendezvous/kafka/truststore.p12");
        assertThat(kafka.toString()).contains("SASL_SSL").doesNotContain("pw-from-secret");
    }

    @Test
    void shouldProvisionWithOneReplicaUnlessToldOtherwise() {
        KafkaConnectionProperties defaults = bind(Map.of("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
        assertThat(defaults.replicationFactor()).isEqualTo(1);
        assertThat(defaults.provisionTopics()).isTrue();
        assertThat(defaults.properties()).isEmpty();

        KafkaConnectionProperties helm = bind(Map.of("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "RENDEZVOUS_KAFKA_REPLICATION_FACTOR", "3", "RENDEZVOUS_KAFKA_PROVISION_TOPICS", "false"));
        assertThat(helm.replicationFactor()).isEqualTo(3);
        assertThat(helm.provisionTopics()).as("the chart's hook job provisions instead").isFalse();
    }

    @Test
    void shouldRefuseToStartWithoutABrokerOrWithNoReplicas() {
        assertThatThrownBy(() -> bind(Map.of()))
                .hasStackTraceContaining("rendezvous.kafka.bootstrap-servers is required");
        assertThatThrownBy(() -> new KafkaConnectionProperties(" ", 1))
                .hasMessageContaining("rendezvous.kafka.bootstrap-servers is required");
        assertThatThrownBy(() -> new KafkaConnectionProperties("k:9092", 0))
                .hasMessageContaining("replication-factor must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "RENDEZVOUS_KAFKA_PROPERTIES_BOOTSTRAP_SERVERS", "other:9092")))
                .hasStackTraceContaining("set rendezvous.kafka.bootstrap-servers, not");
    }

    /** Binds from the given variables alone (not the machine's: a RENDEZVOUS_KAFKA_* there must not change the test). */
    private static KafkaConnectionProperties bind(Map<String, Object> environment) {
        // named like the real one: Spring maps RENDEZVOUS_KAFKA_PROPERTIES_X_Y to a map key only for "…-systemEnvironment"
        SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource("test-systemEnvironment", environment);
        return new Binder(ConfigurationPropertySources.from(source))
                .bindOrCreate("rendezvous.kafka", KafkaConnectionProperties.class);
    }
}
