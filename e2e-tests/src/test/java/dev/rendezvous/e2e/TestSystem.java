package dev.rendezvous.e2e;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The system under test, started once per test JVM: a real Kafka broker, PostgreSQL and S3 server, and the
 * edge-gateway, stream-apps, media-forwarder and recorder as child JVMs from their built jars, all on free loopback ports. Closed by
 * the stack's shutdown hook when the test JVM exits.
 */
final class TestSystem {

    private static Stack stack;
    /** The first start's failure: later tests fail at once with it instead of each waiting minutes for another start. */
    private static RuntimeException failed;

    private TestSystem() {}

    static synchronized Stack get() {
        if (failed != null) {
            throw failed;
        }
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("rdv-e2e-");
                // after the stack's own shutdown hook stopped it (close() waits for that), its data goes too
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    Stack s = stack;
                    if (s != null) {
                        s.close();
                    }
                    deleteTree(dir);
                }, "rdv-e2e-cleanup"));
                stack = Stack.builder(dir)
                        .freePorts()
                        .apps(App.EDGE_GATEWAY, App.STREAM_APPS, App.MEDIA_FORWARDER, App.RECORDER)
                        // ClickHouse when installed (CI installs it): the analytics sink and the report page
                        // the exchange tests send faster than a person types
                        .appArgs(App.EDGE_GATEWAY, "--rendezvous.gateway.frames-per-second=2000",
                                "--rendezvous.gateway.frame-burst=2000",
                                // every test is one client address (127.0.0.1): the per-address limits are the
                                // gateway ITs' to test (SharedStateIT, CodeGuessingIT), not a cap on the suite
                                "--rendezvous.limits.registrations=100000", "--rendezvous.limits.guest-tokens=100000",
                                "--rendezvous.limits.code-lookups=100000", "--rendezvous.limits.sockets-per-address=100000")
                        .appStartupTimeout(Duration.ofMinutes(4))
                        .listener(StackListener.logging())
                        .build()
                        .start();
            } catch (Exception e) {
                failed = new IllegalStateException("cannot start the system under test", e);
                throw failed;
            }
        }
        return stack;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // best effort at exit: a file still held open is left for the OS's temp cleaning
        }
    }

    static String baseUrl() {
        return get().gatewayBaseUrl();
    }
}
