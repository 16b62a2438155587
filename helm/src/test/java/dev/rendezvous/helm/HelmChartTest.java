package dev.rendezvous.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.rendezvous.helm.Chart.*;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.rendezvous.topics.TopicSpec;
import dev.rendezvous.topics.Topics;
import dev.rendezvous.topics.TopicsDoc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders the chart with real Helm (helm-java runs Helm's Go code in-process) and checks what
 * Kubernetes would receive.
 */
class HelmChartTest {

    private static final Path OVERRIDES = Path.of("src/test/resources/values-overrides.yaml");
    private static final List<String> APPS = List.of("edge-gateway", "stream-apps", "media-forwarder", "recorder");
    private static final String APP_VERSION = "0.1.0";

    @Test
    void shouldPassHelmLintStrictly() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void shouldRenderFourWorkloadsWithProbesFromTheRequiredValuesAlone() {
        Rendered r = render(REQUIRED_VALUES);

        Map<String, Map<String, Object>> deployments = r.workloads();
        assertThat(r.byKind("StatefulSet")).containsOnlyKeys("rdv-rendezvous-media-forwarder");
        assertThat(deployments.keySet()).containsExactlyInAnyOrderElementsOf(
                APPS.stream().map(a -> "rdv-rendezvous-" + a).toList());
        for (String app : APPS) {
            Map<String, Object> d = deployments.get("rdv-rendezvous-" + app);
            Map<String, Object> container = container(d);
            assertThat(container.get("image")).isEqualTo("rendezvous/" + app + ":" + APP_VERSION);
            assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(path(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            // probes on the management port (the actuator's own port; the HTTP port has only the gateway's bare health)
            assertThat(path(container, "readinessProbe", "httpGet", "port")).isEqualTo("management");
            assertThat(path(container, "livenessProbe", "httpGet", "port")).isEqualTo("management");
            assertThat(path(container, "startupProbe", "httpGet", "port")).isEqualTo("management");
            Map<String, Object> env = env(container);
            assertThat(env).containsEntry("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9092")
                    .containsEntry("RENDEZVOUS_KAFKA_PROVISION_TOPICS", "false")
                    .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");
            Object port = ((Map<?, ?>) list(container, "ports").get(0)).get("containerPort");
            assertThat(env).containsEntry("SERVER_PORT", String.valueOf(port));
            Map<?, ?> management = (Map<?, ?>) list(container, "ports").get(1);
            assertThat(management.get("name")).isEqualTo("management");
            assertThat(management.get("containerPort")).isEqualTo(9080 + APPS.indexOf(app));
            assertThat(env).containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(management.get("containerPort")))
                    .containsEntry("RENDEZVOUS_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "PLAINTEXT")
                    .doesNotContainKey("RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
            assertThat(path(d, "spec", "template", "metadata", "annotations", "prometheus.io/port"))
                    .isEqualTo(String.valueOf(management.get("containerPort")));
            assertThat(path(d, "spec", "template", "metadata", "annotations", "prometheus.io/path"))
                    .isEqualTo("/actuator/prometheus");
            assertThat(path(d, "spec", "selector", "matchLabels", "app.kubernetes.io/component")).isEqualTo(app);
        }
        assertThat(r.byKind("Service")).hasSize(5); // the forwarders' headless Service too
        assertThat(path(r.byKind("Service").get("rdv-rendezvous-edge-gateway"), "spec", "ports"))
                .asString().contains("port=80").contains("targetPort=http");
        for (String internal : List.of("stream-apps", "media-forwarder", "recorder")) {
            assertThat(path(r.byKind("Service").get("rdv-rendezvous-" + internal), "spec", "ports"))
                    .asString().contains("targetPort=management").doesNotContain("targetPort=http");
        }
        assertThat(r.byKind("PodDisruptionBudget")).hasSize(4); // one per app (ProductionChartTest)
        // forwarders keep their id (the pod name) across restarts, and have time to drain
        Map<String, Object> forwarders = r.byKind("StatefulSet").get("rdv-rendezvous-media-forwarder");
        assertThat(forwarders).as("the forwarders are a StatefulSet").isNotNull();
        assertThat(r.byKind("Deployment")).doesNotContainKey("rdv-rendezvous-media-forwarder");
        assertThat(path(forwarders, "spec", "podManagementPolicy")).isEqualTo("Parallel");
        assertThat(path(forwarders, "spec", "serviceName")).isEqualTo("rdv-rendezvous-media-forwarder-pods");
        assertThat(path(forwarders, "spec", "template", "spec", "terminationGracePeriodSeconds")).isEqualTo(90);
        assertThat(env(container(forwarders)).get("RENDEZVOUS_FORWARDER_ID")).asString().contains("metadata.name");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveEveryPodAndTheTopicJobTheKafkaSecuritySettings(@TempDir Path dir) throws IOException {
        Rendered r = renderChart(unhookedCopy(dir), REQUIRED_VALUES, OVERRIDES);

        List<Map<String, Object>> pods = new ArrayList<>(r.workloads().values());
        pods.add(r.job());
        assertThat(pods).hasSize(5);
        for (Map<String, Object> pod : pods) {
            Map<String, Object> c = container(pod);
            Map<String, Object> env = env(c);
            assertThat(env).containsEntry("RENDEZVOUS_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("RENDEZVOUS_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", "/etc/rendezvous/kafka-tls/truststore.p12")
                    .containsEntry("RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE", "PKCS12")
                    .containsEntry("RENDEZVOUS_KAFKA_PROPERTIES_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https");
            // secrets by reference to their Secret, never as values
            assertThat(env.get("RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).asString()
                    .contains("name=kafka-jaas").contains("key=jaas-config");
            assertThat(env.get("RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_PASSWORD")).asString()
                    .contains("name=kafka-ca").contains("key=truststore-password");
            assertThat(list(c, "volumeMounts")).asString().contains("name=kafka-tls")
                    .contains("mountPath=/etc/rendezvous/kafka-tls").contains("readOnly=true");
            assertThat(path(pod, "spec", "template", "spec", "volumes")).asString()
                    .contains("name=kafka-tls").contains("secretName=kafka-ca");
        }
        // stream-apps keeps its state volume next to the truststore
        assertThat(path(r.workloads().get("rdv-rendezvous-stream-apps"), "spec", "template", "spec", "volumes"))
                .asString().contains("streams-state");
    }

    @Test
    void shouldTakeImageTagsReplicasAndSettingsFromValues(@TempDir Path dir) throws IOException {
        Rendered r = renderChart(unhookedCopy(dir), REQUIRED_VALUES, OVERRIDES);

        Map<String, Map<String, Object>> deployments = r.workloads();
        Map<String, String> tags = Map.of("edge-gateway", "1.2.3-gw", "stream-apps", "1.2.3-sa",
                "media-forwarder", "1.2.3-mf", "recorder", "1.2.3-rec");
        Map<String, Integer> replicas = Map.of("edge-gateway", 6, "stream-apps", 4, "media-forwarder", 12, "recorder", 3);
        for (String app : APPS) {
            Map<String, Object> d = deployments.get("rdv-rendezvous-" + app);
            assertThat(container(d).get("image")).isEqualTo("registry.example.org/rdv/" + app + ":" + tags.get(app));
            assertThat(path(d, "spec", "replicas")).isEqualTo(replicas.get(app));
            assertThat(path(d, "spec", "template", "spec", "imagePullSecrets")).asString().contains("regcred");
            assertThat(env(container(d))).containsEntry("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS",
                    "kafka-0.kafka:9092,kafka-1.kafka:9092,kafka-2.kafka:9092");
        }

        Map<String, Object> forwarder = env(container(deployments.get("rdv-rendezvous-media-forwarder")));
        assertThat(forwarder).containsEntry("RENDEZVOUS_FORWARDER_ADVERTISED_ADDRESS", "203.0.113.10")
                .containsEntry("RENDEZVOUS_FORWARDER_UDP_PORT", "20000")
                .containsEntry("RENDEZVOUS_FORWARDER_TCP_PORT", "20000") // ICE-TCP: the UDP port's number by default
                .containsEntry("RENDEZVOUS_FORWARDER_CAPACITY", "250")
                .containsEntry("RENDEZVOUS_FORWARDER_REGION", "eu-west-1a");
        assertThat(list(container(deployments.get("rdv-rendezvous-media-forwarder")), "ports")).asString()
                .contains("containerPort=20000").contains("hostPort=20000").contains("protocol=UDP")
                .contains("name=media-tcp").contains("protocol=TCP");

        Map<String, Object> gateway = env(container(deployments.get("rdv-rendezvous-edge-gateway")));
        assertThat(gateway).containsEntry("RENDEZVOUS_GATEWAY_PUBLIC_URL", "https://meet.example.org")
                .containsEntry("SPRING_R2DBC_URL", "r2dbc:postgresql://pg.db:5432/rdv")
                .containsEntry("RENDEZVOUS_S3_BUCKET", "rdv-recordings")
                .containsEntry("RENDEZVOUS_GATEWAY_FRAMES_PER_SECOND", "40")
                .containsEntry("RENDEZVOUS_AEROSPIKE_HOSTS", "as-0.aerospike.db:3000,as-1.aerospike.db:3000")
                .containsEntry("RENDEZVOUS_AEROSPIKE_NAMESPACE", "rdv")
                .containsEntry("RENDEZVOUS_AEROSPIKE_SET_PREFIX", "gw_")
                .containsEntry("RENDEZVOUS_LIMITS_TRUST_FORWARDED_FOR", "true")
                // from the values file (a float to Helm): a whole number still, not 2e+04
                .containsEntry("RENDEZVOUS_LIMITS_SOCKETS_PER_GATEWAY", "20000");
        assertThat(gateway.get("SPRING_R2DBC_PASSWORD")).asString().contains("pg-credentials");
        // requests to a bucket outside us-east-1 are signed for its region, or AWS refuses them
        assertThat(gateway).containsEntry("RENDEZVOUS_S3_REGION", "eu-west-1");
        assertThat(env(container(deployments.get("rdv-rendezvous-recorder")))).containsEntry("RENDEZVOUS_S3_REGION", "eu-west-1");
        for (String app : List.of("edge-gateway", "stream-apps")) {
            Map<String, Object> e = env(container(deployments.get("rdv-rendezvous-" + app)));
            assertThat(e).as(app).containsEntry("RENDEZVOUS_CLICKHOUSE_URL", "http://clickhouse.db:8123")
                    .containsEntry("RENDEZVOUS_CLICKHOUSE_USERNAME", "rdv_analytics");
            assertThat(e.get("RENDEZVOUS_CLICKHOUSE_PASSWORD")).as(app + ": from the Secret, never a plain value")
                    .asString().contains("secretKeyRef").contains("ch-credentials").contains("key=password");
        }
        assertThat(env(r.job())).containsEntry("RENDEZVOUS_KAFKA_TOPIC_PARTITIONS", "embedded");
        assertThat(container(r.job()).get("image")).isEqualTo("registry.example.org/rdv/stream-apps:1.2.3-sa");
    }

    @Test
    void shouldWireEachAppWithTheConfigurationItReads() {
        Map<String, Map<String, Object>> d = render(REQUIRED_VALUES).workloads();

        assertThat(env(container(d.get("rdv-rendezvous-edge-gateway")))).containsKeys(
                "RENDEZVOUS_GATEWAY_ID", "RENDEZVOUS_GATEWAY_PUBLIC_URL", "RENDEZVOUS_AUTH_JWT_SECRET",
                "SPRING_R2DBC_URL", "SPRING_R2DBC_USERNAME", "SPRING_R2DBC_PASSWORD",
                "RENDEZVOUS_S3_ENDPOINT", "RENDEZVOUS_S3_BUCKET", "RENDEZVOUS_S3_ACCESS_KEY", "RENDEZVOUS_S3_SECRET_KEY")
                .containsEntry("RENDEZVOUS_LIMITS_TRUST_FORWARDED_FOR", "false")
                .containsEntry("RENDEZVOUS_GATEWAY_REGION", "local")
                .containsEntry("RENDEZVOUS_S3_REGION", "us-east-1")
                .doesNotContainKey("RENDEZVOUS_AEROSPIKE_HOSTS") // no cluster given: in-process (one gateway)
                .doesNotContainKey("RENDEZVOUS_CLICKHOUSE_USERNAME");
        assertThat(env(container(d.get("rdv-rendezvous-stream-apps")))).containsKeys(
                "SPRING_R2DBC_URL", "RENDEZVOUS_STREAMS_STATE_DIR", "RENDEZVOUS_STREAMS_THREADS")
                .doesNotContainKeys("RENDEZVOUS_CLICKHOUSE_URL", "RENDEZVOUS_CLICKHOUSE_PASSWORD");
        Map<String, Object> forwarder = env(container(d.get("rdv-rendezvous-media-forwarder")));
        assertThat(forwarder).containsEntry("RENDEZVOUS_FORWARDER_REGION", "local")
                .containsEntry("RENDEZVOUS_FORWARDER_CAPACITY", "200");
        assertThat(forwarder.get("RENDEZVOUS_FORWARDER_ID")).asString().contains("metadata.name");
        assertThat(forwarder.get("RENDEZVOUS_FORWARDER_ADVERTISED_ADDRESS")).asString().contains("status.hostIP");
        assertThat(env(container(d.get("rdv-rendezvous-recorder")))).containsKeys(
                "RENDEZVOUS_S3_ENDPOINT", "RENDEZVOUS_S3_BUCKET", "RENDEZVOUS_S3_ACCESS_KEY", "RENDEZVOUS_S3_SECRET_KEY")
                .doesNotContainKey("SPRING_R2DBC_URL");
    }

    @Test
    void shouldRunForwardersAsAStatefulSetWhoseIdIsThePodName() {
        Rendered r = render(REQUIRED_VALUES);

        Map<String, Object> forwarders = r.byKind("StatefulSet").get("rdv-rendezvous-media-forwarder");
        assertThat(r.byKind("Deployment")).doesNotContainKey("rdv-rendezvous-media-forwarder");
        // a stable pod name (…-media-forwarder-0, -1, …) is a stable forwarder id across restarts
        assertThat(path(env(container(forwarders)), "RENDEZVOUS_FORWARDER_ID", "fieldRef", "fieldPath"))
                .isEqualTo("metadata.name");
        assertThat(path(forwarders, "spec", "serviceName")).isEqualTo("rdv-rendezvous-media-forwarder-pods");
        assertThat(path(forwarders, "spec", "podManagementPolicy")).isEqualTo("Parallel");
        Map<String, Object> headless = r.byKind("Service").get("rdv-rendezvous-media-forwarder-pods");
        assertThat(path(headless, "spec", "clusterIP")).isEqualTo("None");
    }

    @Test
    void shouldPutNoIngressUnlessAsked() {
        assertThat(render(REQUIRED_VALUES).byKind("Ingress")).isEmpty();
    }

    @Test
    void shouldPutTheGatewaysBehindIngressNginxWithTheFleetsNginxSettingsAndTls() {
        Rendered r = Rendered.of(template().withValuesFile(REQUIRED_VALUES).set("ingress.enabled", "true")
                .set("ingress.host", "meet.example.com").set("ingress.tls[0].secretName", "meet-tls")
                .set("ingress.tls[0].hosts[0]", "meet.example.com").set("limits.trustForwardedFor", "true").call());

        Map<String, Object> ingress = r.byKind("Ingress").get("rdv-rendezvous-edge-gateway");
        assertThat(ingress).isNotNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> annotations = (Map<String, Object>) path(ingress, "metadata", "annotations");
        // the numbers of the all-in-one fleet's nginx.conf (NginxConfig), so both behave alike
        assertThat(annotations)
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout",
                        String.valueOf(dev.rendezvous.stack.NginxConfig.READ_TIMEOUT.toSeconds()))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout",
                        String.valueOf(dev.rendezvous.stack.NginxConfig.SEND_TIMEOUT.toSeconds()))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-connect-timeout",
                        String.valueOf(dev.rendezvous.stack.NginxConfig.CONNECT_TIMEOUT.toSeconds()))
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", dev.rendezvous.stack.NginxConfig.CLIENT_MAX_BODY_SIZE)
                .containsEntry("nginx.ingress.kubernetes.io/ssl-redirect", "true");
        assertThat(path(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
        assertThat(path(ingress, "spec", "tls")).asString().contains("secretName=meet-tls").contains("meet.example.com");
        assertThat(path(ingress, "spec", "rules")).asString().contains("host=meet.example.com")
                .contains("name=rdv-rendezvous-edge-gateway");
        assertThat(env(container(r.workloads().get("rdv-rendezvous-edge-gateway"))))
                .containsEntry("RENDEZVOUS_LIMITS_TRUST_FORWARDED_FOR", "true")
                .containsEntry("RENDEZVOUS_LIMITS_TRUSTED_PROXIES", "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8");
    }

    @Test
    void shouldPutEveryCatalogueTopicIntoTheTopicsConfigMap() {
        Map<String, Object> configMap = render(REQUIRED_VALUES).byKind("ConfigMap").get("rdv-rendezvous-topics");
        assertThat(configMap).isNotNull();
        String file = (String) path(configMap, "data", "topics.yaml");

        Map<String, Object> parsed = new Yaml().load(file);
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Object t : (List<?>) parsed.get("topics")) {
            byName.put((String) ((Map<?, ?>) t).get("name"), t);
        }
        for (TopicSpec<?> spec : Topics.ALL) {
            assertThat(byName).as("topic %s in the ConfigMap", spec.name()).containsKey(spec.name());
            assertThat(((Map<?, ?>) byName.get(spec.name())).get("partitions")).isEqualTo(spec.productionPartitions());
        }
        assertThat(byName).hasSameSizeAs(Topics.ALL);
    }

    @Test
    void shouldShipTheTopicsFileGeneratedFromTheCatalogue() throws IOException {
        assertThat(Files.readString(CHART.resolve("files/topics.yaml")))
                .as("helm/rendezvous/files/topics.yaml is stale: regenerate with `mvn -q -pl topics exec:java`")
                .isEqualTo(TopicsDoc.helmYaml());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldProvisionTopicsInAHookJobBeforeInstallAndUpgrade(@TempDir Path dir) throws IOException {
        assertThat(render(REQUIRED_VALUES).byKind("Job")).as("a hook, not part of the release manifest").isEmpty();
        Map<String, Object> job = renderChart(unhookedCopy(dir), REQUIRED_VALUES).job();

        assertThat(path(job, "metadata", "annotations", UNHOOKED)).isEqualTo("pre-install,pre-upgrade");
        assertThat(path(job, "metadata", "annotations", "helm.sh/hook-delete-policy"))
                .isEqualTo("before-hook-creation,hook-succeeded");
        Map<String, Object> c = container(job);
        assertThat(c.get("image")).isEqualTo("rendezvous/stream-apps:" + APP_VERSION);
        assertThat((List<Object>) c.get("args")).containsExactly("--rendezvous.provision-only=true");
        assertThat(env(job)).containsEntry("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9092")
                .containsEntry("RENDEZVOUS_KAFKA_REPLICATION_FACTOR", "3")
                .containsEntry("RENDEZVOUS_KAFKA_TOPIC_PARTITIONS", "production");
        assertThat(path(job, "spec", "template", "spec", "restartPolicy")).isEqualTo("Never");
    }

    @Test
    void shouldLeaveTopicsToTheAppsWhenTheJobIsOff(@TempDir Path dir) throws IOException {
        Rendered r = Rendered.of(template(unhookedCopy(dir)).withValuesFile(REQUIRED_VALUES)
                .set("topicProvisioning.enabled", "false").call());

        assertThat(r.byKind("Job")).isEmpty();
        assertThat(env(container(r.workloads().get("rdv-rendezvous-recorder"))))
                .doesNotContainKey("RENDEZVOUS_KAFKA_PROVISION_TOPICS");
    }

    @Test
    void shouldRefuseClustersOlderThanTheChartSupports() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("rdv").withKubeVersion("v1.20.0")
                .withValuesFile(REQUIRED_VALUES).call())
                .hasMessageContaining("kubeVersion");
    }

    @Test
    void shouldRefuseToRenderTheDefaultValuesWithAClearMessage() {
        assertThatThrownBy(() -> template().call())
                .hasMessageContaining("kafka.bootstrapServers is required");
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource({"kafka.bootstrapServers", "postgresql.r2dbcUrl", "s3.endpoint", "publicUrl"})
    void shouldRefuseToRenderWithoutARequiredValue(String key) {
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set(key, "").call())
                .hasMessageContaining(key + " is required");
    }

    @Test
    void shouldPrintNotesNamingTheServiceAndTheSecretsToCreate() {
        String report = new Helm(CHART).install().withName("rdv").withNamespace("meet").withKubeVersion(KUBE_VERSION)
                .dryRun().clientOnly().debug().withValuesFile(REQUIRED_VALUES).call().getOutput();

        String notes = report.substring(report.indexOf("NOTES:"));
        assertThat(notes).contains("svc/rdv-rendezvous-edge-gateway")
                .contains("https://meet.example.com")
                .contains("rendezvous-postgresql").contains("rendezvous-s3").contains("rendezvous-jwt")
                .contains("Analytics is off");
    }

    @Test
    void shouldRefuseAnUnknownPartitionSizing() {
        assertThatThrownBy(() -> template().withValuesFile(REQUIRED_VALUES).set("topicProvisioning.partitions", "huge").call())
                .hasMessageContaining("topicProvisioning/partitions").hasMessageContaining("'production', 'embedded'");
    }
}
