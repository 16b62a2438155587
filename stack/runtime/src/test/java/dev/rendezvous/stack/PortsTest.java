package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldChooseDistinctFreePortsBelowTheEphemeralRangeThatOutgoingConnectionsUse() throws Exception {
        List<Integer> ports = Ports.freePorts(40);

        assertThat(new HashSet<>(ports)).hasSize(40);
        assertThat(Ports.ephemeralLow()).isGreaterThan(Ports.CHOSEN_FROM);
        assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(Ports.CHOSEN_FROM, Ports.ephemeralLow() - 1));
        assertThat(ports).allSatisfy(p -> assertThat(Ports.isFree(p)).as(p + " free").isTrue());
    }

    @Test
    void shouldSkipAPortSomethingListensOn() throws Exception {
        List<Integer> first = Ports.freePorts(1);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.loopback(), first.get(0)));
            assertThat(Ports.isFree(first.get(0))).isFalse();
            for (int i = 0; i < 20; i++) {
                assertThat(Ports.freePorts(5)).doesNotContain(first.get(0));
            }
        }
    }
}
