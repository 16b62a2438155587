package dev.rendezvous.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's {@code victoria-metrics} (single node) as a child process that scrapes every app of the stack, so that a
 * newcomer can graph the run: data in {@code <dataDir>/victoria-metrics}, its scrape configuration written on every
 * start into {@code <dataDir>/victoria-metrics/scrape.yaml} (each app's {@code /actuator/prometheus} on its management
 * port, labelled {@code component} and {@code pod} like the chart's configuration, so the chart's dashboard and alert
 * rules work on it too), its output in {@code logs/victoria-metrics.log}, listening on 127.0.0.1 only. Ready when
 * {@code /health} answers.
 */
final class VictoriaMetrics implements AutoCloseable {

    /** A victoria-metrics binary to use instead of {@code /usr/bin/victoria-metrics} or PATH's. */
    static final String ENV = "RENDEZVOUS_VICTORIA_METRICS";
    private static final Path DEBIAN = Path.of("/usr/bin/victoria-metrics");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Short for a local run, so the first figures come quickly; the chart's configuration scrapes every 15 s. */
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);

    private final Path binary;
    private final Path dir;
    private final int port;
    private final Map<String, AppInstance> targets;
    private final Path logDir;
    private final Path runDir;
    private final Clock clock;
    private final StackListener listener;
    private final ServerProcess server = new ServerProcess("VictoriaMetrics", STOP_GRACE);

    /**
     * @param targets the apps to scrape, by instance name (the {@code pod} label)
     */
    VictoriaMetrics(Path binary, Path dir, int port, Map<String, AppInstance> targets, Path logDir, Path runDir,
                    Clock clock, StackListener listener) {
        this.binary = binary;
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.targets = Map.copyOf(targets);
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    /** {@code $RENDEZVOUS_VICTORIA_METRICS}, else {@code /usr/bin/victoria-metrics}, else victoria-metrics on PATH. */
    static Optional<Path> find() {
        return ChildProcess.findBinary(System.getenv(), ENV, DEBIAN, "victoria-metrics");
    }

    int port() {
        return port;
    }

    String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    Path configFile() {
        return dir.resolve("scrape.yaml");
    }

    /** The scrape configuration: one static target per app instance, labelled like the chart's pods. */
    String scrapeConfig() {
        StringBuilder y = new StringBuilder("# written by the stack on every start (VictoriaMetrics.java); do not edit\n")
                .append("scrape_configs:\n");
        targets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> y
                .append("  - job_name: ").append(e.getKey()).append('\n')
                .append("    scrape_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("    metrics_path: /actuator/prometheus\n")
                .append("    static_configs:\n")
                .append("      - targets: ['").append(Ports.HOST).append(':').append(e.getValue().managementPort()).append("']\n")
                .append("        labels: {component: ").append(e.getValue().app().module())
                .append(", pod: ").append(e.getKey()).append("}\n"));
        return y.toString();
    }

    /** Writes the scrape configuration, starts VictoriaMetrics and waits until it answers. */
    void start(Duration timeout) {
        try {
            PrivateFiles.directory(dir);
            PrivateFiles.write(configFile(), scrapeConfig());
        } catch (IOException e) {
            throw new StackException("cannot write " + configFile() + ": " + e.getMessage(), e);
        }
        ChildProcess p = server.start(() -> ChildProcess.start("victoria-metrics", command(), dir, logDir.resolve("victoria-metrics.log"), runDir,
                code -> listener.onWarning("VictoriaMetrics exited unexpectedly with code " + code
                        + " (see " + logDir.resolve("victoria-metrics.log") + ")")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(3)).build();
        Poll.until(clock, timeout, "VictoriaMetrics on " + Ports.HOST + ":" + port, () -> {
            p.requireAlive();
            return Ports.accepts(port) && http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    List<String> command() {
        return List.of(binary.toString(), "-storageDataPath=" + dir.resolve("data"),
                "-httpListenAddr=" + Ports.HOST + ":" + port, "-promscrape.config=" + configFile(),
                "-retentionPeriod=7d", "-loggerLevel=WARN",
                // queries see a scrape after 5 s (one scrape interval), not VictoriaMetrics' default 30 s: a newcomer
                // graphing a run on one machine, and the tests, want the latest point; no remote writers lag here
                "-search.latencyOffset=" + SCRAPE_INTERVAL.toSeconds() + "s");
    }

    long pid() {
        return server.pid();
    }

    /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
