package dev.rendezvous.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One of our Spring Boot apps as a child JVM: {@code java -Xmx384m <jvmOptions> -jar <jar> --server.port=P
 * --management.server.port=M --management.server.address=127.0.0.1 <args> --spring.config.import=file:<secrets>};
 * ready when {@code GET /actuator/health} on the management port says UP. Its secrets are in
 * {@code <runDir>/<module>-secrets.properties} (mode 600, written on each start), never on its command line.
 * Can be stopped (gracefully or as a crash) and started again with the same arguments.
 */
public final class AppProcess implements AutoCloseable {

    /** How long a graceful stop may take before the process is killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Pattern STATUS_UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");

    private final App app;
    private final AppInstance instance;
    private final Path jar;
    private final int port;
    private final int managementPort;
    private final List<String> jvmOptions;
    private final AppLaunch launch;
    private final Path logDir;
    private final Path runDir;
    private final Clock clock;
    private final StackListener listener;
    private ChildProcess process;
    private boolean closed;

    AppProcess(AppInstance instance, Path jar, List<String> jvmOptions, AppLaunch launch, Path logDir,
               Path runDir, Clock clock, StackListener listener) {
        this.app = instance.app();
        this.instance = instance;
        this.jar = jar.toAbsolutePath();
        this.port = instance.port();
        this.managementPort = instance.managementPort();
        this.jvmOptions = List.copyOf(jvmOptions);
        this.launch = launch;
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    public App app() {
        return app;
    }

    /** Which process of its app this is. */
    public AppInstance instance() {
        return instance;
    }

    /** The instance's name: its log file, pid file and secrets file are named after it. */
    public String name() {
        return instance.name();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + Ports.HOST + ":" + port;
    }

    /** The actuator's port (health, Prometheus), bound to 127.0.0.1 only. */
    public int managementPort() {
        return managementPort;
    }

    public String managementUrl() {
        return "http://" + Ports.HOST + ":" + managementPort;
    }

    /** Where the app's secrets are written before each start (mode 600). */
    public Path secretsFile() {
        return runDir.resolve(name() + "-secrets.properties");
    }

    public Path logFile() {
        return logDir.resolve(name() + ".log");
    }

    /** The full command line (for logs and tests): nothing secret. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--management.server.port=" + managementPort,
                "--management.server.address=" + Ports.HOST));
        cmd.addAll(launch.args());
        cmd.add("--spring.config.import=file:" + secretsFile());
        return cmd;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child's pid, or -1 when not started. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Starts the app (again, if it was stopped) and waits until its health endpoint says UP. Fails early,
     * with the tail of its log, if the process exits.
     */
    public void start(Duration timeout) {
        ChildProcess p;
        synchronized (this) {
            if (closed) {
                throw new StackException(name() + " was closed");
            }
            if (process != null && process.isAlive()) {
                throw new IllegalStateException(name() + " is already running (pid " + process.pid() + ")");
            }
            launch.writeSecrets(secretsFile());
            process = ChildProcess.start(name(), command(), logDir.getParent(), logFile(), runDir,
                    code -> listener.onWarning(name() + " exited unexpectedly with code " + code + " (see " + logFile() + ")"));
            p = process;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(managementUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        try {
            Poll.until(clock, timeout, name() + " on " + baseUrl() + " (management " + managementUrl() + ")", () -> {
                p.requireAlive();
                if (!Ports.accepts(managementPort)) {
                    return false;
                }
                // Java 17's HttpClient.send was seen to wait past the request's own timeout (a CI run hung 12 minutes
                // on the health check of an app that was up): the wait is bounded here and a late answer dropped
                var pending = http.sendAsync(health, HttpResponse.BodyHandlers.ofString());
                try {
                    HttpResponse<String> r = pending.get(4, java.util.concurrent.TimeUnit.SECONDS);
                    return r.statusCode() == 200 && STATUS_UP.matcher(r.body()).find();
                } finally {
                    pending.cancel(true);   // nothing when it completed
                }
            });
        } catch (StackException e) {
            if (p.isAlive()) { // timed out: say what it was doing
                p.stop(STOP_GRACE, false);
                throw new StackException(e.getMessage() + "; last lines of " + logFile() + ":" + System.lineSeparator()
                        + p.tail(40), e);
            }
            throw e;
        }
    }

    /** Stops the app: SIGTERM and up to 15 s to finish, then SIGKILL; with {@code hard}, SIGKILL at once. */
    public void stop(boolean hard) {
        ChildProcess p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.stop(STOP_GRACE, hard);
        }
    }

    /** Stops the app for good. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stop(false);
    }
}
