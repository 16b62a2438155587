package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.AppInstance;
import dev.rendezvous.stack.Stack;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the all-in-one stack's apps answer on this machine's own non-loopback address (as another host on the network
 * would reach them): the gateway, the one public entry, does; no other app's HTTP port and no management port does.
 */
class ListenAddressesIT {

    private final Stack stack = TestSystem.get();

    @Test
    void onlyTheGatewayIsReachableBeyondLoopback() throws Exception {
        Optional<InetAddress> outside = nonLoopbackAddress();
        if (System.getenv("CI") != null) {
            assertThat(outside).as("CI machines have a network interface besides lo").isPresent();
        }
        assumeTrue(outside.isPresent(), "no non-loopback IPv4 address on this machine");
        InetAddress address = outside.get();

        assertThat(accepts(address, stack.appPort(App.EDGE_GATEWAY))).as("the gateway's public port").isTrue();
        for (App app : App.values()) {
            for (AppInstance i : stack.instances(app)) {
                if (app != App.EDGE_GATEWAY) {
                    assertThat(accepts(address, i.port())).as("%s HTTP on %s", i.name(), address).isFalse();
                    assertThat(accepts(InetAddress.getLoopbackAddress(), i.port())).as("%s HTTP on loopback", i.name())
                            .isTrue();
                }
                assertThat(accepts(address, i.managementPort())).as("%s management on %s", i.name(), address).isFalse();
            }
        }
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
