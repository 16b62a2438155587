package dev.rendezvous.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each app of a started stack is told: the address it listens on, where Kafka, PostgreSQL, S3, ClickHouse and
 * Aerospike are, its own id, and its secrets (which {@link AppLaunch} keeps out of the command line). Read from the stack's
 * accessors, so it holds no state of its own.
 */
final class AppWiring {

    private AppWiring() {}

    static AppLaunch launch(Stack stack, AppInstance instance) {
        Map<String, String> opts = new LinkedHashMap<>();
        if (instance.app() != App.EDGE_GATEWAY || stack.nginxInFront()) {
            // nothing but the gateway serves anyone else: the other apps' HTTP ports (their actuator is on the
            // management port) and a fleet's gateways behind nginx listen on loopback only
            opts.put("server.address", Ports.HOST);
        }
        opts.put("rendezvous.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
        switch (instance.app()) {
            case EDGE_GATEWAY -> {
                putPostgres(stack, opts);
                opts.put("rendezvous.gateway.id", instance.id());
                opts.put("rendezvous.gateway.public-url", stack.publicUrl());
                if (stack.nginxInFront()) {
                    // the client's address for the per-address limits: nginx sets X-Forwarded-For, and only a
                    // connection from loopback (nginx) may set it
                    opts.put("rendezvous.limits.trust-forwarded-for", "true");
                    opts.put("rendezvous.limits.trusted-proxies", "127.0.0.1,::1");
                }
                opts.put("rendezvous.auth.jwt-secret", stack.jwtSecret());
                if (stack.aerospikeHosts() != null) {
                    opts.put("rendezvous.aerospike.hosts", stack.aerospikeHosts());
                }
                putS3(stack, opts);
                if (stack.clickHouseUrl() != null) { // a meeting's analytics for its host
                    opts.put("rendezvous.clickhouse.url", stack.clickHouseUrl());
                }
            }
            case STREAM_APPS -> {
                putPostgres(stack, opts);
                opts.put("rendezvous.streams.state-dir", stack.dataDir().resolve("streams-state").toString());
                if (stack.clickHouseUrl() != null) {
                    opts.put("rendezvous.clickhouse.url", stack.clickHouseUrl());
                }
            }
            case MEDIA_FORWARDER -> {
                opts.put("rendezvous.forwarder.id", instance.id());
                opts.put("rendezvous.forwarder.region", "local");
                opts.put("rendezvous.forwarder.advertised-address", Ports.HOST);
                opts.put("rendezvous.forwarder.udp-port", String.valueOf(instance.mediaUdpPort()));
            }
            case RECORDER -> putS3(stack, opts);
            default -> throw new IllegalArgumentException(String.valueOf(instance.app()));
        }
        AppLaunch launch = new AppLaunch();
        opts.forEach(launch::put);
        return launch;
    }

    private static void putPostgres(Stack stack, Map<String, String> opts) {
        opts.put("spring.r2dbc.url", stack.postgresR2dbcUrl());
        opts.put("spring.r2dbc.username", stack.postgresUsername());
        opts.put("spring.r2dbc.password", stack.postgresPassword());
    }

    private static void putS3(Stack stack, Map<String, String> opts) {
        opts.put("rendezvous.s3.endpoint", stack.s3Endpoint());
        opts.put("rendezvous.s3.access-key", stack.s3AccessKey());
        opts.put("rendezvous.s3.secret-key", stack.s3SecretKey());
        opts.put("rendezvous.s3.bucket", Stack.BUCKET);
    }
}
