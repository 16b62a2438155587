package dev.rendezvous.stack;

/** Our four Spring Boot applications, each run from {@code <repo>/<module>/target/<module>-exec.jar}. */
public enum App {
    EDGE_GATEWAY("edge-gateway", 8080),
    STREAM_APPS("stream-apps", 8081),
    MEDIA_FORWARDER("media-forwarder", 8082),
    RECORDER("recorder", 8083);

    /** Suffix of the management port's name in the stack's port plan. */
    static final String MANAGEMENT = "-management";
    /** An app's management (actuator) port is its HTTP port plus this: 9080-9083. */
    private static final int MANAGEMENT_OFFSET = 1000;

    private final String module;
    private final int defaultPort;

    App(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    /** The Maven module (and artifact) name, also the name of the app's log file. */
    public String module() {
        return module;
    }

    /** The HTTP port used unless the stack picks free ports or is told otherwise. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The actuator's port (health, Prometheus; 127.0.0.1 only) unless told otherwise: 9080-9083. */
    public int defaultManagementPort() {
        return defaultPort + MANAGEMENT_OFFSET;
    }

    boolean needsPostgres() {
        return this == EDGE_GATEWAY || this == STREAM_APPS;
    }

    boolean needsS3() {
        return this == EDGE_GATEWAY || this == RECORDER;
    }

    @Override
    public String toString() {
        return module;
    }
}
