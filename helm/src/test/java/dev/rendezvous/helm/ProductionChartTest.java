package dev.rendezvous.helm;

import static dev.rendezvous.helm.Chart.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's production parts, each optional: autoscalers, disruption budgets, network policies, the monitoring
 * files (dashboards, alert rules, scrape configuration), the {@code helm test} pod, and the values schema. Each is
 * rendered with and without its switch.
 */
class ProductionChartTest {

    private static final List<String> APPS = List.of("edge-gateway", "stream-apps", "media-forwarder", "recorder");

    @Test
    void shouldRenderNoOptionalPartFromTheRequiredValuesAloneButTheDisruptionBudgets() {
        Rendered r = render(REQUIRED_VALUES);

        assertThat(r.byKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(r.byKind("NetworkPolicy")).isEmpty();
        assertThat(r.byKind("PrometheusRule")).isEmpty();
        assertThat(r.byKind("ConfigMap")).containsOnlyKeys("rdv-rendezvous-topics");
        // every app has one, on by default: a node drain takes one pod of each at a time
        assertThat(r.byKind("PodDisruptionBudget")).containsOnlyKeys(
                APPS.stream().map(a -> "rdv-rendezvous-" + a).toArray(String[]::new));
        for (String app : APPS) {
            Map<String, Object> pdb = r.byKind("PodDisruptionBudget").get("rdv-rendezvous-" + app);
            assertThat(path(pdb, "spec", "maxUnavailable")).isEqualTo(1);
            assertThat(path(pdb, "spec", "selector", "matchLabels", "app.kubernetes.io/component")).isEqualTo(app);
        }
        Rendered off = Rendered.of(template().withValuesFile(REQUIRED_VALUES)
                .set("recorder.podDisruptionBudget.enabled", "false").call());
        assertThat(off.byKind("PodDisruptionBudget")).doesNotContainKey("rdv-rendezvous-recorder").hasSize(3);
    }

    @Test
    void shouldScaleGatewaysOnCpuAndSocketsAndForwardersOnParticipants() {
        Rendered r = Rendered.of(template().withValuesFile(REQUIRED_VALUES)
                .set("edgeGateway.autoscaling.enabled", "true").set("edgeGateway.autoscaling.targetSocketsPerPod", "20000")
                .set("edgeGateway.maxSockets", "40000").set("mediaForwarder.autoscaling.enabled", "true").call());
        assertThat(env(container(r.byKind("Deployment").get("rdv-rendezvous-edge-gateway"))))
                .containsEntry("RENDEZVOUS_LIMITS_SOCKETS_PER_GATEWAY", "40000");

        Map<String, Object> gw = r.byKind("HorizontalPodAutoscaler").get("rdv-rendezvous-edge-gateway");
        assertThat(path(gw, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(path(gw, "spec", "scaleTargetRef", "name")).isEqualTo("rdv-rendezvous-edge-gateway");
        assertThat(path(gw, "spec", "minReplicas")).isEqualTo(2);
        assertThat(path(gw, "spec", "metrics")).asString().contains("name=cpu").contains("averageUtilization=60")
                .contains("name=rendezvous_gateway_sockets_open").contains("averageValue=20000");

        Map<String, Object> fw = r.byKind("HorizontalPodAutoscaler").get("rdv-rendezvous-media-forwarder");
        assertThat(path(fw, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
        assertThat(path(fw, "spec", "metrics")).asString().contains("name=rendezvous_forwarder_participants")
                .contains("averageValue=120").contains("name=cpu");
        assertThat(path(fw, "spec", "behavior", "scaleDown", "policies")).asString().contains("value=1");

        // a target at or above the cap could never be reached on average: refused, both values named
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("edgeGateway.autoscaling.enabled", "true")
                .set("edgeGateway.autoscaling.targetSocketsPerPod", "20000").call())
                .hasMessageContaining("targetSocketsPerPod (20000) must be below edgeGateway.maxSockets (20000)");

        // without a sockets target the gateways scale on CPU alone
        Rendered cpuOnly = Rendered.of(template().withValuesFile(REQUIRED_VALUES)
                .set("edgeGateway.autoscaling.enabled", "true").call());
        assertThat(path(cpuOnly.byKind("HorizontalPodAutoscaler").get("rdv-rendezvous-edge-gateway"), "spec", "metrics"))
                .asString().doesNotContain("sockets");
    }

    @Test
    void shouldLetEachAppBeReachedOnlyWhereItServes() {
        Rendered r = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true").call());

        Map<String, Map<String, Object>> policies = r.byKind("NetworkPolicy");
        assertThat(policies).hasSize(4);
        String gw = String.valueOf(path(policies.get("rdv-rendezvous-edge-gateway"), "spec", "ingress"));
        assertThat(gw).contains("port=9080").contains("port=8080").doesNotContain("UDP");
        String fw = String.valueOf(path(policies.get("rdv-rendezvous-media-forwarder"), "spec", "ingress"));
        assertThat(fw).contains("port=9082").contains("port=10000, protocol=UDP").contains("port=10000, protocol=TCP")
                .doesNotContain("port=8082");
        String streams = String.valueOf(path(policies.get("rdv-rendezvous-stream-apps"), "spec", "ingress"));
        assertThat(streams).contains("port=9081").doesNotContain("port=8081");
        assertThat(path(policies.get("rdv-rendezvous-recorder"), "spec", "policyTypes")).asString()
                .isEqualTo("[Ingress, Egress]");

        // no ICE-TCP, no TCP media port opened
        Rendered udpOnly = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true")
                .set("mediaForwarder.tcpPort", "-1").call());
        assertThat(String.valueOf(path(udpOnly.byKind("NetworkPolicy").get("rdv-rendezvous-media-forwarder"), "spec",
                "ingress"))).contains("port=10000, protocol=UDP").doesNotContain("port=10000, protocol=TCP");
    }

    @Test
    void shouldLetEachAppSendOnlyToWhatItUses() {
        Rendered r = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true").call());
        Map<String, Map<String, Object>> policies = r.byKind("NetworkPolicy");
        // the required values: kafka-0.kafka:9092, r2dbc:postgresql://postgres:5432/…, http://minio:9000, no Aerospike,
        // no ClickHouse
        String gw = String.valueOf(path(policies.get("rdv-rendezvous-edge-gateway"), "spec", "egress"));
        assertThat(gw).contains("port=53, protocol=UDP").contains("port=53, protocol=TCP").contains("port=9092, protocol=TCP")
                .contains("port=5432, protocol=TCP").contains("port=9000, protocol=TCP").doesNotContain("port=3000")
                .doesNotContain("{protocol=UDP}");
        String streams = String.valueOf(path(policies.get("rdv-rendezvous-stream-apps"), "spec", "egress"));
        assertThat(streams).contains("port=9092, protocol=TCP").contains("port=5432, protocol=TCP").doesNotContain("9000");
        String fw = String.valueOf(path(policies.get("rdv-rendezvous-media-forwarder"), "spec", "egress"));
        assertThat(fw).contains("port=9092, protocol=TCP").contains("{protocol=UDP}").doesNotContain("5432")
                .doesNotContain("9000");
        String rec = String.valueOf(path(policies.get("rdv-rendezvous-recorder"), "spec", "egress"));
        assertThat(rec).contains("port=9092, protocol=TCP").contains("port=9000, protocol=TCP").doesNotContain("5432");

        // ports from the other dependencies' values, defaults where a host names none; overrides; peers
        Rendered more = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true")
                .set("aerospike.hosts", "as-0:3100").set("clickhouse.url", "https://clickhouse.example:8443")
                .set("s3.endpoint", "https://s3.eu-west-1.amazonaws.com").set("networkPolicy.egress.kafkaPorts[0]", "9094")
                .set("networkPolicy.egress.extraPorts[0]", "4317")
                .set("networkPolicy.egress.to[0].ipBlock.cidr", "10.20.0.0/16").call());
        String gw2 = String.valueOf(path(more.byKind("NetworkPolicy").get("rdv-rendezvous-edge-gateway"), "spec", "egress"));
        assertThat(gw2).contains("port=9094, protocol=TCP").contains("port=9092, protocol=TCP").contains("port=3100, protocol=TCP")
                .doesNotContain("port=3000").contains("port=8443, protocol=TCP").contains("port=443, protocol=TCP")
                .contains("port=4317, protocol=TCP").contains("cidr=10.20.0.0/16");

        // the DNS rule is not narrowed by `to`
        assertThat(String.valueOf(((List<?>) path(more.byKind("NetworkPolicy").get("rdv-rendezvous-edge-gateway"), "spec",
                "egress")).get(0))).contains("port=53").doesNotContain("cidr");

        Rendered defaults = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true")
                .set("aerospike.hosts", "as-1").set("clickhouse.url", "http://clickhouse.db:8123")
                .set("postgresql.r2dbcUrl", "r2dbc:postgresql://app:secret@pg-a:5433,pg-b/rendezvous?sslmode=require")
                .set("networkPolicy.egress.dnsPorts[0]", "5353").call());
        Map<String, Map<String, Object>> p3 = defaults.byKind("NetworkPolicy");
        assertThat(String.valueOf(path(p3.get("rdv-rendezvous-edge-gateway"), "spec", "egress")))
                .contains("port=3000, protocol=TCP").contains("port=8123, protocol=TCP").contains("port=5433, protocol=TCP")
                .contains("port=5432, protocol=TCP").contains("port=5353, protocol=UDP").doesNotContain("port=53,");
        assertThat(String.valueOf(path(p3.get("rdv-rendezvous-stream-apps"), "spec", "egress")))
                .contains("port=8123, protocol=TCP").contains("port=5433, protocol=TCP").doesNotContain("port=3000");
        // what the apps would refuse anyway fails the render with a message
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true")
                .set("clickhouse.url", "http://clickhouse.db").call()).hasMessageContaining("clickhouse.url must be");
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true")
                .set("kafka.bootstrapServers", "kafka-0").call()).hasMessageContaining("kafka.bootstrapServers must");

