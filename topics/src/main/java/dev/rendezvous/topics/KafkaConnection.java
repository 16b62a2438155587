package dev.rendezvous.topics;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where Kafka is and how to talk to it, shared by every client each app builds (producers, consumers, admin
 * clients, Kafka Streams): {@code rendezvous.kafka.bootstrap-servers} plus the free-form client properties of
 * {@code rendezvous.kafka.properties.*} — {@code security.protocol=SASL_SSL}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}, … — which {@link #clientConfig()} puts under the
 * settings each client adds itself (those win: an app's serializers, acks or group id are not for
 * configuration to change).
 *
 * <p>{@link #toString()} masks the values of secret properties (names with password, jaas, secret,
 * credential, token or a private key), so logging this object never prints them.
 *
 * @param bootstrapServers {@code host:port[,host:port…]} (required)
 * @param properties       extra Kafka client properties by their Kafka names; never {@code bootstrap.servers}
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> properties) {

    /** The prefix of the environment variables {@link #fromEnvironment} reads the properties from. */
    public static final String ENV_PREFIX = "RENDEZVOUS_KAFKA_PROPERTIES_";
    private static final Pattern SECRET = Pattern.compile("password|jaas|secret|credential|token|(^|\\.)key$|keystore\\.key");
    private static final String MASK = "****";

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("rendezvous.kafka.bootstrap-servers is required (host:port of the Kafka cluster)");
        }
        Map<String, String> copy = new TreeMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (k == null || k.isBlank() || v == null) {
                    throw new IllegalArgumentException("rendezvous.kafka.properties: a property needs a name and a value");
                }
                if (k.equals("bootstrap.servers")) {
                    throw new IllegalArgumentException("set rendezvous.kafka.bootstrap-servers, not"
                            + " rendezvous.kafka.properties.bootstrap.servers");
                }
                copy.put(k, v);
            });
        }
        properties = Collections.unmodifiableMap(copy);
    }

    /** Bootstrap servers only, no extra properties. */
    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * For processes configured by environment only (the topic provisioning Job): every
     * {@code RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG=…} becomes {@code sasl.jaas.config=…} (lower case,
     * {@code _} to {@code .}), the same mapping Spring applies to {@code rendezvous.kafka.properties.*}.
     */
    public static KafkaConnection fromEnvironment(String bootstrapServers, Map<String, String> env) {
        Map<String, String> p = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                p.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        return new KafkaConnection(bootstrapServers, p);
    }

    /** A new mutable client config: the extra properties and {@code bootstrap.servers}; the caller adds its own. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> c = new HashMap<>(properties);
        c.put("bootstrap.servers", bootstrapServers);
        return c;
    }

    /** {@link #clientConfig()} as {@link Properties} (Kafka Streams). */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(clientConfig());
        return p;
    }

    /** True if the property's value must never be logged. */
    public static boolean isSecret(String property) {
        return SECRET.matcher(property.toLowerCase(Locale.ROOT)).find();
    }

    /** The properties with secret values masked, for logs and errors. */
    public Map<String, String> maskedProperties() {
        Map<String, String> m = new TreeMap<>();
        properties.forEach((k, v) -> m.put(k, isSecret(k) ? MASK : v));
        return m;
    }

    @Override
    public String toString() {
        return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", properties=" + maskedProperties() + "]";
    }
}
