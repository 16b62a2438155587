package dev.rendezvous.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * The whole local Rendezvous stack on 127.0.0.1: Kafka, PostgreSQL, an S3 server, ClickHouse (when
 * installed) and any subset of our four apps, each a real server in a child process. Data lives in one
 * directory and survives restarts; logs go to {@code <dataDir>/logs/<name>.log}.
 *
 * <pre>{@code
 * try (Stack stack = Stack.builder(tempDir).freePorts().noApps().s3(false).clickHouse(false).start()) {
 *     String bootstrap = stack.kafkaBootstrapServers();
 *     ...
 * }
 * }</pre>
 */
public final class Stack implements AutoCloseable {

    public static final String BUCKET = "rendezvous-recordings";
    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_S3_PORT = 19000;
    public static final int DEFAULT_CLICKHOUSE_HTTP_PORT = 18123;
    public static final int DEFAULT_CLICKHOUSE_TCP_PORT = 19001;
    /** VictoriaMetrics' HTTP port (its UI at /vmui), when the stack runs it. */
    public static final int DEFAULT_VICTORIA_METRICS_PORT = 18428;
    /** Aerospike's client port; the next two are its fabric and heartbeat ports. */
    public static final int DEFAULT_AEROSPIKE_PORT = 13000;
    /** The forwarder's media socket (UDP); with {@code freePorts()} the forwarder binds any free port. */
    public static final int DEFAULT_MEDIA_UDP_PORT = 10000;

    // configuration
    private final Path dataDir;
    private final Path logDir;
    private final Path runDir;
    private final Clock clock;
    private final StackListener listener;
    private final StartLog log;
    private final Infrastructure infra;
    private final AppFleet fleet;
    private final String publicUrl;
    private final Duration infraTimeout;
    private final Duration appTimeout;
    private final Path home;
    private final Consumer<Stack> afterInfrastructure;
    private final boolean useShutdownHook;

    // state
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private DataDirLock lock;
    private Thread shutdownHook;
    private volatile Secrets secrets;
    /** nginx in front of the gateways when there are several, else null. */
    private volatile Nginx nginx;
    /** VictoriaMetrics scraping the apps, when wanted and installed, else null. */
    private volatile VictoriaMetrics victoriaMetrics;
    private final boolean victoriaMetricsWanted;
    private final int victoriaMetricsPort;

