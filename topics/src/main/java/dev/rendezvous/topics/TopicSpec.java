package dev.rendezvous.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One entry of the topic catalogue: everything an operator or a developer needs to know about a topic.
 *
 * @param name          {@code <domain>.<entity>.<event>}, lowercase, dot-separated
 * @param key           what the record key is (always a UTF-8 string)
 * @param valueType     the Java type of the value; JSON for control records, {@code byte[]} for media chunks
 * @param partitions    partitions on the embedded single-node stack (and the default)
 * @param productionPartitions partitions sized for the seed's worldwide peak (see docs/topics.md)
 * @param cleanup       delete (time window) or compact (last value per key)
 * @param retention     how long records are kept; for compacted topics, how long tombstones are kept
 * @param writer        the one service that writes the topic
 * @param readers       services that consume it
 * @param description   one sentence for the docs
 */
public record TopicSpec<V>(
        String name,
        String key,
        Class<V> valueType,
        int partitions,
        int productionPartitions,
        CleanupPolicy cleanup,
        Duration retention,
        Service writer,
        Set<Service> readers,
        String description) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*");

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("topic name must be <domain>.<entity>.<event> in lowercase: " + name);
        }
        if (partitions < 1 || productionPartitions < partitions) {
            throw new IllegalArgumentException("bad partition counts for " + name);
        }
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(writer, "writer");
        readers = Set.copyOf(readers);
    }

    /** This topic sized for production: {@link #productionPartitions()} partitions. */
    public TopicSpec<V> atProductionSize() {
        return new TopicSpec<>(name, key, valueType, productionPartitions, productionPartitions, cleanup, retention,
                writer, readers, description);
    }

    /** True for media chunks (raw bytes); everything else is JSON a person can read. */
    public boolean binary() {
        return valueType == byte[].class;
    }

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    @SuppressWarnings("unchecked")
    public Serde<V> valueSerde() {
        if (binary()) {
            return (Serde<V>) Serdes.ByteArray();
        }
        return dev.rendezvous.topics.serde.JsonSerde.of(valueType);
    }

    /** The topic-level configs the provisioner enforces. */
    public Map<String, String> configs() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.config());
        if (cleanup == CleanupPolicy.DELETE) {
            c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        } else {
            c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        if (binary()) {
            c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024));
        }
        return c;
    }
}
