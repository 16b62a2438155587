package dev.rendezvous.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or updates the catalogue's topics, idempotently: missing topics are created; existing ones get
 * more partitions if the catalogue asks for more (never fewer: that would move keys) and their configs set
 * to the catalogue's. Safe to run from every service at start, concurrently: a topic another service is
 * creating at the same moment is waited for until the broker knows it.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    /** What one run did, for logs and tests. */
    public record Result(List<String> created, List<String> repartitioned, List<String> reconfigured) {}

    private TopicProvisioner() {}

    public static Result ensure(Admin admin, int replicationFactor) {
        return ensure(admin, Topics.ALL, replicationFactor);
    }

    /**
     * What an app does at start: the catalogue provisioned with {@code rendezvous.kafka.replication-factor}, or
     * nothing at all (no topic created, grown or reconfigured) when {@code rendezvous.kafka.provision-topics} is off
     * because a deployment job provisions the topics and the app has no rights to.
     *
     * @return what changed, or empty when provisioning is off here
     */
    public static Optional<Result> atStart(Admin admin, KafkaConnectionProperties kafka) {
        if (!kafka.provisionTopics()) {
            return skipped();
        }
        Result r = ensure(admin, kafka.replicationFactor());
        log.info("topics ready ({} created, {} grown, {} reconfigured)", r.created().size(), r.repartitioned().size(),
                r.reconfigured().size());
        return Optional.of(r);
    }

    /** {@link #atStart(Admin, KafkaConnectionProperties)} with an admin client of its own, made only when it provisions. */
    public static Optional<Result> atStart(KafkaConnectionProperties kafka, Map<String, Object> adminConfig) {
        if (!kafka.provisionTopics()) {
            return skipped();
        }
        try (Admin admin = Admin.create(adminConfig)) {
            return atStart(admin, kafka);
        }
    }

    private static Optional<Result> skipped() {
        log.info("topics not provisioned by this app (rendezvous.kafka.provision-topics=false)");
        return Optional.empty();
    }

    /** Which partition counts of the catalogue to provision. */
    public enum Sizing { EMBEDDED, PRODUCTION }

    public static Result ensure(Admin admin, int replicationFactor, Sizing sizing) {
        List<TopicSpec<?>> specs = sizing == Sizing.PRODUCTION
                ? Topics.ALL.stream().<TopicSpec<?>>map(TopicSpec::atProductionSize).toList()
                : Topics.ALL;
        return ensure(admin, specs, replicationFactor);
    }

    /**
     * A one-shot command for deployments (the Helm chart's pre-install Job): provisions every topic and
     * returns a process exit code. Settings come from the environment: RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS,
     * RENDEZVOUS_KAFKA_REPLICATION_FACTOR (default 3), RENDEZVOUS_KAFKA_TOPIC_PARTITIONS (production|embedded,
     * default production), RENDEZVOUS_KAFKA_PROPERTIES_* (extra client properties such as SASL and TLS, see
     * {@link KafkaConnection#fromEnvironment}); a {@code --rendezvous.kafka.bootstrap-servers=} argument wins
     * over the environment.
     */
    public static int runCommand(String[] args, Map<String, String> env) {
        String bootstrap = env.getOrDefault("RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS", "");
        for (String a : args) {
            if (a.startsWith("--rendezvous.kafka.bootstrap-servers=")) {
                bootstrap = a.substring(a.indexOf('=') + 1);
            }
        }
        if (bootstrap.isBlank()) {
            log.error("provisioning topics needs RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS");
            return 2;
        }
        int rf = Integer.parseInt(env.getOrDefault("RENDEZVOUS_KAFKA_REPLICATION_FACTOR", "3"));
        Sizing sizing = Sizing.valueOf(env.getOrDefault("RENDEZVOUS_KAFKA_TOPIC_PARTITIONS", "production").toUpperCase(java.util.Locale.ROOT));
        Map<String, Object> config = KafkaConnection.fromEnvironment(bootstrap, env).clientConfig();
        config.put("request.timeout.ms", 30000);
        try (Admin admin = Admin.create(config)) {
            Result r = ensure(admin, rf, sizing);
            log.info("provisioned {} topics ({} sizing): created {}, repartitioned {}, reconfigured {}",
                    Topics.ALL.size(), sizing, r.created(), r.repartitioned(), r.reconfigured());
            return 0;
        } catch (RuntimeException e) {
            log.error("provisioning topics failed: {}", e.getMessage(), e);
            return 1;
        }
    }

    public static Result ensure(Admin admin, Collection<TopicSpec<?>> specs, int replicationFactor) {
        try {
            return ensureChecked(admin, specs, (short) replicationFactor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** How long a just-created topic may stay unknown to the broker that answers. */
    private static final long UNKNOWN_TOPIC_PATIENCE_MS = 15_000;

    private interface AdminCall<T> {
        T call() throws InterruptedException, ExecutionException;
    }

    /** Retries {@code call} while it fails with "unknown topic" (metadata still spreading), for a while. */
    private static <T> T untilKnown(AdminCall<T> call) throws InterruptedException, ExecutionException {
        long deadline = System.currentTimeMillis() + UNKNOWN_TOPIC_PATIENCE_MS;
        long pause = 50;
        while (true) {
            try {
                return call.call();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(pause); // backing off before asking the broker again, not synchronising
                pause = Math.min(pause * 2, 1_000);
            }
        }
    }

    private static Result ensureChecked(Admin admin, Collection<TopicSpec<?>> specs, short rf)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<String> created = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec<?> s : specs) {
            if (!existing.contains(s.name())) {
                toCreate.add(new NewTopic(s.name(), s.partitions(), rf).configs(s.configs()));
            }
        }
        if (!toCreate.isEmpty()) {
            var results = admin.createTopics(toCreate).values();
            for (var e : results.entrySet()) {
                try {
                    e.getValue().get();
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex; // another service created it at the same moment: fine
                    }
                }
            }
        }

        List<String> names = specs.stream().map(TopicSpec::name).toList();
        // a topic just created (here or by another service racing us) may not be known to every broker yet
        Map<String, TopicDescription> described = untilKnown(() -> admin.describeTopics(names).allTopicNames().get());
        Map<String, NewPartitions> grow = new HashMap<>();
        for (TopicSpec<?> s : specs) {
            int have = described.get(s.name()).partitions().size();
            if (have < s.partitions()) {
                grow.put(s.name(), NewPartitions.increaseTo(s.partitions()));
            } else if (have > s.partitions()) {
                log.warn("topic {} has {} partitions, the catalogue says {}: leaving it (shrinking would move keys)",
                        s.name(), have, s.partitions());
            }
        }
        if (!grow.isEmpty()) {
            admin.createPartitions(grow).all().get();
        }

        List<ConfigResource> resources = specs.stream()
                .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
        Map<ConfigResource, Config> configs = untilKnown(() -> admin.describeConfigs(resources).all().get());
        Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
        List<String> reconfigured = new ArrayList<>();
        for (TopicSpec<?> s : specs) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
            Config current = configs.get(r);
            List<AlterConfigOp> ops = new ArrayList<>();
            s.configs().forEach((k, v) -> {
                ConfigEntry e = current.get(k);
                if (e == null || !v.equals(e.value())) {
                    ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET));
                }
            });
            if (!ops.isEmpty()) {
                alter.put(r, ops);
                reconfigured.add(s.name());
            }
        }
        if (!alter.isEmpty()) {
            admin.incrementalAlterConfigs(alter).all().get();
        }
        reconfigured.removeAll(created);
        Result result = new Result(created, new ArrayList<>(grow.keySet()), reconfigured);
        log.info("topics provisioned: {} created, {} repartitioned, {} reconfigured, {} in catalogue",
                created.size(), grow.size(), reconfigured.size(), specs.size());
        return result;
    }
}
