package dev.rendezvous.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.Stack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The chart's dashboards and alert rules (helm/rendezvous/files) name only series the running apps export: every
 * {@code rendezvous_*}, {@code kafka_*}, {@code http_server_*} and {@code resilience4j_*} name in them is found in some app's
 * {@code /actuator/prometheus} on the shared stack. A renamed meter breaks this test, not an operator's dashboard.
 */
class MonitoringMetricsIT {

    private static final Path FILES = Path.of("../helm/rendezvous/files");
    private static final Pattern USED = Pattern.compile("\\b((?:rendezvous|kafka|http_server|resilience4j)_[a-z_0-9]+)\\b");
    private static final String LAG = "kafka_consumer_fetch_manager_records_lag_max";
    /** Micrometer's Kafka binder looks for new client metrics every 60 s; two looks and some. */
    private static final Duration METRICS_WAIT = Duration.ofSeconds(180);
    private static final Pattern EXPORTED = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private final Stack stack = TestSystem.get();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the four apps' {@code /actuator/prometheus} gave at one look. */
    private record Scrape(Map<App, Set<String>> byApp, Map<App, String> bodies) {

        Set<String> exported() {
            Set<String> all = new TreeSet<>();
            byApp.values().forEach(all::addAll);
            return all;
        }

        boolean storeLag() {
            return bodies.get(App.STREAM_APPS).lines().filter(l -> l.startsWith(LAG + "{"))
                    .anyMatch(l -> l.contains("client_id=\"rendezvous-chat-store-chat.message.accepted\""));
        }

        boolean complete(Set<String> used) {
            return List.of(App.EDGE_GATEWAY, App.STREAM_APPS, App.RECORDER).stream().allMatch(a -> byApp.get(a).contains(LAG))
                    && storeLag() && exported().containsAll(used);
        }
    }

    private Scrape scrape() throws Exception {
        Map<App, Set<String>> byApp = new EnumMap<>(App.class);
        Map<App, String> bodies = new EnumMap<>(App.class);
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
            byApp.put(app, own);
            bodies.put(app, r.body());
        }
        return new Scrape(byApp, bodies);
    }

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

        // Micrometer's Kafka binder adds a new client's metrics on its next look, every 60 s: a consumer that first
        // fetched just after a look (stream-apps restarted by an earlier test, or the stack just started) shows up a
        // minute later. Scrape until everything is there, then assert on the last scrape (its messages say what lacks).
        Scrape[] last = new Scrape[1];
        try {
            await("every series named, and each consumer's lag").atMost(METRICS_WAIT).pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        last[0] = scrape();
                        return last[0].complete(used);
                    });
        } catch (ConditionTimeoutException e) {
            // the assertions below name what is missing
        }
        Scrape s = last[0];
        // consumer lag, which the lag alert reads, from every app that consumes with a Kafka consumer of its own
        for (App app : List.of(App.EDGE_GATEWAY, App.STREAM_APPS, App.RECORDER)) {
            assertThat(s.byApp().get(app)).as("%s exports its consumers' lag", app).contains(LAG);
        }
        // stream-apps: not only Kafka Streams' consumers but its store pipelines' too (client id <group>-<topic>)
        assertThat(s.storeLag()).as("the chat store's consumer lag").isTrue();
        Set<String> exported = s.exported();
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertThat(unknown).as("series named in the dashboards or alerts that no app exports").isEmpty();
    }
}