    Stack(StackBuilder b, Map<String, Integer> ports) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.logDir = dataDir.resolve("logs");
        this.runDir = dataDir.resolve("run");
        this.clock = b.clock;
        this.listener = b.listener;
        this.log = new StartLog(clock, listener);
        this.infra = new Infrastructure(b, ports, dataDir, logDir, runDir, log);
        this.fleet = new AppFleet(b, ports, logDir, runDir, log);
        this.victoriaMetricsWanted = b.victoriaMetrics;
        this.victoriaMetricsPort = ports.getOrDefault("victoria-metrics", -1);
        this.publicUrl = b.publicUrl != null ? b.publicUrl : "http://" + Ports.HOST + ":" + fleet.appPort(App.EDGE_GATEWAY);
        this.infraTimeout = b.infraTimeout;
        this.appTimeout = b.appTimeout;
        this.home = b.home;
        this.afterInfrastructure = b.afterInfrastructure;
        this.useShutdownHook = b.shutdownHook;
    }

    public static StackBuilder builder() {
        return new StackBuilder();
    }

    public static StackBuilder builder(Path dataDir) {
        return new StackBuilder().dataDir(dataDir);
    }

    // ------------------------------------------------------------------------------------------ start

    /**
     * Starts everything: checks that every port is free and the apps are built (before starting anything),
     * then Kafka, PostgreSQL, S3 and ClickHouse in parallel, then the {@code afterInfrastructure} hook, then
     * the apps in parallel. On failure everything started so far is stopped and a {@link StackException}
     * ({@link PortInUseException} for a taken port) is thrown.
     */
    public Stack start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Stack starts once; build a new one to start again");
        }
        Instant t0 = clock.instant();
        try {
            synchronized (this) {
                requireNotClosing();
                lock = DataDirLock.acquire(dataDir);
                if (useShutdownHook) {
                    shutdownHook = new Thread(this::close, "rendezvous-stack-shutdown");
                    Runtime.getRuntime().addShutdownHook(shutdownHook);
                }
            }
            stopLeftovers();
            boolean clickHouseRuns = infra.clickHouseRuns();
            boolean aerospikeRuns = infra.aerospikeRuns();
            Ports.requireFree(portsToCheck(clickHouseRuns, aerospikeRuns));
            Map<App, Path> jars = new EnumMap<>(App.class);
            if (!fleet.apps().isEmpty()) {
                Path h = home != null ? home : RepoHome.require();
                for (App a : fleet.apps()) {
                    jars.put(a, RepoHome.requireExecJar(h, a));
                }
            }
            Optional<Path> nginxBinary = Optional.empty();
            if (nginxInFront()) {
                nginxBinary = Optional.of(Nginx.find().orElseThrow(() -> new StackException(
                        fleet.instances(App.EDGE_GATEWAY).size() + " gateways need nginx in front of them (the one entry on port "
                                + fleet.appPort(App.EDGE_GATEWAY) + "), and nginx is not installed: apt-get install nginx"
                                + " (or set " + Nginx.ENV + " to an nginx binary), or run one gateway")));
            }
            PrivateFiles.directory(logDir);
            secrets = Secrets.loadOrCreate(dataDir);
            synchronized (this) {
                requireNotClosing();
                infra.create(secrets, clickHouseRuns, aerospikeRuns);
            }
            infra.start(BUCKET, infraTimeout);
            if (afterInfrastructure != null) {
                afterInfrastructure.accept(this);
            }
            startApps(jars);
            if (nginxBinary.isPresent()) {
                startNginx(nginxBinary.get());
            }
            if (victoriaMetricsWanted) {
                startVictoriaMetrics();
            }
            listener.onProgress("stack ready in " + Poll.since(clock, t0));
            return this;
        } catch (IOException e) {
            closeAfterFailure();
            throw new StackException("cannot start the stack in " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfterFailure();
            throw e;
        }
    }

    private void closeAfterFailure() {
        try {
            close();
        } catch (RuntimeException suppressed) {
            listener.onWarning("while stopping after a failed start: " + suppressed);
        }
    }

    private synchronized void requireNotClosing() {
        if (closing.get()) {
            throw new StackException("the stack was closed while starting");
        }
    }

    /** Stops what a previous run on this data dir left running (its launcher was killed hard). */
    private void stopLeftovers() {
        Map<ProcessHandle, String> leftovers = new LinkedHashMap<>();
        if (Files.isDirectory(runDir)) {
            try (Stream<Path> files = Files.list(runDir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".pid")).sorted().forEach(f ->
                        ChildProcess.leftover(f).ifPresent(ph -> {
                            listener.onWarning("stopping leftover " + f.getFileName().toString().replaceFirst("\\.pid$", "")
                                    + " (pid " + ph.pid() + ") from a previous run that did not shut down");
                            leftovers.put(ph, null);
                        }));
            } catch (IOException e) {
                listener.onWarning("cannot look for leftover processes in " + runDir + ": " + e.getMessage());
            }
        }
        infra.leftoverPostgres().ifPresent(ph -> {
            listener.onWarning("stopping leftover PostgreSQL (pid " + ph.pid() + ") from a previous run that did not shut down");
            leftovers.put(ph, "INT"); // fast shutdown
        });
        if (!leftovers.isEmpty()) {
            ChildProcess.stopAll(leftovers, Duration.ofSeconds(20));
        }
    }

    /** Every port this stack will bind, with who wants it, in a stable order. */
    Map<Integer, String> portsToCheck(boolean clickHouseRuns, boolean aerospikeRuns) {
        Map<Integer, String> m = infra.ports(clickHouseRuns, aerospikeRuns);
        if (nginxInFront()) {
            m.put(fleet.appPort(App.EDGE_GATEWAY), "nginx (the gateways' public entry)");
        }
        if (victoriaMetricsWanted && VictoriaMetrics.find().isPresent()) {
            m.put(victoriaMetricsPort, "VictoriaMetrics");
        }
        fleet.addPorts(m);
        return m;
    }

    private void startApps(Map<App, Path> jars) {
        if (fleet.apps().isEmpty()) {
            return;
        }
        synchronized (this) {
            requireNotClosing();
            fleet.create(jars, this::appLaunch);
        }
        fleet.startAll(appTimeout);
    }

    /** With several gateways: nginx on the gateway's public port, balancing over them. */
    private void startNginx(Path binary) {
        List<String> upstreams = new ArrayList<>();
        fleet.instances(App.EDGE_GATEWAY).forEach(i -> upstreams.add(Ports.HOST + ":" + i.port()));
        Nginx n = new Nginx(binary, dataDir.resolve("nginx"), fleet.appPort(App.EDGE_GATEWAY), upstreams, logDir, runDir,
                clock, listener);
        synchronized (this) {
            requireNotClosing();
            nginx = n;
        }
        log.timed("nginx", "on " + Ports.HOST + ":" + n.port() + " in front of " + String.join(", ", upstreams),
                () -> n.start(infraTimeout));
    }

    /**
     * VictoriaMetrics scraping every app, when installed: a newcomer can graph the run. Optional: not installed or
     * failing to start is a line of progress or a warning, never a failed stack.
     */
    private void startVictoriaMetrics() {
        Optional<Path> binary = VictoriaMetrics.find();
        if (binary.isEmpty()) {
            listener.onProgress("VictoriaMetrics not installed (apt-get install victoria-metrics): no metrics store;"
                    + " each app's figures are at /actuator/prometheus on its management port");
            return;
        }
        Map<String, AppInstance> targets = new LinkedHashMap<>();
        for (App a : fleet.apps()) {
            fleet.instances(a).forEach(i -> targets.put(i.name(), i));
        }
        VictoriaMetrics vm = new VictoriaMetrics(binary.get(), dataDir.resolve("victoria-metrics"), victoriaMetricsPort,
                targets, logDir, runDir, clock, listener);
        synchronized (this) {
            requireNotClosing();
            victoriaMetrics = vm;
        }
        try {
            log.timed("VictoriaMetrics", "on " + vm.url() + " scraping " + targets.size() + " app process(es)",
                    () -> vm.start(infraTimeout));
        } catch (RuntimeException e) {
            listener.onWarning("VictoriaMetrics failed to start, no metrics store: " + e.getMessage());
            victoriaMetrics = null;
            vm.close();
        }
    }

    /** VictoriaMetrics' URL (its UI at {@code /vmui}), or null when it does not run. */
    public String victoriaMetricsUrl() {
        VictoriaMetrics vm = victoriaMetrics;
        return vm == null ? null : vm.url();
    }

    /** True when this stack runs several gateways, and so nginx in front of them. */
    boolean nginxInFront() {
        return fleet.several(App.EDGE_GATEWAY);
    }

    // ------------------------------------------------------------------------------------------ app arguments

    List<String> appJvmOptions(App app) {
        return fleet.jvmOptions(app);
    }

    /** The first instance's wiring (see {@link #appLaunch(AppInstance)}). */
    AppLaunch appLaunch(App app) {
        return appLaunch(fleet.first(app));
    }

    /** The instance's wiring ({@link AppWiring}), then the caller's extra args (same {@code --key} replaces). */
    AppLaunch appLaunch(AppInstance instance) {
        return AppWiring.launch(this, instance).extra(fleet.extraArgs(instance.app()));
    }

    // ------------------------------------------------------------------------------------------ accessors

    public Path dataDir() {
        return dataDir;
    }

    public Path logDir() {
        return logDir;
    }

    /** {@code <dataDir>/logs/<name>.log}, e.g. {@code logFile("kafka")}, {@code logFile("edge-gateway")}. */
    public Path logFile(String name) {
        return logDir.resolve(name + ".log");
    }

    public String kafkaBootstrapServers() {
        return Ports.HOST + ":" + infra.kafkaPort();
    }

    public int kafkaPort() {
        return infra.kafkaPort();
    }

    public int kafkaControllerPort() {
        return infra.kafkaControllerPort();
    }

    /** A new Admin client on the stack's broker; the caller closes it. */
    public Admin newKafkaAdmin() {
        return requireStarted(infra.kafka(), "Kafka").newAdmin();
    }

    public Postgres postgres() {
        return requireStarted(infra.postgres(), "PostgreSQL");
    }

    public String postgresJdbcUrl() {
        return postgres().jdbcUrl();
    }

    public String postgresR2dbcUrl() {
        return postgres().r2dbcUrl();
    }

    public String postgresUsername() {
        return postgres().username();
    }

    public String postgresPassword() {
        return postgres().password();
    }

    /** The embedded PostgreSQL's port; -1 with an external one. */
    public int postgresPort() {
        return infra.postgresPort();
    }

    public boolean s3Enabled() {
        return infra.s3Enabled();
    }

    public String s3Endpoint() {
        return requireStarted(infra.s3(), "S3").endpoint();
    }

    public int s3Port() {
        return infra.s3Port();
    }

    public String s3AccessKey() {
        return requireStarted(infra.s3(), "S3").accessKey();
    }

    public String s3SecretKey() {
        return requireStarted(infra.s3(), "S3").secretKey();
    }

    public String s3Bucket() {
        return BUCKET;
    }

    public String s3Region() {
        return S3Server.REGION;
    }

    /** ClickHouse's HTTP URL, or null when it is not running (not installed, disabled or failed). */
    public String clickHouseUrl() {
        ClickHouse c = infra.clickHouse();
        return c == null ? null : c.url();
    }

    /** Aerospike's {@code host:port} (the gateways' shared state), or null when it does not run. */
    public String aerospikeHosts() {
        AerospikeServer a = infra.aerospike();
        return a == null ? null : a.hosts();
    }

    public boolean analyticsEnabled() {
        return infra.clickHouse() != null;
    }

    /** The ports ClickHouse uses if it runs: {@code [http, tcp]}. */
    public int[] clickHousePorts() {
        return infra.clickHousePorts();
    }

    /** The JWT signing key the gateway gets (base64 of 32 bytes, kept in the data dir). */
    public String jwtSecret() {
        return requireStarted(secrets, "stack").jwtSecret;
    }

    public Set<App> apps() {
        return fleet.apps();
    }

    /** The processes of an app this stack runs (one, or several gateways or forwarders); empty if it runs none. */
    public List<AppInstance> instances(App app) {
        return fleet.instances(app);
    }

    /** The app's HTTP port: for the gateway the public entry (nginx's when several run), else its first process's. */
    public int appPort(App app) {
        return app == App.EDGE_GATEWAY ? fleet.appPort(app) : fleet.first(app).port();
    }

    public String appBaseUrl(App app) {
        return "http://" + Ports.HOST + ":" + appPort(app);
    }

    /** The app's (first process's) actuator port (health, Prometheus), bound to 127.0.0.1. */
    public int managementPort(App app) {
        return fleet.first(app).managementPort();
    }

    /** {@code http://127.0.0.1:<management port>}: {@code /actuator/health}, {@code /actuator/prometheus}. */
    public String appManagementUrl(App app) {
        return "http://" + Ports.HOST + ":" + managementPort(app);
    }

    /** nginx's pid when it runs in front of several gateways, else -1. */
    public long nginxPid() {
        Nginx n = nginx;
        return n == null ? -1 : n.pid();
    }

    /** Every process of this stack, for the run state that {@code ./rendezvous status} reads. */
    public List<StackProcess> processes() {
        Postgres pg = infra.postgres();
        return StackProcess.of(this, dataDir, runDir, infra.kafka() != null, pg != null && pg.isEmbedded(), infra.s3() != null,
                infra.clickHouse() != null, infra.aerospike() != null, nginx != null, infra.aerospikePorts(),
                victoriaMetrics != null, victoriaMetricsPort);
    }

    /** {@code http://127.0.0.1:<gateway port>}. */
    public String gatewayBaseUrl() {
        return appBaseUrl(App.EDGE_GATEWAY);
    }

    /** The URL the gateway advertises to browsers ({@code --rendezvous.gateway.public-url}). */
    public String publicUrl() {
        return publicUrl;
    }

    public boolean isAppRunning(App app) {
        return isAppRunning(fleet.first(app).name());
    }

    /** By instance name ({@link AppInstance#name()}). */
    public boolean isAppRunning(String instance) {
        return fleet.isRunning(instance);
    }

    /** The app's (first process's) child process id, -1 if it is not running. */
    public long appPid(App app) {
        return appPid(fleet.first(app).name());
    }

    /** By instance name ({@link AppInstance#name()}). */
    public long appPid(String instance) {
        return fleet.pid(instance);
    }

    /** The full command line an app is (or would be) started with. */
    public List<String> appCommand(App app) {
        return fleet.command(fleet.first(app).name());
    }

    // ------------------------------------------------------------------------------------------ app control

    /**
     * Stops one app: gracefully (SIGTERM, up to 15 s, then SIGKILL) or, with {@code hard}, by SIGKILL at once
     * to simulate a crash. The rest of the stack keeps running.
     */
    public void stopApp(App app, boolean hard) {
        stopApp(fleet.first(app).name(), hard);
    }

    /** Stops one process by instance name ({@link AppInstance#name()}), as {@link #stopApp(App, boolean)}. */
    public void stopApp(String instance, boolean hard) {
        fleet.stop(instance, hard);
    }

    /** Starts a stopped app again with the same arguments and waits until it is healthy. */
    public void startApp(App app) {
        startApp(fleet.first(app).name());
    }

    /** By instance name ({@link AppInstance#name()}), as {@link #startApp(App)}. */
    public void startApp(String instance) {
        if (closing.get()) {
            throw new StackException("the stack is closed");
        }
        fleet.start(instance, appTimeout);
    }

    private static <T> T requireStarted(T component, String what) {
        if (component == null) {
            throw new IllegalStateException(what + " is not running in this stack");
        }
        return component;
    }

    // ------------------------------------------------------------------------------------------ stop

    /**
     * Stops everything, apps first (SIGTERM, up to 15 s each, then SIGKILL), then Kafka, S3, ClickHouse and
     * PostgreSQL, and any process of this stack still alive. Data stays. Idempotent; a second caller waits
     * for the first to finish.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        Instant t0 = clock.instant();
        try {
            boolean infraCreated;
            List<AppProcess> running;
            synchronized (this) {
                infraCreated = infra.created();
                running = fleet.created();
            }
            if (infraCreated || !running.isEmpty()) {
                listener.onProgress("stopping the stack");
            }
            quietly("VictoriaMetrics", victoriaMetrics);
            quietly("nginx", nginx);
            AppFleet.stopAll(running, this::quietly);
            infra.close(this::quietly);
            killStragglers();
            if (infraCreated) {
                listener.onProgress("stack stopped in " + Poll.since(clock, t0));
            }
        } finally {
            synchronized (this) {
                if (lock != null) {
                    lock.close();
                    lock = null;
                }
                if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(shutdownHook);
                    } catch (IllegalStateException shuttingDown) {
                        // the JVM is exiting: the hook runs (or ran) close() itself
                    }
                }
            }
            closed.countDown();
        }
    }

    private void quietly(String what, AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            listener.onWarning("stopping " + what + ": " + e);
        }
    }

    /** Any descendant of this JVM whose command line names this stack's data dir is one of ours: kill it. */
    private void killStragglers() {
        String dir = dataDir.toString();
        ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
                .forEach(p -> {
                    listener.onWarning("killing leftover child process " + p.pid() + ": "
                            + p.info().command().orElse("?"));
                    p.destroyForcibly();
                });
    }

    /** Blocks until {@link #close()} has finished (e.g. from a shutdown hook). */
    public void awaitClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isClosed() {
        return closing.get();
    }
}
