package dev.rendezvous.stack;

import static dev.rendezvous.stack.Parallel.awaitAll;
import static dev.rendezvous.stack.Parallel.daemonThreads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The stack's infrastructure, the part our apps depend on: the Kafka broker, PostgreSQL (embedded or an external
 * one), the S3 server, ClickHouse and Aerospike. Knows their ports, creates them, starts them in parallel (Kafka,
 * PostgreSQL, S3 and Aerospike are required; ClickHouse failing only turns analytics off) and stops them in order.
 * {@link Stack} runs the whole lifecycle around it: the data dir's lock, the apps, nginx, VictoriaMetrics.
 */
final class Infrastructure {

    private final Path dataDir;
    private final Path logDir;
    private final Path runDir;
    private final StartLog log;
    private final int kafkaPort;
    private final int kafkaControllerPort;
    private final int postgresPort;
    private final int s3Port;
    private final int clickHouseHttpPort;
    private final int clickHouseTcpPort;
    private final int[] aerospikePorts;
    private final boolean s3Enabled;
    private final boolean clickHouseWanted;
    private final boolean aerospikeWanted;
    private final String externalPostgresUrl;
    private final String externalPostgresUser;
    private final String externalPostgresPassword;
    private final List<String> kafkaJvmOptions;

    private volatile KafkaBroker kafka;
    private volatile Postgres postgres;
    private volatile S3Server s3;
    private volatile ClickHouse clickHouse;
    private volatile AerospikeServer aerospike;

