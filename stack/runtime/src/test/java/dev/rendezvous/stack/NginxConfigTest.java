package dev.rendezvous.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxConfigTest {

    @TempDir
    Path dir;

    private NginxConfig config() {
        return new NginxConfig(dir.resolve("nginx"), "127.0.0.1:18080", List.of("127.0.0.1:18180", "127.0.0.1:18280"),
                dir.resolve("logs/nginx-access.log"), NginxConfig.runAsUserForThisProcess());
    }

    @Test
    void shouldBalanceOverEveryGatewayWithWebSocketUpgradeAndTheClientAddress() {
        String conf = config().render();

        assertThat(conf).doesNotContain("{{")
                .contains("least_conn;", "server 127.0.0.1:18180 max_fails=1 fail_timeout=5s;", "server 127.0.0.1:18280 ",
                        "listen 127.0.0.1:18080;", "proxy_set_header Upgrade $http_upgrade;",
                        "proxy_set_header Connection $connection_upgrade;", "proxy_set_header X-Forwarded-For $remote_addr;",
                        "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_read_timeout 60s;", "client_max_body_size 1m;",
                        "daemon off;", "pid " + dir.resolve("nginx") + "/nginx.pid;",
                        "access_log " + dir.resolve("logs/nginx-access.log") + " rendezvous;")
                // nothing outside the data dir: no root-only default paths
                .doesNotContain("/var/", "/run/");
    }

    @Test
    void shouldKeepTheReadTimeoutAboveThreeGatewayPings() {
        // edge-gateway's rendezvous.gateway.presence.ping-interval is 10 s
        assertThat(NginxConfig.READ_TIMEOUT.toSeconds()).isGreaterThanOrEqualTo(30);
    }

    /** Runs when nginx is installed (.ci/run installs it): nginx itself accepts the rendered file. */
    @Test
    void shouldBeAcceptedByNginx() throws Exception {
        Optional<Path> nginx = Nginx.find();
        assumeThat(nginx).as("nginx is not installed (apt-get install nginx)").isPresent();
        NginxConfig c = config();
        Files.createDirectories(c.prefix());
        Files.createDirectories(c.accessLog().getParent());
        Path file = c.prefix().resolve("nginx.conf");
        Files.writeString(file, c.render());

        Process p = new ProcessBuilder(nginx.get().toString(), "-t", "-p", c.prefix() + "/", "-c", file.toString(), "-e", "stderr")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("syntax is ok", "test is successful");
    }

    @Test
    void shouldFindNginxWhereTheEnvironmentSaysOrNowhere() {
        assertThat(Nginx.find(java.util.Map.of(Nginx.ENV, "/bin/sh"))).contains(Path.of("/bin/sh"));
        assertThat(Nginx.find(java.util.Map.of(Nginx.ENV, dir.resolve("no-nginx-here").toString())))
                .as("a wrong RENDEZVOUS_NGINX is not silently replaced by another nginx").isEmpty();
    }
}
