package dev.rendezvous.stack;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** Configures a {@link Stack}; {@link #start()} builds and starts it ({@code Stack.builder(dir)…start()}). */
public final class StackBuilder {

    Path dataDir;
    boolean freePorts;
    Integer kafkaPort;
    Integer kafkaControllerPort;
    Integer postgresPort;
    Integer s3Port;
    Integer clickHouseHttpPort;
    Integer clickHouseTcpPort;
    final Map<App, Integer> appPorts = new EnumMap<>(App.class);
    final Map<App, Integer> managementPorts = new EnumMap<>(App.class);
    Set<App> apps = EnumSet.allOf(App.class);
    final Map<App, Integer> instances = new EnumMap<>(App.class);
    boolean s3 = true;
    boolean clickHouse = true;
    boolean victoriaMetrics = false;
    boolean aerospike = true;
    String externalPostgresUrl;
    String externalPostgresUser;
    String externalPostgresPassword;
    final Map<App, List<String>> jvmOptions = new EnumMap<>(App.class);
    final Map<App, List<String>> extraArgs = new EnumMap<>(App.class);
    final List<String> kafkaJvmOptions = new ArrayList<>();
    String publicUrl;
    Clock clock = Clock.systemUTC();
    StackListener listener = StackListener.logging();
    Duration infraTimeout = Duration.ofSeconds(90);
    Duration appTimeout = Duration.ofSeconds(180);
    Path home;
    Consumer<Stack> afterInfrastructure;
    boolean shutdownHook = true;

    StackBuilder() {}

    /** Where everything is kept (required): kafka/, postgres/, s3/, clickhouse/, streams-state/, logs/. */
    public StackBuilder dataDir(Path dataDir) {
        this.dataDir = dataDir;
        return this;
    }

    /** Every port not set explicitly is a free ephemeral port instead of the fixed default. */
    public StackBuilder freePorts() {
        this.freePorts = true;
        return this;
    }

    public StackBuilder kafkaPort(int port) {
        this.kafkaPort = port;
        return this;
    }

    public StackBuilder kafkaControllerPort(int port) {
        this.kafkaControllerPort = port;
        return this;
    }

    public StackBuilder postgresPort(int port) {
        this.postgresPort = port;
        return this;
    }

    public StackBuilder s3Port(int port) {
        this.s3Port = port;
        return this;
    }

    public StackBuilder clickHousePorts(int httpPort, int tcpPort) {
        this.clickHouseHttpPort = httpPort;
        this.clickHouseTcpPort = tcpPort;
        return this;
    }

    /** The app's HTTP port ({@code --server.port}). */
    public StackBuilder appPort(App app, int port) {
        appPorts.put(app, port);
        return this;
    }

    /** The app's actuator port ({@code --management.server.port}, bound to 127.0.0.1). */
    public StackBuilder managementPort(App app, int port) {
        managementPorts.put(app, port);
        return this;
    }

    /** Use this PostgreSQL (JDBC URL naming the database) instead of starting an embedded one. */
    public StackBuilder externalPostgres(String jdbcUrl, String username, String password) {
        this.externalPostgresUrl = jdbcUrl;
        this.externalPostgresUser = username;
        this.externalPostgresPassword = password;
        return this;
    }

    /** Which apps to run (default: all four). */
    public StackBuilder apps(App... apps) {
        return apps(Arrays.asList(apps));
    }

    public StackBuilder apps(Collection<App> apps) {
        this.apps = apps.isEmpty() ? EnumSet.noneOf(App.class) : EnumSet.copyOf(apps);
        return this;
    }

    /** Infrastructure only. */
    public StackBuilder noApps() {
        this.apps = EnumSet.noneOf(App.class);
        return this;
    }

    /**
     * How many processes of an app to run (default 1): gateways and forwarders only, at most
     * {@link AppInstance#MAX_INSTANCES}. With more than one gateway, nginx (Debian's, {@link Nginx#find()}) is the
     * one entry on the gateway's port and balances over the gateways, which get ports of their own.
     */
    public StackBuilder instances(App app, int count) {
        if (count < 1 || count > AppInstance.MAX_INSTANCES) {
            throw new IllegalArgumentException("the number of " + app + " processes must be within 1.."
                    + AppInstance.MAX_INSTANCES + ": " + count);
        }
        if (count > 1 && app != App.EDGE_GATEWAY && app != App.MEDIA_FORWARDER) {
            throw new IllegalArgumentException("only edge-gateway and media-forwarder run as several processes, not " + app);
        }
        instances.put(app, count);
        return this;
    }

    /** Run the S3 server (default true; the gateway and the recorder need it). */
    public StackBuilder s3(boolean enabled) {
        this.s3 = enabled;
        return this;
    }

    /** Run ClickHouse if it is installed (default true). */
    public StackBuilder clickHouse(boolean enabled) {
        this.clickHouse = enabled;
        return this;
    }

    /**
     * Run VictoriaMetrics scraping every app when Debian's {@code victoria-metrics} is installed (default false: the
     * launcher turns it on for {@code ./rendezvous up}).
     */
    public StackBuilder victoriaMetrics(boolean enabled) {
        this.victoriaMetrics = enabled;
        return this;
    }

    /** Run Aerospike if an asd binary is found ($RENDEZVOUS_ASD or PATH; default true). */
    public StackBuilder aerospike(boolean enabled) {
        this.aerospike = enabled;
        return this;
    }

    /** Extra JVM options for an app (after the default {@code -Xmx384m}, so a later -Xmx wins). */
    public StackBuilder appJvmOptions(App app, String... options) {
        jvmOptions.computeIfAbsent(app, a -> new ArrayList<>()).addAll(Arrays.asList(options));
        return this;
    }

    /** Extra arguments for an app, e.g. {@code --rendezvous.gateway.chat-rate=2000}; they replace the stack's own value for the same key. */
    public StackBuilder appArgs(App app, String... args) {
        extraArgs.computeIfAbsent(app, a -> new ArrayList<>()).addAll(Arrays.asList(args));
        return this;
    }

    /**
     * Extra JVM options for the Kafka broker (after its {@code -Xmx512m}); e.g. tests that restart it often
     * may pass {@code -XX:TieredStopAtLevel=1} (starts ~30% faster, runs slower).
     */
    public StackBuilder kafkaJvmOptions(String... options) {
        kafkaJvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /** The URL browsers use to reach the gateway (default {@code http://127.0.0.1:<gateway port>}). */
    public StackBuilder publicUrl(String url) {
        this.publicUrl = url;
        return this;
    }

    public StackBuilder listener(StackListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    public StackBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /** Deadline for each infrastructure server to become ready (default 90 s). */
    public StackBuilder startupTimeout(Duration timeout) {
        this.infraTimeout = timeout;
        return this;
    }

    /** Deadline for each app to become healthy (default 180 s: four Spring Boot apps share 2 cores). */
    public StackBuilder appStartupTimeout(Duration timeout) {
        this.appTimeout = timeout;
        return this;
    }

    /** The repository root holding the apps' jars (default: {@link RepoHome#find()}). */
    public StackBuilder home(Path home) {
        this.home = home;
        return this;
    }

    /** Runs after the infrastructure is ready and before the apps start (e.g. to create Kafka topics). */
    public StackBuilder afterInfrastructure(Consumer<Stack> hook) {
        this.afterInfrastructure = hook;
        return this;
    }

    /** Close the stack from a JVM shutdown hook (default true), so that Ctrl-C or SIGTERM leaves nothing behind. */
    public StackBuilder shutdownHook(boolean enabled) {
        this.shutdownHook = enabled;
        return this;
    }

    /** Resolves the ports and validates the configuration; nothing is started. */
    public Stack build() {
        if (dataDir == null) {
            throw new IllegalArgumentException("dataDir is required");
        }
        for (App a : apps) {
            if (a.needsS3() && !s3) {
                throw new IllegalArgumentException(a + " needs the S3 server: do not disable s3");
            }
        }
        Map<String, Integer> explicit = new LinkedHashMap<>();
        Map<String, Integer> defaults = new LinkedHashMap<>();
        put(explicit, defaults, "kafka", kafkaPort, Stack.DEFAULT_KAFKA_PORT);
        put(explicit, defaults, "kafka-controller", kafkaControllerPort, Stack.DEFAULT_KAFKA_CONTROLLER_PORT);
        put(explicit, defaults, "postgres", postgresPort, Stack.DEFAULT_POSTGRES_PORT);
        put(explicit, defaults, "s3", s3Port, Stack.DEFAULT_S3_PORT);
        put(explicit, defaults, "clickhouse-http", clickHouseHttpPort, Stack.DEFAULT_CLICKHOUSE_HTTP_PORT);
        put(explicit, defaults, "clickhouse-tcp", clickHouseTcpPort, Stack.DEFAULT_CLICKHOUSE_TCP_PORT);
        put(explicit, defaults, "victoria-metrics", null, Stack.DEFAULT_VICTORIA_METRICS_PORT);
        for (int i = 0; i < AerospikeServer.PORT_KEYS.size(); i++) {
            put(explicit, defaults, AerospikeServer.PORT_KEYS.get(i), null, Stack.DEFAULT_AEROSPIKE_PORT + i);
        }
        for (App a : App.values()) {
            put(explicit, defaults, a.module(), appPorts.get(a), a.defaultPort());
            put(explicit, defaults, a.module() + App.MANAGEMENT, managementPorts.get(a), a.defaultManagementPort());
            int count = instances.getOrDefault(a, 1);
            for (int i = 1; count > 1 && i <= count; i++) {
                int port = AppInstance.defaultPort(a, i, count);
                put(explicit, defaults, AppInstance.name(a, i, count), null, port);
                put(explicit, defaults, AppInstance.name(a, i, count) + App.MANAGEMENT, null, port + 1000);
            }
        }
        Map<String, Integer> ports = new LinkedHashMap<>(explicit);
        if (freePorts) {
            Iterator<Integer> free = Ports.freePorts(defaults.size()).iterator();
            defaults.keySet().forEach(k -> ports.put(k, free.next()));
        } else {
            ports.putAll(defaults);
        }
        Map<Integer, String> seen = new LinkedHashMap<>();
        ports.forEach((name, port) -> {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " for " + name + " is not a valid TCP port");
            }
            String other = seen.putIfAbsent(port, name);
            if (other != null) {
                throw new IllegalArgumentException("port " + port + " is configured for both " + other + " and " + name);
            }
        });
        return new Stack(this, ports);
    }

    private static void put(Map<String, Integer> explicit, Map<String, Integer> defaults, String name,
                            Integer value, int fallback) {
        if (value != null) {
            explicit.put(name, value);
        } else {
            defaults.put(name, fallback);
        }
    }

    /** {@code build().start()}. */
    public Stack start() {
        return build().start();
    }
}
