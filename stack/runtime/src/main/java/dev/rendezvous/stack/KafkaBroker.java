package dev.rendezvous.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) in a child JVM, on 127.0.0.1. Its log
 * directory is formatted once and kept, so topics and records survive restarts.
 *
 * <p>Files: {@code <dir>/server.properties}, {@code <dir>/log4j2.xml}, data in {@code <dir>/data}; output in
 * {@code <logDir>/kafka.log}, broker log (WARN) in {@code <logDir>/kafka-server.log}.
 */
public final class KafkaBroker implements AutoCloseable {

    static final String ARTIFACT = "stack-kafka-broker";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path dir;
    private final Path logDir;
    private final Path runDir;
    private final int port;
    private final int controllerPort;
    private final Clock clock;
    private final StackListener listener;
    private final List<String> jvmOptions;
    private final ServerProcess server = new ServerProcess("Kafka broker", STOP_GRACE);

    /**
     * @param dir            the broker's own directory (config and data), created if missing
     * @param port           client listener port (PLAINTEXT on 127.0.0.1)
     * @param controllerPort KRaft controller listener port
     * @param logDir         where {@code kafka.log} and {@code kafka-server.log} go
     */
    public KafkaBroker(Path dir, int port, int controllerPort, Path logDir, Clock clock, StackListener listener) {
        this(dir, port, controllerPort, logDir, dir.resolve("run"), clock, listener, List.of());
    }

    KafkaBroker(Path dir, int port, int controllerPort, Path logDir, Path runDir, Clock clock,
                StackListener listener, List<String> jvmOptions) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public String bootstrapServers() {
        return Ports.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** A new Admin client for this broker; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(adminConfig());
    }

    private Map<String, Object> adminConfig() {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    }

    /** Formats the log directory if it never was, starts the broker and waits until it answers. */
    public void start(Duration timeout) {
        Instant t0 = clock.instant();
        String classpath = Resources.classpath("kafka-broker.classpath", ARTIFACT);
        Path config = dir.resolve("server.properties");
        Path log4j = dir.resolve("log4j2.xml");
        writeConfig(config);
        Resources.copy("kafka-broker-log4j2.xml", ARTIFACT, log4j);
        List<String> java = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx512m", "-Xms64m",
                "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j.toUri(), "-Dkafka.logs.dir=" + logDir));
        java.addAll(jvmOptions);
        java.addAll(List.of("-cp", classpath));

        if (!Files.exists(dataDir().resolve("meta.properties"))) {
            format(java, config, timeout);
        }
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(List.of("kafka.Kafka", config.toString()));
        ChildProcess p = server.start(() -> ChildProcess.start("kafka", cmd, dir, logDir.resolve("kafka.log"), runDir,
                code -> listener.onWarning("Kafka broker exited unexpectedly with code " + code
                        + " (see " + logDir.resolve("kafka.log") + ")")));
        Poll.until(clock, timeout.minus(Duration.between(t0, clock.instant())), "Kafka broker on " + bootstrapServers(), () -> {
            p.requireAlive();
            return Ports.accepts(port);
        });
        try (Admin admin = newAdmin()) {
            Poll.until(clock, timeout.minus(Duration.between(t0, clock.instant())), "Kafka broker on " + bootstrapServers(), () -> {
                p.requireAlive();
                return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                        .nodes().get(3, TimeUnit.SECONDS).isEmpty();
            });
        }
    }

    private void format(List<String> java, Path config, Duration timeout) {
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        ChildProcess f = ChildProcess.start("kafka-format", cmd, dir, logDir.resolve("kafka.log"), runDir, code -> { });
        if (!ChildProcess.waitFor(f.toHandle(), timeout)) {
            f.stop(Duration.ZERO, true);
            throw new StackException("formatting the Kafka log directory took longer than " + Poll.seconds(timeout));
        }
        f.stop(Duration.ZERO, false); // already ended: only removes its pid file
        if (f.exitCode().orElse(-1) != 0) {
            throw new StackException("formatting the Kafka log directory " + dataDir() + " failed; last lines of "
                    + f.logFile() + ":" + System.lineSeparator() + f.tail(30));
        }
    }

    private void writeConfig(Path config) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dataDir().toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        // 50 partitions by default: fewer make the first consumer group's start quicker on a small machine
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false"); // the topics module provisions every topic
        p.setProperty("log.retention.check.interval.ms", "60000");
        // The log cleaner's key map (compacted topics: the changelogs, placements) lives on the heap: 128 MB by
        // default, two thirds of the broker's live heap here, which left G1 a small young generation and a pause
        // every ~1 s under chat load. 16 MB still maps ~700,000 keys per cleaning pass.
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        try {
            Files.createDirectories(dir);
            try (var out = Files.newBufferedWriter(config)) {
                p.store(out, "written by dev.rendezvous.stack.KafkaBroker on every start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM (controlled shutdown), SIGKILL after 20 s. Idempotent. */
    @Override
    public void close() {
        server.close();
    }

    /** The broker's pid while it runs, else -1. */
    long pid() {
        return server.pid();
    }
}
