package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's dashboards and alert rules (helm/rendezvous/files) name only series the running apps export: every
 * {@code rendezvous_*}, {@code kafka_*}, {@code http_server_*} and {@code resilience4j_*} name in them is found in some app's
 * {@code /actuator/prometheus} on the shared stack. A renamed meter breaks this test, not an operator's dashboard.
 */
class MonitoringMetricsIT {

    private static final Path FILES = Path.of("../helm/rendezvous/files");
    private static final Pattern USED = Pattern.compile("\\b((?:rendezvous|kafka|http_server|resilience4j)_[a-z_0-9]+)\\b");
    private static final Pattern EXPORTED = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private final Stack stack = TestSystem.get();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldUseOnlySeriesTheAppsExport() throws Exception {
        Set<String> used = new TreeSet<>();
        for (Path f : List.of(FILES.resolve("dashboards/rendezvous-overview.json"), FILES.resolve("monitoring/alerts.yaml"))) {
            Matcher m = USED.matcher(Files.readString(f));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).hasSizeGreaterThan(10);
        // a REST request, so that the gateway's request timer exists
        new Api(stack.gatewayBaseUrl()).newUserToken("Metrics");

        Set<String> exported = new TreeSet<>();
        java.util.Map<App, Set<String>> byApp = new java.util.EnumMap<>(App.class);
        java.util.Map<App, String> bodies = new java.util.EnumMap<>(App.class);
        for (App app : List.of(App.EDGE_GATEWAY, App.STREAM_APPS, App.MEDIA_FORWARDER, App.RECORDER)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + stack.managementPort(app) + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s's /actuator/prometheus", app).isEqualTo(200);
            Matcher m = EXPORTED.matcher(r.body());
            Set<String> own = new TreeSet<>();
            while (m.find()) {
                own.add(m.group(1));
            }
            exported.addAll(own);
            byApp.put(app, own);
            bodies.put(app, r.body());
        }
        // consumer lag, which the lag alert reads, from every app that consumes with a Kafka consumer of its own
        for (App app : List.of(App.EDGE_GATEWAY, App.STREAM_APPS, App.RECORDER)) {
            assertThat(byApp.get(app)).as("%s exports its consumers' lag", app)
                    .contains("kafka_consumer_fetch_manager_records_lag_max");
        }
        // stream-apps: not only Kafka Streams' consumers but its store pipelines' too (client id <group>-<topic>)
        assertThat(bodies.get(App.STREAM_APPS).lines()
                .filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")))
                .as("the chat store's consumer lag").anyMatch(l -> l.contains("client_id=\"rendezvous-chat-store-chat.message.accepted\""));
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertThat(unknown).as("series named in the dashboards or alerts that no app exports").isEmpty();
    }
}
