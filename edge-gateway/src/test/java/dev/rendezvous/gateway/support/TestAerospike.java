package dev.rendezvous.gateway.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.stack.AerospikeServer;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.StackListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A real Aerospike CE server ({@code asd}, found through {@code $RENDEZVOUS_ASD} or PATH) for the tests of the
 * shared state, started once per test JVM on free ports and stopped when the JVM exits. Without an {@code asd}
 * the tests that need it are skipped locally and fail under CI (which provides one: .ci/run).
 */
public final class TestAerospike {

    private static AerospikeServer server;

    private TestAerospike() {}

    /** {@code host:port} of the running server; skips (locally) or fails (CI) the calling test without asd. */
    public static synchronized String hosts() {
        if (!AerospikeServer.installed()) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must provide Aerospike: set " + AerospikeServer.ENV
                        + " to an asd binary (.ci/run uses ../shared/aerospike/bin/asd) or put asd on PATH");
            }
            assumeTrue(false, "no asd binary (" + AerospikeServer.ENV + " unset, asd not on PATH)");
        }
        if (server == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("gateway-it-aerospike-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Integer> ports = Ports.freePorts(3);
            AerospikeServer s = new AerospikeServer(dir, new int[] {ports.get(0), ports.get(1), ports.get(2)},
                    dir.resolve("logs"), dir.resolve("run"), Clock.systemUTC(), StackListener.logging());
            s.start(Duration.ofSeconds(60));
            server = s;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "gateway-it-aerospike-stop"));
        }
        return server.hosts();
    }
}