    Infrastructure(StackBuilder b, Map<String, Integer> ports, Path dataDir, Path logDir, Path runDir, StartLog log) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.runDir = runDir;
        this.log = log;
        this.kafkaPort = ports.get("kafka");
        this.kafkaControllerPort = ports.get("kafka-controller");
        this.postgresPort = ports.getOrDefault("postgres", -1);
        this.s3Port = ports.getOrDefault("s3", -1);
        this.clickHouseHttpPort = ports.getOrDefault("clickhouse-http", -1);
        this.clickHouseTcpPort = ports.getOrDefault("clickhouse-tcp", -1);
        this.aerospikePorts = AerospikeServer.PORT_KEYS.stream().mapToInt(ports::get).toArray();
        this.s3Enabled = b.s3;
        this.clickHouseWanted = b.clickHouse;
        this.aerospikeWanted = b.aerospike;
        this.externalPostgresUrl = b.externalPostgresUrl;
        this.externalPostgresUser = b.externalPostgresUser;
        this.externalPostgresPassword = b.externalPostgresPassword;
        this.kafkaJvmOptions = List.copyOf(b.kafkaJvmOptions);
    }

    /** Whether ClickHouse will run: wanted and installed. */
    boolean clickHouseRuns() {
        return clickHouseWanted && ClickHouse.installed();
    }

    /** Whether Aerospike will run: wanted and installed. */
    boolean aerospikeRuns() {
        return aerospikeWanted && AerospikeServer.installed();
    }

    /** The ports the infrastructure will bind, with who wants them, in a stable order. */
    Map<Integer, String> ports(boolean clickHouseRuns, boolean aerospikeRuns) {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(kafkaPort, "Kafka broker");
        m.put(kafkaControllerPort, "Kafka controller");
        if (externalPostgresUrl == null) {
            m.put(postgresPort, "PostgreSQL");
        }
        if (s3Enabled) {
            m.put(s3Port, "S3 server");
        }
        if (clickHouseRuns) {
            m.put(clickHouseHttpPort, "ClickHouse HTTP");
            m.put(clickHouseTcpPort, "ClickHouse TCP");
        }
        if (aerospikeRuns) {
            m.putAll(new java.util.TreeMap<>(AerospikeServer.portNames(aerospikePorts)));
        }
        return m;
    }

    /** An embedded PostgreSQL a previous run on this data dir left running, if any. */
    Optional<ProcessHandle> leftoverPostgres() {
        return externalPostgresUrl != null ? Optional.empty() : Postgres.leftoverPostmaster(dataDir.resolve("postgres"));
    }

    /**
     * Creates the components (nothing runs yet); the caller holds the lock {@link #close()}'s caller takes, so a
     * close while starting sees either none or all of them.
     */
    void create(Secrets secrets, boolean clickHouseRuns, boolean aerospikeRuns) {
        StackListener listener = log.listener();
        kafka = new KafkaBroker(dataDir.resolve("kafka"), kafkaPort, kafkaControllerPort, logDir, runDir, log.clock(),
                listener, kafkaJvmOptions);
        postgres = externalPostgresUrl != null
                ? Postgres.external(externalPostgresUrl, externalPostgresUser, externalPostgresPassword)
                : Postgres.embedded(dataDir.resolve("postgres"), postgresPort, logDir.resolve("postgres.log"), log.clock(),
                        listener);
        s3 = s3Enabled ? new S3Server(dataDir.resolve("s3"), s3Port, secrets.s3AccessKey, secrets.s3SecretKey,
                logDir, runDir, log.clock(), listener) : null;
        clickHouse = clickHouseRuns ? new ClickHouse(dataDir.resolve("clickhouse"), clickHouseHttpPort,
                clickHouseTcpPort, logDir, runDir, log.clock(), listener) : null;
        aerospike = aerospikeRuns ? new AerospikeServer(dataDir.resolve("aerospike"), aerospikePorts, logDir, runDir,
                log.clock(), listener) : null;
        if (aerospikeWanted && !aerospikeRuns) {
            listener.onProgress("Aerospike not found (set " + AerospikeServer.ENV + " or put asd on PATH): "
                    + "the gateway's shared state (rate limits, revocations, presence) is in-process, one gateway only");
        }
        if (clickHouseWanted && !clickHouseRuns) {
            listener.onProgress("ClickHouse not installed (clickhouse-server not on PATH): analytics is off");
        }
    }

    /**
     * Starts what {@link #create} made, in parallel, and waits: a required component failing fails the start (the
     * caller closes everything); ClickHouse failing is a warning and analytics is off.
     */
    void start(String bucket, Duration timeout) {
        ExecutorService pool = Executors.newFixedThreadPool(5, daemonThreads("rendezvous-stack-infra"));
        try {
            List<Future<?>> required = new ArrayList<>();
            KafkaBroker k = kafka;
            required.add(pool.submit(() -> log.timed("Kafka broker",
                    "on " + k.bootstrapServers() + " (controller port " + kafkaControllerPort + ")", () -> k.start(timeout))));
            Postgres pg = postgres;
            if (pg.isEmbedded()) {
                required.add(pool.submit(() -> log.timed("PostgreSQL", "on " + Ports.HOST + ":" + postgresPort,
                        () -> pg.start(timeout))));
            } else {
                required.add(pool.submit(() -> log.timedLine("using external PostgreSQL at " + pg.jdbcUrl(),
                        "external PostgreSQL", () -> pg.start(timeout))));
            }
            S3Server s = s3;
            if (s != null) {
                required.add(pool.submit(() -> log.timed("S3 server", "(s3proxy) on " + s.endpoint(), () -> {
                    s.ensureBucket(bucket);
                    s.start(timeout);
                })));
            }
            ClickHouse c = clickHouse;
            Future<?> ch = c == null ? null : pool.submit(() -> log.timed("ClickHouse", "on " + c.url(),
                    () -> c.start(timeout)));
            AerospikeServer a = aerospike;
            if (a != null) {
                required.add(pool.submit(() -> log.timed("Aerospike", "on " + a.hosts() + " (the gateways' shared state)",
                        () -> a.start(timeout))));
            }
            RuntimeException failure = awaitAll(required);
            if (ch != null) {
                RuntimeException chFailure = awaitAll(List.of(ch));
                if (chFailure != null) {
                    log.listener().onWarning("ClickHouse failed to start, analytics is off: " + chFailure.getMessage());
                    clickHouse = null;
                    c.close();
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** True when anything was created (so a close has something to say it stops). */
    boolean created() {
        return kafka != null || postgres != null;
    }

    /** Stops Kafka, S3, ClickHouse, Aerospike and PostgreSQL, in that order, each by {@code stopper}. */
    void close(Stopper stopper) {
        stopper.stop("Kafka broker", kafka);
        stopper.stop("S3 server", s3);
        stopper.stop("ClickHouse", clickHouse);
        stopper.stop("Aerospike", aerospike);
        stopper.stop("PostgreSQL", postgres);
    }

    /** Closes one component, reporting rather than throwing a failure. */
    interface Stopper {
        void stop(String what, AutoCloseable component);
    }

    // ------------------------------------------------------------------------------------------ accessors

    int kafkaPort() {
        return kafkaPort;
    }

    int kafkaControllerPort() {
        return kafkaControllerPort;
    }

    KafkaBroker kafka() {
        return kafka;
    }

    Postgres postgres() {
        return postgres;
    }

    /** The embedded PostgreSQL's port; -1 with an external one. */
    int postgresPort() {
        return externalPostgresUrl == null ? postgresPort : -1;
    }

    boolean s3Enabled() {
        return s3Enabled;
    }

    S3Server s3() {
        return s3;
    }

    int s3Port() {
        return s3Port;
    }

    ClickHouse clickHouse() {
        return clickHouse;
    }

    int[] clickHousePorts() {
        return new int[] {clickHouseHttpPort, clickHouseTcpPort};
    }

    AerospikeServer aerospike() {
        return aerospike;
    }

    int[] aerospikePorts() {
        return aerospikePorts.clone();
    }
}
