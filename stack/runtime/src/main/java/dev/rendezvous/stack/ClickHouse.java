package dev.rendezvous.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * ClickHouse (Debian's {@code clickhouse-server} 18.16) as a child process on 127.0.0.1, with a config of
 * our own (data under {@code <dir>/data}, logs in the stack's log dir). Optional: only when
 * {@code clickhouse-server} is on PATH.
 */
public final class ClickHouse implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path dir;
    private final Path logDir;
    private final Path runDir;
    private final int httpPort;
    private final int tcpPort;
    private final Clock clock;
    private final StackListener listener;
    private final ServerProcess server = new ServerProcess("ClickHouse", STOP_GRACE);

    public ClickHouse(Path dir, int httpPort, int tcpPort, Path logDir, Clock clock, StackListener listener) {
        this(dir, httpPort, tcpPort, logDir, dir.resolve("run"), clock, listener);
    }

    ClickHouse(Path dir, int httpPort, int tcpPort, Path logDir, Path runDir, Clock clock, StackListener listener) {
        this.dir = dir.toAbsolutePath();
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
        this.logDir = logDir.toAbsolutePath();
        this.runDir = runDir.toAbsolutePath();
        this.clock = clock;
        this.listener = listener;
    }

    /** The {@code clickhouse-server} executable on PATH, if installed. */
    public static Optional<Path> executable() {
        return ChildProcess.findOnPath("clickhouse-server");
    }

    public static boolean installed() {
        return executable().isPresent();
    }

    /** HTTP interface, e.g. {@code http://127.0.0.1:18123}. */
    public String url() {
        return "http://" + Ports.HOST + ":" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The server's pid while it runs (outage tests), else -1. */
    public long pid() {
        return server.pid();
    }

    /** Starts the server and waits until {@code GET /ping} answers {@code Ok.}. */
    public void start(Duration timeout) {
        Instant t0 = clock.instant();
        Path exe = executable().orElseThrow(() -> new StackException("clickhouse-server is not on PATH"));
        Path conf = dir.resolve("conf");
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            PrivateFiles.directory(logDir);
            privateLogs();
            Files.writeString(conf.resolve("config.xml"), config(data));
            Files.writeString(conf.resolve("users.xml"), USERS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of(exe.toString(), "--config-file=" + conf.resolve("config.xml"));
        ChildProcess p = server.start(() -> ChildProcess.start("clickhouse", cmd, dir, logDir.resolve("clickhouse.log"), runDir,
                code -> listener.onWarning("ClickHouse exited unexpectedly with code " + code
                        + " (see " + logDir.resolve("clickhouse-server.err.log") + "): analytics is off")));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(Duration.ofSeconds(2)).GET().build();
        Poll.until(clock, timeout.minus(Duration.between(t0, clock.instant())), "ClickHouse on " + url(), () -> {
            if (!p.isAlive()) {
                throw new StackException("clickhouse-server exited with code " + p.exitCode().orElse(-1)
                        + "; last lines of " + logDir.resolve("clickhouse-server.err.log") + ":" + System.lineSeparator()
                        + ChildProcess.tail(logDir.resolve("clickhouse-server.err.log"), 15) + System.lineSeparator()
                        + p.tail(15));
            }
            if (!Ports.accepts(httpPort)) {
                return false;
            }
            HttpResponse<String> r = http.send(ping, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().trim().equals("Ok.");
        });
        try {
            privateLogs(); // clickhouse-server makes its log files group-readable (640)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ClickHouse's own log files, mode 600 like every log of the stack. */
    private void privateLogs() throws IOException {
        PrivateFiles.file(logDir.resolve("clickhouse-server.log"));
        PrivateFiles.file(logDir.resolve("clickhouse-server.err.log"));
    }

    /** Adapted from Debian's /etc/clickhouse-server/config.xml: own paths and ports, 127.0.0.1 only, small caches. */
    private String config(Path data) {
        String d = data.toString();
        String l = logDir.toString();
        return """
                <?xml version="1.0"?>
                <!-- written by dev.rendezvous.stack.ClickHouse on every start -->
                <yandex>
                    <logger>
                        <level>warning</level>
                        <log>%2$s/clickhouse-server.log</log>
                        <errorlog>%2$s/clickhouse-server.err.log</errorlog>
                        <size>50M</size>
                        <count>3</count>
                    </logger>
                    <http_port>%3$d</http_port>
                    <tcp_port>%4$d</tcp_port>
                    <!-- no interserver_http_port: one node, no replication, one port fewer to collide -->
                    <listen_host>127.0.0.1</listen_host>
                    <max_connections>256</max_connections>
                    <keep_alive_timeout>3</keep_alive_timeout>
                    <max_concurrent_queries>100</max_concurrent_queries>
                    <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    <mark_cache_size>268435456</mark_cache_size>
                    <path>%1$s/</path>
                    <tmp_path>%1$s/tmp/</tmp_path>
                    <user_files_path>%1$s/user_files/</user_files_path>
                    <format_schema_path>%1$s/format_schemas/</format_schema_path>
                    <users_config>users.xml</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <mlock_executable>false</mlock_executable>
                    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
                    <max_session_timeout>3600</max_session_timeout>
                    <default_session_timeout>60</default_session_timeout>
                </yandex>
                """.formatted(d, l, httpPort, tcpPort);
    }

    private static final String USERS = """
            <?xml version="1.0"?>
            <!-- written by dev.rendezvous.stack.ClickHouse: user "default", no password, loopback only -->
            <yandex>
                <profiles>
                    <default>
                        <max_memory_usage>2000000000</max_memory_usage>
                        <use_uncompressed_cache>0</use_uncompressed_cache>
                        <load_balancing>random</load_balancing>
                    </default>
                </profiles>
                <users>
                    <default>
                        <password></password>
                        <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                        <profile>default</profile>
                        <quota>default</quota>
                    </default>
                </users>
                <quotas>
                    <default>
                        <interval>
                            <duration>3600</duration>
                            <queries>0</queries>
                            <errors>0</errors>
                            <result_rows>0</result_rows>
                            <read_rows>0</read_rows>
                            <execution_time>0</execution_time>
                        </interval>
                    </default>
                </quotas>
            </yandex>
            """;

    /** Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
