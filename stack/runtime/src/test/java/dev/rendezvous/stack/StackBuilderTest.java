package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackBuilderTest {

    @TempDir
    Path dir;

    @Test
    void shouldUseTheFixedDefaultPortsUnlessToldOtherwise() {
        Stack s = Stack.builder(dir).build();

        assertThat(s.kafkaPort()).isEqualTo(19092);
        assertThat(s.kafkaControllerPort()).isEqualTo(19093);
        assertThat(s.postgresPort()).isEqualTo(15432);
        assertThat(s.s3Port()).isEqualTo(19000);
        assertThat(s.clickHousePorts()).containsExactly(18123, 19001);
        assertThat(s.appPort(App.EDGE_GATEWAY)).isEqualTo(8080);
        assertThat(s.appPort(App.STREAM_APPS)).isEqualTo(8081);
        assertThat(s.appPort(App.MEDIA_FORWARDER)).isEqualTo(8082);
        assertThat(s.appPort(App.RECORDER)).isEqualTo(8083);
        assertThat(App.values()).extracting(s::managementPort).containsExactly(9080, 9081, 9082, 9083);
        assertThat(s.appManagementUrl(App.MEDIA_FORWARDER)).isEqualTo("http://127.0.0.1:9082");
        assertThat(s.gatewayBaseUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.publicUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.apps()).containsExactlyInAnyOrder(App.values());
    }

    @Test
    void shouldPickDistinctFreePortsButKeepExplicitOnes() {
        Stack s = Stack.builder(dir).freePorts().appPort(App.EDGE_GATEWAY, 18080).build();

        List<Integer> ports = List.of(s.kafkaPort(), s.kafkaControllerPort(), s.postgresPort(), s.s3Port(),
                s.clickHousePorts()[0], s.clickHousePorts()[1], s.appPort(App.STREAM_APPS),
                s.appPort(App.MEDIA_FORWARDER), s.appPort(App.RECORDER), s.appPort(App.EDGE_GATEWAY),
                s.managementPort(App.EDGE_GATEWAY), s.managementPort(App.STREAM_APPS),
                s.managementPort(App.MEDIA_FORWARDER), s.managementPort(App.RECORDER));
        assertThat(new HashSet<>(ports)).hasSize(ports.size());
        assertThat(s.appPort(App.EDGE_GATEWAY)).isEqualTo(18080);
        assertThat(s.kafkaPort()).isNotEqualTo(19092);
    }

    @Test
    void shouldPutSecretPropertiesInTheFileAndTheRestOnTheCommandLine() throws Exception {
        AppLaunch launch = new AppLaunch()
                .put("rendezvous.kafka.bootstrap-servers", "127.0.0.1:1")
                .put("spring.r2dbc.password", "pg-pass")
                .put("rendezvous.auth.jwt-secret", "jwt-key")
                .extra(List.of("--rendezvous.s3.secret-key=s3=key:x", "--rendezvous.gateway.id=gw-9", "--debug"));

        assertThat(launch.args()).containsExactly("--rendezvous.kafka.bootstrap-servers=127.0.0.1:1",
                "--rendezvous.gateway.id=gw-9", "--debug");
        java.nio.file.Path file = dir.resolve("run/app-secrets.properties");
        launch.writeSecrets(file);
        java.util.Properties read = new java.util.Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(file)) {
            read.load(r);
        }
        assertThat(read).containsOnly(java.util.Map.entry("spring.r2dbc.password", "pg-pass"),
                java.util.Map.entry("rendezvous.auth.jwt-secret", "jwt-key"),
                java.util.Map.entry("rendezvous.s3.secret-key", "s3=key:x"));
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).isEqualTo(PrivateFiles.FILE);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file.getParent())).isEqualTo(PrivateFiles.DIRECTORY);
    }

    @Test
    void shouldRejectTheSamePortForTwoComponents() {
        assertThatThrownBy(() -> Stack.builder(dir).kafkaPort(20000).s3Port(20000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 20000 is configured for both kafka and s3");
    }

    @Test
    void shouldRefuseAppsThatNeedS3WhenS3IsOff() {
        assertThatThrownBy(() -> Stack.builder(dir).s3(false).apps(App.RECORDER).build())
                .hasMessageContaining("recorder needs the S3 server");
    }

    @Test
    void shouldListOnlyThePortsOfComponentsThatRun() {
        Stack s = Stack.builder(dir).noApps().s3(false).externalPostgres("jdbc:postgresql://db:5432/x", "u", "p").build();

        assertThat(s.portsToCheck(false, false)).isEqualTo(Map.of(19092, "Kafka broker", 19093, "Kafka controller"));
        assertThat(s.portsToCheck(true, true)).containsExactly(java.util.Map.entry(19092, "Kafka broker"),
                java.util.Map.entry(19093, "Kafka controller"), java.util.Map.entry(18123, "ClickHouse HTTP"),
                java.util.Map.entry(19001, "ClickHouse TCP"), java.util.Map.entry(13000, "Aerospike"),
                java.util.Map.entry(13001, "Aerospike fabric"), java.util.Map.entry(13002, "Aerospike heartbeat"));
    }

    @Test
    void shouldNameTheFirstTakenPort() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThat(Ports.isFree(port)).isFalse();
            assertThatThrownBy(() -> Ports.requireFree(Map.of(port, "S3 server")))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("port " + port + " (S3 server) is already in use");
        }
    }

    @Test
    void shouldFindTheRepositoryRootByWalkingUp() throws IOException {
        Files.createDirectories(dir.resolve("topics"));
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Files.writeString(dir.resolve("topics/pom.xml"), "<project/>");
        Path deep = Files.createDirectories(dir.resolve("stack/runtime/target"));

        assertThat(RepoHome.walkUp(deep)).contains(dir.normalize());
        assertThat(RepoHome.execJar(dir, App.STREAM_APPS)).isEqualTo(dir.resolve("stream-apps/target/stream-apps-exec.jar"));
    }

    @Test
    void shouldDeriveTheR2dbcUrlOfAnExternalPostgres() {
        Postgres pg = Postgres.external("jdbc:postgresql://db.internal:5432/rendezvous?sslmode=require", "rv", "secret");

        assertThat(pg.r2dbcUrl()).isEqualTo("r2dbc:postgresql://db.internal:5432/rendezvous?sslmode=require");
        assertThat(pg.isEmbedded()).isFalse();
        assertThatThrownBy(() -> Postgres.external("jdbc:mysql://x/y", "a", "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepGeneratedSecretsInTheDataDir() {
        Secrets a = Secrets.loadOrCreate(dir);
        Secrets b = Secrets.loadOrCreate(dir);

        assertThat(b.jwtSecret).isEqualTo(a.jwtSecret);
        assertThat(b.s3AccessKey).isEqualTo(a.s3AccessKey).hasSize(20);
        assertThat(b.s3SecretKey).isEqualTo(a.s3SecretKey).hasSize(40);
        assertThat(java.util.Base64.getDecoder().decode(a.jwtSecret)).hasSize(32);
    }
}
