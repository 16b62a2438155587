package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.nio.file.Files;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The embedded stack with real servers (Kafka, PostgreSQL, s3proxy, ClickHouse when installed) on free
 * ports in temporary directories. The apps are stood in for by {@link FakeApp}, a real tiny HTTP server
 * in its own JVM, since the real apps are other modules.
 */
class StackIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Clock CLOCK = Clock.systemUTC();
    /** The brokers here live for seconds: C1 only starts them ~30% faster. */
    private static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    @TempDir
    static Path sharedDir;

    private static Stack stack;
    private static final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startSharedStack() throws IOException {
        Path home = FakeApps.home(sharedDir.resolve("home"));
        stack = Stack.builder(sharedDir.resolve("data"))
                .freePorts()
                .kafkaJvmOptions(QUICK_START)
                .home(home)
                .appArgs(App.EDGE_GATEWAY, "--rendezvous.gateway.chat-rate=2000", "--rendezvous.gateway.id=gw-test")
                .listener(recording(progress))
                .start();
    }

    @AfterAll
    static void stopSharedStack() {
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------------------------- servers answer

    @Test
    void shouldProduceAndConsumeARecordThroughTheBroker() throws Exception {
        String topic = "it-" + UUID.randomUUID();
        try (Admin admin = stack.newKafkaAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        produce(stack.kafkaBootstrapServers(), topic, "room-1", "hello");

        assertThat(consumeAll(stack.kafkaBootstrapServers(), topic, 1)).containsExactly("room-1=hello");
    }

    @Test
    void shouldRefuseToCreateTopicsImplicitly() throws Exception {
        try (Admin admin = stack.newKafkaAdmin()) {
            String topic = "never-created-" + UUID.randomUUID();
            Properties p = producerProps(stack.kafkaBootstrapServers());
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get())
                        .hasMessageContaining("not present in metadata");
            }
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    @Test
    void shouldRunSqlInTheRendezvousDatabase() throws Exception {
        assertThat(stack.postgresJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/rendezvous");
        assertThat(stack.postgresR2dbcUrl()).isEqualTo("r2dbc:postgresql://127.0.0.1:" + stack.postgresPort() + "/rendezvous");
        try (Connection c = stack.postgres().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sql_check (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO sql_check VALUES (1, 'ada')");
            try (ResultSet rs = s.executeQuery("SELECT current_database(), name FROM sql_check")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("rendezvous");
                assertThat(rs.getString(2)).isEqualTo("ada");
            }
            try (ResultSet rs = s.executeQuery("SHOW fsync")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("kept data is crash-safe").isEqualTo("on");
            }
        }
    }

    @Test
    void shouldStoreAndReturnAnObjectThroughTheS3Api() {
        try (S3Client s3 = s3Client()) {
            s3.putObject(b -> b.bucket(stack.s3Bucket()).key("rooms/r1/recording.webm"),
                    RequestBody.fromString("not really a video"));

            String back = s3.getObjectAsBytes(b -> b.bucket(stack.s3Bucket()).key("rooms/r1/recording.webm")).asUtf8String();

            assertThat(back).isEqualTo("not really a video");
        }
        assertThat(stack.dataDir().resolve("s3/data/" + Stack.BUCKET + "/rooms/r1/recording.webm")).exists();
    }

    @Test
    void shouldRefuseUnsignedRequestsWithAnS3ErrorEvenForExistingObjects() throws Exception {
        try (S3Client s3 = s3Client()) {
            s3.putObject(b -> b.bucket(stack.s3Bucket()).key("private.txt"), RequestBody.fromString("secret"));
        }
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/" + stack.s3Bucket() + "/private.txt", "/" + stack.s3Bucket(), "/")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.s3Endpoint() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as("unsigned GET %s", path).isEqualTo(403);
            assertThat(r.body()).contains("<Error>").contains("<Code>AccessDenied</Code>").doesNotContain("secret");
        }
    }

    @Test
    void shouldRunAerospikeForTheGatewayWhenAnAsdIsFound() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(AerospikeServer.installed())
                    .as("CI provides asd (.ci/run sets RENDEZVOUS_ASD): the gateways' shared state must be tested").isTrue();
        }
        assumeTrue(AerospikeServer.installed(), "no asd (RENDEZVOUS_ASD unset, asd not on PATH)");
        String hosts = stack.aerospikeHosts();
        assertThat(hosts).startsWith("127.0.0.1:");
        int port = Integer.parseInt(hosts.substring(hosts.indexOf(':') + 1));
        assertThat(Ports.accepts(port)).isTrue();
        assertThat(Files.readString(stack.logFile("aerospike"))).contains("rebalanced");
        assertThat(stack.appLaunch(App.EDGE_GATEWAY).args()).contains("--rendezvous.aerospike.hosts=" + hosts);
        assertThat(progress).anyMatch(l -> l.startsWith("Aerospike ready in"));
    }

    @Test
    void shouldAnswerSelectOneOnClickHouseWhenInstalled() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(ClickHouse.installed()).as("CI installs clickhouse-server (.ci/run): analytics must be tested").isTrue();
        }
        assumeTrue(ClickHouse.installed(), "clickhouse-server is not installed");
        assertThat(stack.clickHouseUrl()).isEqualTo("http://127.0.0.1:" + stack.clickHousePorts()[0]);

        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.clickHouseUrl() + "/"))
                        .POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body().trim()).isEqualTo("1");
    }

    @Test
    void shouldReportProgressForEveryComponent() {
        assertThat(progress).anyMatch(m -> m.equals("starting Kafka broker on " + stack.kafkaBootstrapServers()
                + " (controller port " + stack.kafkaControllerPort() + ")"));
        assertThat(progress).anyMatch(m -> m.matches("Kafka broker ready in \\d+\\.\\d s"));
        assertThat(progress).anyMatch(m -> m.matches("PostgreSQL ready in \\d+\\.\\d s"));
        assertThat(progress).anyMatch(m -> m.matches("S3 server ready in \\d+\\.\\d s"));
        assertThat(progress).anyMatch(m -> m.matches("edge-gateway ready in \\d+\\.\\d s"));
        assertThat(progress).anyMatch(m -> m.matches("stack ready in \\d+\\.\\d s"));
    }

    // ------------------------------------------------------------------------------------- apps

    @Test
    void shouldPassTheStackWiringAndExtraArgsToEachApp() throws Exception {
        List<String> gw = appArgs(App.EDGE_GATEWAY);
        assertThat(gw).contains(
                "--server.port=" + stack.appPort(App.EDGE_GATEWAY),
                "--management.server.port=" + stack.managementPort(App.EDGE_GATEWAY),
                "--management.server.address=127.0.0.1",
                "--rendezvous.kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
                "--spring.r2dbc.url=" + stack.postgresR2dbcUrl(),
                "--spring.r2dbc.username=" + stack.postgresUsername(),
                "--rendezvous.gateway.public-url=" + stack.gatewayBaseUrl(),
                "--rendezvous.s3.endpoint=" + stack.s3Endpoint(),
                "--rendezvous.s3.bucket=rendezvous-recordings",
                "--rendezvous.gateway.chat-rate=2000");
        // the secrets reach the app through the file it imports, not its command line
        Properties gwSecrets = appSecrets(App.EDGE_GATEWAY);
        assertThat(gwSecrets).containsEntry("spring.r2dbc.password", stack.postgresPassword())
                .containsEntry("rendezvous.auth.jwt-secret", stack.jwtSecret())
                .containsEntry("rendezvous.s3.access-key", stack.s3AccessKey())
                .containsEntry("rendezvous.s3.secret-key", stack.s3SecretKey());
        assertThat(gw).noneMatch(a -> a.contains("password") || a.contains("jwt-secret") || a.contains("-key="));
        // one gateway is the public entry; the others listen on loopback only
        assertThat(gw).noneMatch(a -> a.startsWith("--server.address="));
        for (App other : List.of(App.STREAM_APPS, App.MEDIA_FORWARDER, App.RECORDER)) {
            assertThat(appArgs(other)).as(other.module()).contains("--server.address=127.0.0.1");
        }
        assertThat(appSecrets(App.RECORDER)).containsEntry("rendezvous.s3.secret-key", stack.s3SecretKey())
                .doesNotContainKey("rendezvous.auth.jwt-secret");
        assertThat(appSecrets(App.MEDIA_FORWARDER)).isEmpty();
        // an extra arg replaces the stack's own value instead of doubling the option
        assertThat(gw).contains("--rendezvous.gateway.id=gw-test").doesNotContain("--rendezvous.gateway.id=gw-1");
        assertThat(java.util.Base64.getDecoder().decode(stack.jwtSecret())).hasSize(32);

        List<String> streams = appArgs(App.STREAM_APPS);
        assertThat(streams).contains("--rendezvous.streams.state-dir=" + stack.dataDir().resolve("streams-state"));
        if (stack.analyticsEnabled()) {
            assertThat(streams).contains("--rendezvous.clickhouse.url=" + stack.clickHouseUrl());
            assertThat(gw).contains("--rendezvous.clickhouse.url=" + stack.clickHouseUrl());
        } else {
            assertThat(streams).noneMatch(a -> a.startsWith("--rendezvous.clickhouse.url"));
            assertThat(gw).noneMatch(a -> a.startsWith("--rendezvous.clickhouse.url"));
        }
        assertThat(appArgs(App.MEDIA_FORWARDER)).contains("--rendezvous.forwarder.id=fwd-1",
                "--rendezvous.forwarder.region=local", "--rendezvous.forwarder.advertised-address=127.0.0.1");
        assertThat(appArgs(App.RECORDER)).contains("--rendezvous.s3.bucket=rendezvous-recordings")
                .noneMatch(a -> a.startsWith("--spring.r2dbc"));
        assertThat(stack.appCommand(App.RECORDER)).contains("-Xmx384m", "-jar");
    }

    @Test
    void shouldKeepSecretsOffEveryCommandLineAndOutOfTheLogsInPrivateFiles() throws Exception {
        List<String> secrets = List.of(stack.jwtSecret(), stack.s3AccessKey(), stack.s3SecretKey());
        List<ProcessHandle> children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
        assertThat(children).as("kafka, postgres, s3proxy and four apps").hasSizeGreaterThanOrEqualTo(7);
        for (ProcessHandle child : children) {
            Path cmdline = Path.of("/proc", Long.toString(child.pid()), "cmdline");
            if (!Files.exists(cmdline)) {
                continue; // ended meanwhile
            }
            String argv = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
            assertThat(argv).as("argv of pid %d", child.pid()).doesNotContain(secrets).doesNotContain("password=");
        }
        assertThat(ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("")))
                .anyMatch(c -> c.contains("s3proxy")); // the S3 server was among them

        List<Path> logs;
        try (Stream<Path> files = Files.walk(stack.logDir())) {
            logs = files.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        assertThat(logs).extracting(p -> p.getFileName().toString())
                .contains("kafka.log", "postgres.log", "s3-server.log", "edge-gateway.log", "recorder.log");
        for (Path log : logs) {
            assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as("%s", log).doesNotContain(secrets);
            assertThat(mode(log)).as("%s", log).isEqualTo("rw-------");
        }
        assertThat(mode(stack.dataDir())).isEqualTo("rwx------");
        assertThat(mode(stack.logDir())).isEqualTo("rwx------");
        assertThat(mode(stack.dataDir().resolve("run"))).isEqualTo("rwx------");
        assertThat(mode(stack.dataDir().resolve("secrets.properties"))).isEqualTo("rw-------");
        assertThat(mode(stack.dataDir().resolve("s3/s3proxy.properties"))).isEqualTo("rw-------");
        for (App app : App.values()) {
            assertThat(mode(stack.dataDir().resolve("run/" + app.module() + "-secrets.properties"))).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void shouldRestartAnAppThatWasKilledWithTheSameArguments() throws Exception {
        List<String> before = appArgs(App.MEDIA_FORWARDER);
        long pid = stack.appPid(App.MEDIA_FORWARDER);

        stack.stopApp(App.MEDIA_FORWARDER, true);
        assertThat(stack.isAppRunning(App.MEDIA_FORWARDER)).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Ports.accepts(stack.appPort(App.MEDIA_FORWARDER))).isFalse();

        stack.startApp(App.MEDIA_FORWARDER);

        assertThat(stack.isAppRunning(App.MEDIA_FORWARDER)).isTrue();
        assertThat(stack.appPid(App.MEDIA_FORWARDER)).isNotEqualTo(pid);
        assertThat(appArgs(App.MEDIA_FORWARDER)).isEqualTo(before);
    }

    @Test
    void shouldStopAnAppGracefully() throws Exception {
        stack.stopApp(App.RECORDER, false);
        assertThat(stack.isAppRunning(App.RECORDER)).isFalse();
        stack.startApp(App.RECORDER);
        assertThat(stack.isAppRunning(App.RECORDER)).isTrue();
    }

    // ------------------------------------------------------------------------------------- own stacks

    @Test
    void shouldKeepDataAcrossRestart(@TempDir Path dir) throws Exception {
        String topic = "kept";
        String jwt;
        try (Stack first = minimal(dir).start()) {
            try (Admin admin = first.newKafkaAdmin()) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
            produce(first.kafkaBootstrapServers(), topic, "k", "survives");
            try (Connection c = first.postgres().connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('row survives')");
            }
            jwt = first.jwtSecret();
        }

        // new free ports on purpose: the data must not depend on them
        try (Stack second = minimal(dir).start()) {
            assertThat(consumeAll(second.kafkaBootstrapServers(), topic, 1)).containsExactly("k=survives");
            try (Connection c = second.postgres().connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("row survives");
            }
            assertThat(second.jwtSecret()).isEqualTo(jwt);
        }
    }

    @Test
    void shouldNameThePortThatIsAlreadyInUse(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            Stack stack = minimal(dir).kafkaPort(port).build();

            assertThatThrownBy(stack::start)
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("port " + port + " (Kafka broker) is already in use");

            assertThat(processesNaming(dir)).isEmpty();
            assertThat(dir.resolve("kafka")).doesNotExist();
            assertThat(dir.resolve("postgres")).doesNotExist();
        }
    }

    @Test
    void shouldNameTheAppWhosePortIsTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            Stack stack = minimal(dir).home(FakeApps.home(dir.resolve("home"))).s3(true)
                    .apps(App.EDGE_GATEWAY).appPort(App.EDGE_GATEWAY, port).build();

            assertThatThrownBy(stack::start).hasMessage("port " + port + " (edge-gateway HTTP) is already in use");
            assertThat(processesNaming(dir)).isEmpty();
        }
    }

    @Test
    void shouldLeaveNoChildProcessAfterClose(@TempDir Path dir) throws Exception {
        Stack s = Stack.builder(dir.resolve("data")).freePorts().kafkaJvmOptions(QUICK_START).home(FakeApps.home(dir.resolve("home")))
                .apps(App.RECORDER).listener(recording(new ArrayList<>())).start();
        assertThat(processesNaming(dir)).hasSizeGreaterThanOrEqualTo(3); // kafka, s3, postgres, recorder (+ clickhouse)
        int pgPort = s.postgresPort();

        s.close();
        s.close(); // idempotent

        assertThat(processesNaming(dir)).isEmpty();
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false)))
                .isEmpty();
        assertThat(Ports.accepts(pgPort)).isFalse();
        assertThat(dir.resolve("data/postgres/postmaster.pid")).doesNotExist();
    }

    @Test
    void shouldFailEarlyWithTheTailOfTheLogWhenAnAppExits(@TempDir Path dir) throws Exception {
        Instant t0 = CLOCK.instant();
        Stack s = minimal(dir).home(FakeApps.home(dir.resolve("home")))
                .apps(App.MEDIA_FORWARDER).appArgs(App.MEDIA_FORWARDER, "--fake.exit-code=3").build();

        assertThatThrownBy(s::start)
                .isInstanceOf(StackException.class)
                .hasMessageContaining("media-forwarder exited with code 3 while starting")
                .hasMessageContaining("boom: asked to fail");

        assertThat(Duration.between(t0, CLOCK.instant())).isLessThan(Duration.ofSeconds(60));
        assertThat(processesNaming(dir)).isEmpty();
    }

    @Test
    void shouldSayHowToBuildAMissingAppJar(@TempDir Path dir) {
        Stack s = minimal(dir).home(dir.resolve("empty-home")).apps(App.STREAM_APPS).build();

        assertThatThrownBy(s::start).hasMessageContaining("stream-apps is not built")
                .hasMessageContaining("mvn -DskipTests install");
        assertThat(dir.resolve("kafka")).doesNotExist();
    }

    // ------------------------------------------------------------------------------------- helpers

    /** Kafka + PostgreSQL only, free ports. */
    private static StackBuilder minimal(Path dir) {
        return Stack.builder(dir).freePorts().noApps().s3(false).clickHouse(false).kafkaJvmOptions(QUICK_START)
                .listener(recording(new ArrayList<>()));
    }

    private static StackListener recording(List<String> into) {
        StackListener log = StackListener.logging();
        return new StackListener() {
            @Override
            public void onProgress(String message) {
                into.add(message);
                log.onProgress(message);
            }

            @Override
            public void onWarning(String message) {
                into.add(message);
                log.onWarning(message);
            }
        };
    }

    private static S3Client s3Client() {
        return S3Client.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey())))
                .forcePathStyle(true)
                .build();
    }

    /** The secrets file the (fake) app imported at its start. */
    private static Properties appSecrets(App app) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.appManagementUrl(app) + "/config")).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Properties p = new Properties();
        p.load(new java.io.StringReader(r.body()));
        return p;
    }

    private static List<String> appArgs(App app) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack.appBaseUrl(app) + "/args")).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return List.of(r.body().split("\n"));
    }

    /** Live processes (any parent) whose command line names {@code dir}. */
    private static List<String> processesNaming(Path dir) {
        String d = dir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(c -> c.contains(d))
                .collect(Collectors.toList());
    }

    private static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> got = new ArrayList<>();
        Instant deadline = CLOCK.instant().plus(WAIT);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (got.size() < expected && CLOCK.instant().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.add(r.key() + "=" + r.value());
                }
            }
        }
        return Collections.unmodifiableList(got);
    }
}
