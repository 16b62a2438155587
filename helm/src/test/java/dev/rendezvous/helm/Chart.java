package dev.rendezvous.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/** Rendering the chart with real Helm (helm-java runs Helm's Go code in-process) and reading what it printed. */
final class Chart {

    static final Path CHART = Path.of("rendezvous");
    static final Path REQUIRED_VALUES = Path.of("src/test/resources/values-required.yaml");
    static final String KUBE_VERSION = "v1.31.0";
    static final String UNHOOKED = "test.rendezvous.dev/unhooked-helm.sh-hook";

    private Chart() {}


    /**
     * {@code helm template} for a current cluster: helm-java's embedded Helm assumes Kubernetes 1.20 unless told,
     * which the chart's {@code kubeVersion: >=1.23} rejects ({@code helm install} uses the cluster's real version).
     */
    static TemplateCommand template() {
        return template(CHART);
    }

    static TemplateCommand template(Path chart) {
        return new Helm(chart).template().withName("rdv").withNamespace("meet").withKubeVersion(KUBE_VERSION);
    }

    /**
     * helm-java's {@code template} returns the release manifest only; the Helm CLI appends hook resources
     * itself. To see the hook Job as Kubernetes would receive it, render a copy of the chart in which the hook
     * annotation's key is renamed ({@value #UNHOOKED}), which makes the Job an ordinary resource; everything
     * else is the chart as shipped.
     */
    static Path unhookedCopy(Path dir) throws IOException {
        Path copy = dir.resolve("rendezvous");
        try (var files = Files.walk(CHART)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(CHART.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, Files.readString(f).replace("helm.sh/hook:", UNHOOKED + ":"));
                }
            }
        }
        return copy;
    }

    static Rendered render(Path... valuesFiles) {
        return renderChart(CHART, valuesFiles);
    }

    static Rendered renderChart(Path chart, Path... valuesFiles) {
        TemplateCommand t = template(chart);
        for (Path v : valuesFiles) {
            t = t.withValuesFile(v);
        }
        return Rendered.of(t.call());
    }

    /** The documents `helm template` printed. */
    record Rendered(List<Map<String, Object>> documents) {

        @SuppressWarnings("unchecked")
        static Rendered of(String yaml) {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object o : new Yaml().loadAll(yaml)) {
                if (o != null) {
                    docs.add((Map<String, Object>) o);
                }
            }
            return new Rendered(docs);
        }

        /** Deployments and StatefulSets by name. */
        Map<String, Map<String, Object>> workloads() {
            Map<String, Map<String, Object>> all = new LinkedHashMap<>(byKind("Deployment"));
            all.putAll(byKind("StatefulSet"));
            return all;
        }

        Map<String, Map<String, Object>> byKind(String kind) {
            return documents.stream().filter(d -> kind.equals(d.get("kind")))
                    .collect(Collectors.toMap(d -> (String) path(d, "metadata", "name"), d -> d,
                            (a, b) -> { throw new AssertionError("two " + kind + "s with one name"); }, LinkedHashMap::new));
        }

        Map<String, Object> job() {
            Map<String, Map<String, Object>> jobs = byKind("Job");
            assertThat(jobs).hasSize(1);
            return jobs.values().iterator().next();
        }
    }

    static Object path(Map<String, Object> doc, String... keys) {
        Object o = doc;
        for (String k : keys) {
            assertThat(o).as("parent of %s", k).isInstanceOf(Map.class);
            o = ((Map<?, ?>) o).get(k);
        }
        return o;
    }

    static List<?> list(Map<String, Object> doc, String... keys) {
        Object o = path(doc, keys);
        assertThat(o).isInstanceOf(List.class);
        return (List<?>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(Map<String, Object> workload) {
        List<?> containers = list(workload, "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return (Map<String, Object>) containers.get(0);
    }

    /** NAME -> value, or NAME -> the valueFrom map for secret and field references. */
    static Map<String, Object> env(Map<String, Object> containerOrWorkload) {
        Map<String, Object> c = containerOrWorkload.containsKey("spec") ? container(containerOrWorkload) : containerOrWorkload;
        Map<String, Object> env = new LinkedHashMap<>();
        for (Object e : list(c, "env")) {
            Map<?, ?> m = (Map<?, ?>) e;
            Object previous = env.put((String) m.get("name"), m.containsKey("value") ? m.get("value") : m.get("valueFrom"));
            assertThat(previous).as("env %s set twice", m.get("name")).isNull();
        }
        env.values().forEach(Objects::requireNonNull);
        return env;
    }
}
