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
import java.util.Optional;

/**
 * Debian's nginx as a child process in front of several gateways: {@code nginx -p <dir> -c <dir>/nginx.conf -e stderr}
 * with {@code daemon off}, its configuration ({@link NginxConfig}) written on every start into {@code <dataDir>/nginx/},
 * its output in {@code logs/nginx.log} and its access log in {@code logs/nginx-access.log}. Ready when a request
 * through it reaches a gateway (the home page answers 200; nginx itself would answer 502 or 504).
 */
final class Nginx implements AutoCloseable {

    /** An nginx binary to use instead of {@code /usr/sbin/nginx} or PATH's. */
    static final String ENV = "RENDEZVOUS_NGINX";
    private static final Path DEBIAN = Path.of("/usr/sbin/nginx");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path binary;
    private final Path dir;
    private final int port;
    private final List<String> upstreams;
    private final Path logDir;
    private final Path runDir;
    private final Clock clock;
    private final StackListener listener;
    private final ServerProcess server = new ServerProcess("nginx", STOP_GRACE);

    Nginx(Path binary, Path dir, int port, List<String> upstreams, Path logDir, Path runDir, Clock clock,
          StackListener listener) {
        this.binary = binary;
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.upstreams = List.copyOf(upstreams);
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    /** {@code $RENDEZVOUS_NGINX}, else {@code /usr/sbin/nginx}, else nginx on PATH. */
    static Optional<Path> find() {
        return find(System.getenv());
    }

    /** {@link #find()} with the given environment; a {@value #ENV} that names no executable finds nothing. */
    static Optional<Path> find(java.util.Map<String, String> environment) {
        return ChildProcess.findBinary(environment, ENV, DEBIAN, "nginx");
    }

    int port() {
        return port;
    }

    Path configFile() {
        return dir.resolve("nginx.conf");
    }

    /** Writes the configuration, checks it ({@code nginx -t}), starts nginx and waits until it reaches a gateway. */
    void start(Duration timeout) {
        NginxConfig config = new NginxConfig(dir, Ports.HOST + ":" + port, upstreams, logDir.resolve("nginx-access.log"),
                NginxConfig.runAsUserForThisProcess());
        try {
            PrivateFiles.directory(dir);
            PrivateFiles.write(configFile(), config.render());
        } catch (IOException e) {
            throw new StackException("cannot write " + configFile() + ": " + e.getMessage(), e);
        }
        ChildProcess p = server.start(() -> ChildProcess.start("nginx", command(), dir, logDir.resolve("nginx.log"), runDir,
                code -> listener.onWarning("nginx exited unexpectedly with code " + code
                        + " (see " + logDir.resolve("nginx.log") + ")")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest home = HttpRequest.newBuilder(URI.create("http://" + Ports.HOST + ":" + port + "/"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        Poll.until(clock, timeout, "nginx on " + Ports.HOST + ":" + port, () -> {
            p.requireAlive();
            return Ports.accepts(port) && http.send(home, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    List<String> command() {
        return List.of(binary.toString(), "-p", dir + "/", "-c", configFile().toString(), "-e", "stderr");
    }

    long pid() {
        return server.pid();
    }

    /** SIGTERM (nginx's fast shutdown) to the master; its workers go with it. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
