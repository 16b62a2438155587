package dev.rendezvous.gateway.support;

import dev.rendezvous.gateway.GatewayApplication;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One gateway started in-process, as the launcher would (command-line {@code --key=value} properties), on a free
 * port, against the shared test Kafka and a database of its own.
 */
public final class RunningGateway implements AutoCloseable {

    public static final byte[] SECRET = "integration-test-secret-32-bytes!!".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    public final String id;
    public final int port;
    public final String database;
    public final String baseUrl;
    public final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private RunningGateway(String id, int port, String database, ConfigurableApplicationContext context) {
        this.id = id;
        this.port = port;
        this.database = database;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.context = context;
    }

    /** The actuator's own port (health, Prometheus): {@code http://127.0.0.1:<local.management.port>}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port");
    }

    /** GET on the management port. */
    public HttpResponse<String> managementGet(String path) {
        return send(HttpRequest.newBuilder(URI.create(managementUrl() + path)).GET().timeout(Duration.ofSeconds(30)).build());
    }

    /**
     * A counter of the gateway's Prometheus scrape by its {@code reason} label (null: a series without one) (e.g. {@code
     * rendezvous_gateway_sockets_dropped_total}, {@code frames_over_budget}); 0 when it has not counted yet.
     */
    public double counted(String series, String reason) {
        HttpResponse<String> scrape = managementGet("/actuator/prometheus");
        if (scrape.statusCode() != 200) {
            throw new IllegalStateException("the Prometheus scrape answered " + scrape.statusCode());
        }
        String labels = reason == null ? "(?:\\{[^}]*})?"
                : "\\{[^}]*reason=\"" + java.util.regex.Pattern.quote(reason) + "\"[^}]*}";
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series)
                + labels + " ([0-9.eE+-]+)$").matcher(scrape.body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    public static RunningGateway start(String database, String... extraArgs) {
        TestInfra.newDatabase(database);
        return startOn(database, extraArgs);
    }

    /** A gateway on a database that already exists (e.g. one a test filled with an older schema). */
    public static RunningGateway startOn(String database, String... extraArgs) {
        String r2dbc = TestInfra.r2dbcUrl(database);
        String id = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        int port = Ports.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--management.server.port=0",
                "--rendezvous.kafka.bootstrap-servers=" + TestInfra.kafkaBootstrapServers(),
                "--spring.r2dbc.url=" + r2dbc,
                "--spring.r2dbc.username=" + TestInfra.stack().postgresUsername(),
                "--spring.r2dbc.password=" + TestInfra.stack().postgresPassword(),
                "--rendezvous.gateway.id=" + id,
                "--rendezvous.gateway.public-url=http://localhost:" + port,
                "--rendezvous.auth.jwt-secret=" + Base64.getEncoder().encodeToString(SECRET)));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(GatewayApplication.class).main(GatewayApplication.class)
                .run(args.toArray(String[]::new));
        return new RunningGateway(id, port, database, ctx);
    }

    /** The delivery partition a gateway with this id reads by default. */
    public int deliveryPartition() {
        return Topics.defaultDeliveryPartition(id, Topics.GATEWAY_DELIVERIES.partitions());
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    public HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public HttpResponse<String> post(String path, String json, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            dumpThreads(request); // the gateway runs in this JVM: show what its threads were doing
            throw new java.io.UncheckedIOException(e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void dumpThreads(HttpRequest request) {
        StringBuilder sb = new StringBuilder("=== no answer to " + request.method() + " " + request.uri() + "; threads:\n");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement el : stack) {
                sb.append("    at ").append(el).append('\n');
            }
        });
        System.err.println(sb);
    }

    /** Registers and logs in a user; answers {userId, token}. */
    public Map<String, String> newUser(String name) {
        String email = name.toLowerCase().replaceAll("[^a-z]", "") + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> reg = post("/api/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"password-123\",\"displayName\":\"" + name + "\"}", null);
        if (reg.statusCode() != 201) {
            throw new IllegalStateException("register: " + reg.statusCode() + " " + reg.body());
        }
        HttpResponse<String> login = post("/api/v1/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"password-123\"}", null);
        if (login.statusCode() != 200) {
            throw new IllegalStateException("login: " + login.statusCode() + " " + login.body());
        }
        return Map.of("userId", Jsons.field(reg.body(), "userId"), "token", Jsons.field(login.body(), "token"),
                "email", email);
    }

    /** Creates a meeting as the given user; answers {meetingId, code, joinUrl}. */
    public Map<String, String> newMeeting(String token, String title) {
        HttpResponse<String> r = post("/api/v1/meetings", "{\"title\":\"" + title + "\"}", token);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create meeting: " + r.statusCode() + " " + r.body());
        }
        return Map.of("meetingId", Jsons.field(r.body(), "meetingId"), "code", Jsons.field(r.body(), "code"),
                "joinUrl", Jsons.field(r.body(), "joinUrl"));
    }

    public String guestToken(String code, String name) {
        HttpResponse<String> r = post("/api/v1/meetings/" + code + "/guest", "{\"displayName\":\"" + name + "\"}", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("guest token: " + r.statusCode() + " " + r.body());
        }
        return Jsons.field(r.body(), "token");
    }

    @Override
    public void close() {
        context.close();
    }
}
