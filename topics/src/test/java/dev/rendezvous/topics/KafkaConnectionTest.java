package dev.rendezvous.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"rv\" password=\"s3cr3t-pw\";";
    private static final Map<String, String> SASL = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "ssl.truststore.password", "trust-pw");

    @Test
    void shouldMergeTheExtraPropertiesIntoTheBuiltProducerConfigUnderTheAppsOwnSettings() {
        KafkaConnection kafka = new KafkaConnection("k1:9093,k2:9093",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.jaas.config", JAAS,
                        "acks", "0", "linger.ms", "50"));

        Map<String, Object> built = KafkaClients.producerDefaults(kafka, "gw-1");
        // parsed the way the producer parses it: the SASL settings reach the client
        ProducerConfig config = new ProducerConfig(built);

        assertThat(config.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("k1:9093", "k2:9093");
        assertThat(config.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(config.getString(SaslConfigs.SASL_MECHANISM)).isEqualTo("PLAIN");
        assertThat(config.getPassword(SaslConfigs.SASL_JAAS_CONFIG)).isEqualTo(new Password(JAAS));
        assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).as("the app's own setting wins").isEqualTo("-1");
        assertThat(config.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(KafkaClients.LINGER_MS);
        assertThat(config.getString(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("gw-1-producer");
    }

    @Test
    void shouldGiveEveryClientAFreshConfigWithTheProperties() {
        KafkaConnection kafka = new KafkaConnection("k:9093", SASL);

        Map<String, Object> admin = kafka.clientConfig();
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "admin");
        AdminClientConfig parsed = new AdminClientConfig(admin);

        assertThat(parsed.getString(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)).isEqualTo("/etc/kafka/truststore.p12");
        assertThat(parsed.getPassword(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG).value()).isEqualTo("trust-pw");
        assertThat(kafka.clientConfig()).doesNotContainKey(AdminClientConfig.CLIENT_ID_CONFIG);
        assertThat(kafka.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "k:9093");
        assertThat(KafkaConnection.of("k:9092").clientConfig()).containsOnly(Map.entry("bootstrap.servers", "k:9092"));
    }

    @Test
    void shouldNeverShowSecretValuesInItsTextForm() {
        KafkaConnection kafka = new KafkaConnection("k:9093", SASL);

        assertThat(kafka.toString()).contains("security.protocol=SASL_SSL", "sasl.mechanism=PLAIN",
                        "ssl.truststore.location=/etc/kafka/truststore.p12", "sasl.jaas.config=****",
                        "ssl.truststore.password=****")
                .doesNotContain("s3cr3t-pw").doesNotContain("trust-pw");
        assertThat(KafkaConnection.isSecret("ssl.key.password")).isTrue();
        assertThat(KafkaConnection.isSecret("ssl.keystore.key")).isTrue();
        assertThat(KafkaConnection.isSecret("sasl.client.callback.handler.class")).isFalse();
    }

    @Test
    void shouldReadThePropertiesFromTheEnvironmentTheWaySpringBindsThem() {
        KafkaConnection kafka = KafkaConnection.fromEnvironment("k:9093", Map.of(
                "RENDEZVOUS_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                "RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", JAAS,
                "RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "ignored:1",
                "PATH", "/usr/bin"));

        assertThat(kafka.properties()).containsOnly(Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.jaas.config", JAAS));
    }

    @Test
    void shouldRejectABootstrapServersPropertyOrAMissingBootstrap() {
        assertThatThrownBy(() -> new KafkaConnection("k:9092", Map.of("bootstrap.servers", "other:9092")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rendezvous.kafka.bootstrap-servers");
        assertThatThrownBy(() -> new KafkaConnection(" ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap-servers is required");
        assertThat(new KafkaConnection("k:9092", null).properties()).isEmpty();
    }
}
