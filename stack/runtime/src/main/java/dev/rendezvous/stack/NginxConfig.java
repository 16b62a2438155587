package dev.rendezvous.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nginx.conf of a fleet's entry, rendered from the template {@code nginx.conf.template} (next to this class):
 * an upstream of the gateways ({@code least_conn}), WebSocket upgrade headers, proxy timeouts, the client's address
 * in {@code X-Forwarded-For}, every file under {@code prefix} and the access log. The Helm chart's Ingress
 * annotations carry the same {@link #READ_TIMEOUT}, {@link #SEND_TIMEOUT} and {@link #CLIENT_MAX_BODY_SIZE}.
 *
 * @param prefix     nginx's own folder (pid file, temp folders)
 * @param listen     what it listens on, e.g. {@code 127.0.0.1:8080}
 * @param upstreams  the gateways, {@code host:port} each
 * @param accessLog  the access log file
 * @param runAsUser  the {@code user} directive's user when the master runs as root (workers would otherwise be
 *                   {@code nobody}, which cannot enter the private data dir); null when not root
 */
public record NginxConfig(Path prefix, String listen, List<String> upstreams, Path accessLog, String runAsUser) {

    /** Upstream read timeout: at least 3 × the gateway's WebSocket ping interval (10 s). */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    /** Upstream send timeout. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    /** Connecting to a gateway: a live one on the same machine or network answers at once. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Largest request body (REST calls carry small JSON). */
    public static final String CLIENT_MAX_BODY_SIZE = "1m";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    public NginxConfig {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(accessLog, "accessLog");
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("nginx needs at least one gateway to send requests to");
        }
    }

    /** The configuration text. */
    public String render() {
        StringBuilder servers = new StringBuilder();
        for (String u : upstreams) {
            // a gateway that failed once is left out for 5 s, then tried again
            servers.append("        server ").append(u).append(" max_fails=1 fail_timeout=5s;\n");
        }
        Map<String, String> values = Map.of(
                "user", runAsUser == null ? "# (not root: nginx runs as the launcher's user)" : "user " + runAsUser + ";",
                "prefix", prefix.toAbsolutePath().toString(),
                "listen", listen,
                "access_log", accessLog.toAbsolutePath().toString(),
                "servers", servers.toString().stripTrailing(),
                "client_max_body_size", CLIENT_MAX_BODY_SIZE,
                "connect_timeout", seconds(CONNECT_TIMEOUT),
                "read_timeout", seconds(READ_TIMEOUT),
                "send_timeout", seconds(SEND_TIMEOUT));
        Matcher m = PLACEHOLDER.matcher(template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("nginx.conf.template has an unknown placeholder {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The user to name in the {@code user} directive: the current one when it is root, else null. */
    static String runAsUserForThisProcess() {
        return "root".equals(System.getProperty("user.name")) ? "root" : null;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    private static String template() {
        try (InputStream in = NginxConfig.class.getResourceAsStream("nginx.conf.template")) {
            if (in == null) {
                throw new IllegalStateException("nginx.conf.template is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
