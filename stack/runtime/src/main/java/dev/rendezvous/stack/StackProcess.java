package dev.rendezvous.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One process of a running stack as {@code ./rendezvous status} sees it: what it is, where its pid is written (it
 * changes when the process is restarted), its ports and, for our apps, the actuator's port.
 *
 * @param name            the process's name (its log file's name)
 * @param kind            what it is
 * @param id              a gateway's or forwarder's configured id, else null
 * @param pidFile         the file whose first word is its pid
 * @param ports           its ports by role ({@code http}, {@code management}, {@code media-udp}, {@code kafka}, …)
 * @param managementPort  the actuator's port (127.0.0.1) for our apps, else -1
 */
public record StackProcess(String name, Kind kind, String id, Path pidFile, Map<String, Integer> ports, int managementPort) {

    /** What a process is. */
    public enum Kind {
        KAFKA, POSTGRES, S3, CLICKHOUSE, AEROSPIKE, NGINX, VICTORIA_METRICS, GATEWAY, STREAM_APPS, FORWARDER, RECORDER;

        static Kind of(App app) {
            switch (app) {
                case EDGE_GATEWAY:
                    return GATEWAY;
                case STREAM_APPS:
                    return STREAM_APPS;
                case MEDIA_FORWARDER:
                    return FORWARDER;
                case RECORDER:
                    return RECORDER;
                default:
                    throw new IllegalArgumentException(String.valueOf(app));
            }
        }
    }

    public StackProcess {
        ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    }

    static List<StackProcess> of(Stack s, Path dataDir, Path runDir, boolean kafka, boolean embeddedPostgres, boolean s3,
                                 boolean clickHouse, boolean aerospike, boolean nginx, int[] aerospikePorts,
                                 boolean victoriaMetrics, int victoriaMetricsPort) {
        List<StackProcess> out = new ArrayList<>();
        if (kafka) {
            out.add(infra("kafka", Kind.KAFKA, runDir, ports("kafka", s.kafkaPort(), "controller", s.kafkaControllerPort())));
        }
        if (embeddedPostgres) {
            out.add(new StackProcess("postgres", Kind.POSTGRES, null, dataDir.resolve("postgres").resolve("postmaster.pid"),
                    ports("sql", s.postgresPort()), -1));
        }
        if (s3) {
            out.add(infra("s3-server", Kind.S3, runDir, ports("s3", s.s3Port())));
        }
        if (clickHouse) {
            int[] ch = s.clickHousePorts();
            out.add(infra("clickhouse", Kind.CLICKHOUSE, runDir, ports("http", ch[0], "native", ch[1])));
        }
        if (aerospike) {
            out.add(infra("aerospike", Kind.AEROSPIKE, runDir, ports("client", aerospikePorts[0])));
        }
        if (nginx) {
            out.add(infra("nginx", Kind.NGINX, runDir, ports("http", s.appPort(App.EDGE_GATEWAY))));
        }
        if (victoriaMetrics) {
            out.add(infra("victoria-metrics", Kind.VICTORIA_METRICS, runDir, ports("http", victoriaMetricsPort)));
        }
        for (App a : App.values()) {
            for (AppInstance i : s.instances(a)) {
                Map<String, Integer> p = ports("http", i.port(), "management", i.managementPort());
                if (i.mediaUdpPort() >= 0) {
                    p.put("media-udp", i.mediaUdpPort());
                }
                out.add(new StackProcess(i.name(), Kind.of(a), i.id(), runDir.resolve(i.name() + ".pid"), p, i.managementPort()));
            }
        }
        return out;
    }

    private static StackProcess infra(String name, Kind kind, Path runDir, Map<String, Integer> ports) {
        return new StackProcess(name, kind, null, runDir.resolve(name + ".pid"), ports, -1);
    }

    private static Map<String, Integer> ports(Object... pairs) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return m;
    }
}
