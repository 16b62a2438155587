package dev.rendezvous.forwarder.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.topics.KafkaConnectionProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ForwarderPropertiesTest {

    @Test
    void shouldUseTheDocumentedDefaultsAndTheHostNameAsId() {
        ForwarderProperties p = bind(Map.of());

        assertThat(p.id()).isNotBlank().isEqualTo(ForwarderProperties.hostname());
        assertThat(p.region()).isEqualTo("local");
        assertThat(p.advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(p.udpPort()).isEqualTo(10000);
        assertThat(p.capacity()).isEqualTo(200);
        assertThat(p.metricsInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.metricsFailureThreshold()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldBindRelaxedNamesAsEnvironmentVariablesWouldGiveThem() {
        ForwarderProperties p = bind(Map.of(
                "rendezvous.forwarder.id", "fwd-eu-3",
                "rendezvous.forwarder.advertised-address", "203.0.113.7",
                "rendezvous.forwarder.capacity", "350",
                "rendezvous.forwarder.metrics-interval", "500ms"));

        assertThat(p.id()).isEqualTo("fwd-eu-3");
        assertThat(p.advertisedAddress()).isEqualTo("203.0.113.7");
        assertThat(p.capacity()).isEqualTo(350);
        assertThat(p.metricsInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldOfferIceTcpOnTheUdpPortsNumberUnlessToldOtherwise() {
        assertThat(bind(Map.of()).tcpPort()).as("default: the UDP port's number").isEqualTo(10000);
        assertThat(bind(Map.of("rendezvous.forwarder.udp-port", "0")).tcpPort()).isZero();
        assertThat(bind(Map.of("rendezvous.forwarder.tcp-port", "-1")).tcpPort()).as("off").isEqualTo(-1);
        assertThat(bind(Map.of("rendezvous.forwarder.tcp-port", "4443")).tcpPort()).isEqualTo(4443);
        assertThatThrownBy(() -> bind(Map.of("rendezvous.forwarder.tcp-port", "-2")))
                .hasStackTraceContaining("tcp-port must be -1 (off) or within 0..65535");
    }

    @Test
    void shouldRejectImpossibleSettingsAtStart() {
        assertThatThrownBy(() -> bind(Map.of("rendezvous.forwarder.capacity", "0")))
                .hasStackTraceContaining("capacity must be at least 1");
        assertThatThrownBy(() -> bind(Map.of("rendezvous.forwarder.metrics-interval", "0s")))
                .hasStackTraceContaining("metrics-interval must be positive");
        assertThatThrownBy(() -> new KafkaConnectionProperties(" ", 1))
                .hasMessageContaining("rendezvous.kafka.bootstrap-servers is required");
    }

    private static ForwarderProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("rendezvous.forwarder", ForwarderProperties.class);
    }
}
