package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetPlanTest {

    @TempDir
    Path dir;

    @Test
    void shouldNumberFleetProcessesWithStableIdsAndTheirOwnPorts() {
        Stack s = Stack.builder(dir).instances(App.EDGE_GATEWAY, 2).instances(App.MEDIA_FORWARDER, 3).build();

        assertThat(s.instances(App.EDGE_GATEWAY)).extracting(AppInstance::name, AppInstance::id, AppInstance::port,
                        AppInstance::managementPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("edge-gateway-1", "gw-1", 8180, 9180),
                        org.assertj.core.groups.Tuple.tuple("edge-gateway-2", "gw-2", 8280, 9280));
        assertThat(s.instances(App.MEDIA_FORWARDER)).extracting(AppInstance::id, AppInstance::port, AppInstance::mediaUdpPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fwd-1", 8182, 10000),
                        org.assertj.core.groups.Tuple.tuple("fwd-2", 8282, 10001),
                        org.assertj.core.groups.Tuple.tuple("fwd-3", 8382, 10002));
        // the public entry stays where people open it: nginx's now
        assertThat(s.gatewayBaseUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.portsToCheck(false, false)).containsEntry(8080, "nginx (the gateways' public entry)")
                .containsEntry(8280, "edge-gateway-2 HTTP").containsEntry(9382, "media-forwarder-3 management")
                .doesNotContainKey(9080);
    }

    @Test
    void shouldKeepTheSingleProcessNamesAndPortsWithoutAFleet() {
        Stack s = Stack.builder(dir).build();

        assertThat(s.instances(App.EDGE_GATEWAY)).singleElement()
                .satisfies(i -> assertThat(List.of(i.name(), i.id(), i.port())).containsExactly("edge-gateway", "gw-1", 8080));
        assertThat(s.instances(App.MEDIA_FORWARDER)).singleElement()
                .satisfies(i -> assertThat(List.of(i.name(), i.id(), i.mediaUdpPort())).containsExactly("media-forwarder", "fwd-1", 10000));
        assertThat(s.nginxInFront()).isFalse();
    }

    @Test
    void shouldGiveEveryFleetProcessItsOwnFreePort() {
        Stack s = Stack.builder(dir).freePorts().instances(App.EDGE_GATEWAY, 3).instances(App.MEDIA_FORWARDER, 2).build();

        List<Integer> ports = new ArrayList<>(s.portsToCheck(false, false).keySet());
        assertThat(new HashSet<>(ports)).hasSize(ports.size());
        // Kafka 2, PostgreSQL, S3, nginx, 3 gateways × 2, stream-apps 2, 2 forwarders × 2, recorder 2
        assertThat(ports).contains(s.appPort(App.EDGE_GATEWAY)).hasSize(4 + 1 + 6 + 2 + 4 + 2);
    }

    @Test
    void shouldRefuseFleetsOfOtherAppsAndSillyCounts() {
        assertThatThrownBy(() -> Stack.builder(dir).instances(App.STREAM_APPS, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only edge-gateway and media-forwarder");
        assertThatThrownBy(() -> Stack.builder(dir).instances(App.MEDIA_FORWARDER, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("within 1..9");
    }
}
