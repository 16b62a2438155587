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
 * One of our Spring Boot apps as a child JVM: {@code java -Xmx384m <jvmOptions> -jar <jar> --server.port=P <args>};
 * ready when {@code GET /actuator/health} says UP. Can be stopped (gracefully or as a crash) and started
 * again with the same arguments.
 */
public final class AppProcess implements AutoCloseable {

    /** How long a graceful stop may take before the process is killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Pattern STATUS_UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");

    private final App app;
    private final Path jar;
    private final int port;
    private final List<String> jvmOptions;
    private final List<String> args;
    private final Path logDir;
    private final Path runDir;
    private final Clock clock;
    private final StackListener listener;
    private ChildProcess process;
    private boolean closed;

    public AppProcess(App app, Path jar, int port, List<String> jvmOptions, List<String> args, Path logDir,
                      Path runDir, Clock clock, StackListener listener) {
        this.app = app;
        this.jar = jar.toAbsolutePath();
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.args = List.copyOf(args);
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    public App app() {
        return app;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + Ports.HOST + ":" + port;
    }

    public Path logFile() {
        return logDir.resolve(app.module() + ".log");
    }

    /** The full command line (for logs and tests). */
    public List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        cmd.addAll(args);
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
                throw new StackException(app + " was closed");
            }
            if (process != null && process.isAlive()) {
                throw new IllegalStateException(app + " is already running (pid " + process.pid() + ")");
            }
            process = ChildProcess.start(app.module(), command(), logDir.getParent(), logFile(), runDir,
                    code -> listener.onWarning(app + " exited unexpectedly with code " + code + " (see " + logFile() + ")"));
            p = process;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        try {
            Poll.until(clock, timeout, app + " on " + baseUrl(), () -> {
                p.requireAlive();
                if (!Ports.accepts(port)) {
                    return false;
                }
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && STATUS_UP.matcher(r.body()).find();
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
