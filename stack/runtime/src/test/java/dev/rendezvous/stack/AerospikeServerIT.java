package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AerospikeServer} with the real {@code asd}: its config, readiness, a clean stop and a restart on the same dir. */
class AerospikeServerIT {

    @TempDir
    Path dir;

    @Test
    void shouldWriteItsConfigStartServeAndStopCleanly() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(AerospikeServer.installed()).as("CI provides asd (.ci/run sets RENDEZVOUS_ASD)").isTrue();
        }
        assumeTrue(AerospikeServer.installed(), "no asd (RENDEZVOUS_ASD unset, asd not on PATH)");
        List<Integer> ports = Ports.freePorts(3);
        int[] p = {ports.get(0), ports.get(1), ports.get(2)};
        for (int round = 1; round <= 2; round++) {
            AerospikeServer server = new AerospikeServer(dir.resolve("aerospike"), p, dir.resolve("logs"), dir.resolve("run"),
                    Clock.systemUTC(), StackListener.logging());
            try {
                server.start(Duration.ofSeconds(60));
                assertThat(server.isRunning()).isTrue();
                assertThat(Ports.accepts(p[0])).as("round %d", round).isTrue();
                String conf = Files.readString(dir.resolve("aerospike").resolve("aerospike.conf"));
                assertThat(conf).doesNotContain("@").contains("port " + p[0]).contains("namespace rendezvous")
                        .contains("address 127.0.0.1");
                assertThat(Files.isDirectory(dir.resolve("aerospike").resolve("smd"))).isTrue();
            } finally {
                server.close();
            }
            assertThat(server.isRunning()).isFalse();
            assertThat(Ports.isFree(p[0])).as("the client port is released after SIGTERM").isTrue();
            assertThat(Files.exists(dir.resolve("run").resolve("aerospike.pid"))).isFalse();
        }
        // the second start found "rebalanced" in its own part of the log, not the first run's
        assertThat(Files.readString(dir.resolve("logs").resolve("aerospike.log")).split("starting aerospike", -1)).hasSize(3);
    }
}
