package dev.rendezvous.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Aerospike Community Edition ({@code asd}) as a child process on 127.0.0.1: one node, the in-memory namespace
 * {@value #NAMESPACE}, work files under {@code <dir>}, console log in the stack's log dir. The gateways keep their
 * shared fast state there (rate counters, token revocations, socket presence). Optional: it runs only when an
 * {@code asd} binary is found ({@link #executable()}).
 *
 * <p>{@code asd} listens at once but serves only after its first partition balance; readiness is the log line
 * {@code rebalanced}. SIGTERM stops it cleanly in about a second.
 */
public final class AerospikeServer implements AutoCloseable {

    /** The namespace the config defines and the gateways use. */
    public static final String NAMESPACE = "rendezvous";
    /** Environment variable naming the {@code asd} binary (CI sets it to the shared build). */
    public static final String ENV = "RENDEZVOUS_ASD";

    /** The stack's names of the three ports (client, fabric, heartbeat), in order. */
    static final List<String> PORT_KEYS = List.of("aerospike", "aerospike-fabric", "aerospike-heartbeat");

    private static final String TEMPLATE = "aerospike.conf.template";
    private static final String READY_LINE = "rebalanced";
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path dir;
    private final Path logDir;
    private final Path runDir;
    private final int port;
    private final int fabricPort;
    private final int heartbeatPort;
    private final Clock clock;
    private final StackListener listener;
    private final ServerProcess server = new ServerProcess("Aerospike", STOP_GRACE);

    /** {@code ports}: client, fabric and heartbeat port, in that order. */
    public AerospikeServer(Path dir, int[] ports, Path logDir, Path runDir, Clock clock, StackListener listener) {
        if (ports.length != 3) {
            throw new IllegalArgumentException("Aerospike needs three ports (client, fabric, heartbeat)");
        }
        this.dir = dir.toAbsolutePath();
        this.port = ports[0];
        this.fabricPort = ports[1];
        this.heartbeatPort = ports[2];
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    /** The {@code asd} binary: {@code $RENDEZVOUS_ASD} when set (it must then be executable), else {@code asd} on PATH. */
    public static Optional<Path> executable() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env.strip());
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new StackException(ENV + "=" + env + " is not an executable file");
            }
            return Optional.of(p);
        }
        return ChildProcess.findOnPath("asd");
    }

    public static boolean installed() {
        return executable().isPresent();
    }

    /** The ports to check before starting, with who wants them. */
    static java.util.Map<Integer, String> portNames(int[] ports) {
        return java.util.Map.of(ports[0], "Aerospike", ports[1], "Aerospike fabric", ports[2], "Aerospike heartbeat");
    }

    /** {@code 127.0.0.1:<port>}, the form {@code rendezvous.aerospike.hosts} takes. */
    public String hosts() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Writes the config, starts {@code asd --foreground} and waits for {@code rebalanced} in its log. */
    public void start(Duration timeout) {
        Instant t0 = clock.instant();
        Path exe = executable().orElseThrow(() -> new StackException("no asd binary: set " + ENV + " or put asd on PATH"));
        Path conf = dir.resolve("aerospike.conf");
        Path logFile = logDir.resolve("aerospike.log");
        try {
            Files.createDirectories(dir.resolve("smd"));
            Files.createDirectories(dir.resolve("usr").resolve("udf").resolve("lua"));
            Files.createDirectories(logDir);
            Files.writeString(conf, config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long logStart = size(logFile);
        ChildProcess p = server.start(() -> ChildProcess.start("aerospike", List.of(exe.toString(), "--foreground", "--config-file", conf.toString()),
                dir, logFile, runDir,
                code -> listener.onWarning("Aerospike exited unexpectedly with code " + code + " (see " + logFile
                        + "): the gateways' shared state is unavailable")));
        Poll.until(clock, timeout.minus(Duration.between(t0, clock.instant())), "Aerospike on " + hosts(), () -> {
            p.requireAlive();
            return logSince(logFile, logStart).contains(READY_LINE) && Ports.accepts(port);
        });
    }

    /** The config from the template in this jar, with this server's paths and ports. */
    String config() {
        try (InputStream in = AerospikeServer.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new StackException("resource " + TEMPLATE + " is missing from the stack-runtime jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@WORK@", dir.toString())
                    .replace("@FABRIC_PORT@", Integer.toString(fabricPort))
                    .replace("@HEARTBEAT_PORT@", Integer.toString(heartbeatPort))
                    .replace("@PORT@", Integer.toString(port))
                    .replace("@NAMESPACE@", NAMESPACE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What the log gained since {@code offset} (the log is appended to across restarts). */
    private static String logSince(Path f, long offset) throws IOException {
        if (!Files.exists(f)) {
            return "";
        }
        byte[] all = Files.readAllBytes(f);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** SIGTERM (a clean shutdown takes about a second), SIGKILL after 15 s. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
