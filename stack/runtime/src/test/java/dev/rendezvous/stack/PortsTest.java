package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void shouldChooseDistinctFreePortsBelowTheEphemeralRangeThatOutgoingConnectionsUse() {
        assumeTrue(Ports.ephemeralLow() > Ports.CHOSEN_FROM + 1000, "a kernel whose ephemeral range starts above 21000");
        List<Integer> ports = Ports.freePorts(40);

        assertThat(new HashSet<>(ports)).hasSize(40);
        assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(Ports.CHOSEN_FROM, Ports.ephemeralLow() - 1));
        assertThat(ports).allSatisfy(p -> assertThat(Ports.isFree(p)).as(p + " free").isTrue());
    }

    @Test
    void shouldSkipAPortSomethingListensOn() throws Exception {
        assumeTrue(Ports.ephemeralLow() > Ports.CHOSEN_FROM + 1000, "a kernel whose ephemeral range starts above 21000");
        int span = Ports.ephemeralLow() - Ports.CHOSEN_FROM;
        int start = Ports.freePorts(1, span / 2).get(0) - Ports.CHOSEN_FROM;   // mid-range: no wrap-around
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.loopback(), Ports.CHOSEN_FROM + start));
            List<Integer> chosen = Ports.freePorts(3, start);
            assertThat(chosen).doesNotContain(Ports.CHOSEN_FROM + start).hasSize(3)
                    .allSatisfy(p -> assertThat(p).isGreaterThan(Ports.CHOSEN_FROM + start));
        }
    }

    @Test
    void shouldReadTheKernelsEphemeralRange() throws Exception {
        java.nio.file.Path range = java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(java.nio.file.Files.exists(range), "Linux");
        String text;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(range)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        int low = Integer.parseInt(text.trim().split("\\s+")[0]);
        assertThat(Ports.ephemeralLow()).isEqualTo(Math.max(Ports.CHOSEN_FROM, low));
    }
}
