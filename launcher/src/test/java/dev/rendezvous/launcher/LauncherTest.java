package dev.rendezvous.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Launcher.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), b -> b.freePorts(), false);
    }

    @Test
    void shouldExitWith2AndNameThePortWhenTheHttpPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            int code = run("--data-dir=" + dir, "--http-port=" + port);

            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo("error: port " + port + " (edge-gateway HTTP) is already in use" + System.lineSeparator());
            assertThat(dir.resolve("kafka")).doesNotExist();
            assertThat(dir.resolve("postgres")).doesNotExist();
        }
    }

    @Test
    void shouldPrintUsageForHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--data-dir=DIR", "--http-port=PORT", "--postgres-url");
    }

    @Test
    void shouldRefuseUnknownOptionsWithExitCode64() {
        assertThat(run("--colour=blue")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option: --colour");
    }

    @Test
    void shouldDefaultToTheDataFolderUnderTheRepositoryAndTheGatewayPort() throws Exception {
        LauncherOptions o = LauncherOptions.parse(new String[0], Optional.of(Path.of("/repo")));

        assertThat(o.dataDir()).isEqualTo(Path.of("/repo/data"));
        assertThat(o.httpPort()).isEqualTo(8080);
        assertThat(o.publicUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(o.postgresUrl()).isNull();
    }

    @Test
    void shouldTakeEveryOption(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path pwFile = java.nio.file.Files.writeString(tmp.resolve("pg-password"), "pw\n");
        LauncherOptions o = LauncherOptions.parse(new String[] {"--data-dir=/srv/rv", "--http-port=9090",
                "--public-url=https://meet.example.org/", "--postgres-url=jdbc:postgresql://db:5432/rv",
                "--postgres-user=rv", "--postgres-password-file=" + pwFile}, Optional.empty(), java.util.Map.of());

        assertThat(o.dataDir()).isEqualTo(Path.of("/srv/rv"));
        assertThat(o.httpPort()).isEqualTo(9090);
        assertThat(o.publicUrl()).isEqualTo("https://meet.example.org");
        assertThat(o.postgresUrl()).isEqualTo("jdbc:postgresql://db:5432/rv");
        assertThat(o.postgresUser()).isEqualTo("rv");
        assertThat(o.postgresPassword()).isEqualTo("pw");
    }

    @Test
    void shouldTakeThePostgresPasswordFromTheEnvironmentAndNeverFromTheCommandLine() throws Exception {
        String[] args = {"--postgres-url=jdbc:postgresql://db:5432/rv", "--postgres-user=rv"};
        assertThat(LauncherOptions.parse(args, Optional.empty(),
                java.util.Map.of(LauncherOptions.POSTGRES_PASSWORD_ENV, "from-env")).postgresPassword()).isEqualTo("from-env");
        assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--postgres-url=jdbc:postgresql://db:5432/rv",
                "--postgres-password=pw"}, Optional.empty(), java.util.Map.of()))
                .isInstanceOf(LauncherOptions.UsageException.class)
                .hasMessageContaining("--postgres-password-file").hasMessageNotContaining("=pw");
    }

    @Test
    void shouldRejectABadPortOrDatabaseUrl() {
        assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--http-port=http"}, Optional.empty()))
                .hasMessageContaining("--http-port must be a TCP port");
        assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--postgres-url=postgres://x"}, Optional.empty()))
                .hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void shouldTakeTheFleetSizeAndRefuseSillyOnes() throws Exception {
        LauncherOptions o = LauncherOptions.parse(new String[] {"--gateways=3", "--forwarders=2"}, Optional.of(Path.of("/repo")));
        assertThat(o.gateways()).isEqualTo(3);
        assertThat(o.forwarders()).isEqualTo(2);
        LauncherOptions d = LauncherOptions.parse(new String[0], Optional.of(Path.of("/repo")));
        assertThat(d.gateways()).isEqualTo(1);
        assertThat(d.forwarders()).isEqualTo(1);

        assertThat(run("--forwarders=0")).isEqualTo(64);
        assertThat(run("--gateways=ten")).isEqualTo(64);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--forwarders must be a number from 1 to 9: 0")
                .contains("--gateways must be a number from 1 to 9: ten");
    }
}