        Rendered open = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("networkPolicy.enabled", "true")
                .set("networkPolicy.egress.enabled", "false").call());
        Map<String, Object> gwOpen = open.byKind("NetworkPolicy").get("rdv-rendezvous-edge-gateway");
        assertThat(path(gwOpen, "spec", "policyTypes")).asString().isEqualTo("[Ingress]");
        assertThat(path(gwOpen, "spec", "egress")).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShipDashboardsAlertsAndTheScrapeConfigurationWhenAsked() {
        Rendered r = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("monitoring.dashboards.enabled", "true")
                .set("monitoring.alerts.enabled", "true").set("monitoring.alerts.prometheusRule", "true")
                .set("monitoring.scrapeConfig.enabled", "true").call());

        Map<String, Object> dashboards = r.byKind("ConfigMap").get("rdv-rendezvous-dashboards");
        assertThat(path(dashboards, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        String dashboard = (String) path(dashboards, "data", "rendezvous-overview.json");
        Map<String, Object> parsed = new Yaml().load(dashboard);   // JSON is YAML
        assertThat(parsed.get("uid")).isEqualTo("rendezvous-overview");
        assertThat((List<?>) parsed.get("panels")).hasSizeGreaterThan(10);

        String rules = (String) path(r.byKind("ConfigMap").get("rdv-rendezvous-alerts"), "data", "rendezvous-alerts.yaml");
        assertThat(alertNames(new Yaml().load(rules))).containsExactlyInAnyOrder("RendezvousForwarderDown",
                "RendezvousConsumerLagGrowing", "RendezvousErrorRate", "RendezvousDependencyDown",
                "RendezvousRecordingFailures", "RendezvousForwarderLoss", "RendezvousGatewayFull");
        Map<String, Object> rule = r.byKind("PrometheusRule").get("rdv-rendezvous");
        assertThat(alertNames((Map<String, Object>) rule.get("spec"))).hasSize(7);
        // the alert texts reach Prometheus as templates, not rendered away by Helm
        assertThat(String.valueOf(rule.get("spec"))).contains("{{ $labels.pod }}");

        String scrape = (String) path(r.byKind("ConfigMap").get("rdv-rendezvous-scrape"), "data", "scrape.yaml");
        assertThat(scrape).contains("kubernetes_sd_configs").contains("target_label: component");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAskEveryAppsServiceInTheHelmTestPod(@TempDir Path dir) throws IOException {
        assertThat(render(REQUIRED_VALUES).byKind("Pod")).as("a hook, not part of the release").isEmpty();
        Map<String, Object> pod = renderChart(unhookedCopy(dir), REQUIRED_VALUES).byKind("Pod")
                .get("rdv-rendezvous-test-health");

        assertThat(path(pod, "metadata", "annotations", UNHOOKED)).isEqualTo("test");
        assertThat(path(pod, "spec", "restartPolicy")).isEqualTo("Never");
        Map<String, Object> c = (Map<String, Object>) ((List<?>) path(pod, "spec", "containers")).get(0);
        String script = String.valueOf(c.get("command"));
        assertThat(script).contains("http://rdv-rendezvous-edge-gateway:80/")
                .contains("http://rdv-rendezvous-stream-apps:9081/actuator/health/readiness")
                .contains("http://rdv-rendezvous-media-forwarder:9082/actuator/health/readiness")
                .contains("http://rdv-rendezvous-recorder:9083/actuator/health/readiness");
    }

    @Test
    void shouldRefuseValuesTheSchemaDoesNotKnowOrOfTheWrongType() {
        // a typo is an error, not a silently ignored value
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("edgeGateway.replica", "3").call())
                .hasMessageContaining("replica");
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("mediaForwarder.udpPort", "70000").call())
                .hasMessageContaining("udpPort");
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("kafka.securityProtocol", "TLS").call())
                .hasMessageContaining("securityProtocol");
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("edgeGateway.managementPort", "8080").call())
                .hasMessageContaining("edgeGateway.port and edgeGateway.managementPort must differ");
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("the shipped values pass their own schema: %s", lint.getMessages()).isFalse();
    }

    @Test
    void shouldDescribeEveryValueInTheSchema() throws IOException {
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        Map<String, Object> schema = new Yaml().load(Files.readString(CHART.resolve("values.schema.json")));
        Set<String> missing = new TreeSet<>();
        missingFromSchema(values, schema, "", missing);
        assertThat(missing).as("values.yaml keys the schema does not describe (regenerate values.schema.json)").isEmpty();
    }

    @Test
    void shouldPassVictoriaMetricsOwnChecksOfTheRulesAndTheScrapeConfiguration() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/vmalert"));
        if (System.getenv("CI") != null) {
            assertThat(installed).as("CI installs victoria-metrics (.ci/run): the rules must be checked").isTrue();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, "victoria-metrics (vmalert) is not installed");
        // vmalert parses every rule's expression (MetricsQL, a superset of PromQL) and exits non-zero on an error
        assertThat(run("/usr/bin/vmalert", "-dryRun", "-loggerLevel=ERROR",
                "-rule=" + CHART.resolve("files/monitoring/alerts.yaml").toAbsolutePath())).isZero();
        // and the scrape configuration, strictly (an unknown field is an error)
        assertThat(run("/usr/bin/victoria-metrics", "-promscrape.config.dryRun", "-loggerLevel=ERROR",
                "-promscrape.config=" + CHART.resolve("files/monitoring/scrape.yaml").toAbsolutePath())).isZero();
        // a broken rule is refused: the check can fail
        Path bad = Files.createTempFile("bad-rules", ".yaml");
        Files.writeString(bad, "groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: sum(rate(x[5m])\n");
        assertThat(run("/usr/bin/vmalert", "-dryRun", "-loggerLevel=ERROR", "-rule=" + bad)).isNotZero();
        Files.delete(bad);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        return p.exitValue();
    }

    @SuppressWarnings("unchecked")
    private static void missingFromSchema(Map<String, Object> values, Map<String, Object> schema, String prefix,
                                          Set<String> missing) {
        Map<String, Object> props = (Map<String, Object>) schema.get("properties");
        if (props == null) {
            return;   // a free-form map (env, annotations, resources, …)
        }
        values.forEach((k, v) -> {
            Object s = props.get(k);
            if (s == null) {
                missing.add(prefix + k);
            } else if (v instanceof Map<?, ?> m) {
                missingFromSchema((Map<String, Object>) m, (Map<String, Object>) s, prefix + k + ".", missing);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertNames(Map<String, Object> ruleFile) {
        return ((List<Map<String, Object>>) ruleFile.get("groups")).stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .map(r -> (String) r.get("alert")).toList();
    }
}
