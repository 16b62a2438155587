package dev.rendezvous.topics;

/** Kafka {@code cleanup.policy}: {@code delete} keeps a time window, {@code compact} keeps the last value per key. */
public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String config;

    CleanupPolicy(String config) {
        this.config = config;
    }

    public String config() {
        return config;
    }
}
