package dev.rendezvous.e2e;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The system under test, started once per test JVM: a real Kafka broker, PostgreSQL and S3 server, and the
 * edge-gateway, stream-apps and media-forwarder as child JVMs from their built jars, all on free loopback ports. Closed by
 * the stack's shutdown hook when the test JVM exits.
 */
final class TestSystem {

    private static Stack stack;

    private TestSystem() {}

    static synchronized Stack get() {
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("rdv-e2e-");
                stack = Stack.builder(dir)
                        .freePorts()
                        .apps(App.EDGE_GATEWAY, App.STREAM_APPS, App.MEDIA_FORWARDER)
                        .clickHouse(false)
                        // the exchange tests send faster than a person types
                        .appArgs(App.EDGE_GATEWAY, "--rendezvous.gateway.frames-per-second=2000",
                                "--rendezvous.gateway.frame-burst=2000")
                        .appStartupTimeout(Duration.ofMinutes(4))
                        .listener(StackListener.logging())
                        .build()
                        .start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the system under test", e);
            }
        }
        return stack;
    }

    static String baseUrl() {
        return get().gatewayBaseUrl();
    }
}
