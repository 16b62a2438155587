package dev.rendezvous.stack;

/**
 * One process of an app in the stack: a fleet runs several gateways and forwarders
 * ({@link StackBuilder#instances(App, int)}), every other app runs once.
 *
 * @param app            which app
 * @param ordinal        1-based number among the instances of the app
 * @param name           the name of its log file ({@code logs/<name>.log}), pid file and secrets file:
 *                       the module name alone when the app runs once ({@code edge-gateway}), else the module and
 *                       the ordinal ({@code edge-gateway-2})
 * @param id             the id the process is configured with ({@code gw-2}, {@code fwd-2}): stable across
 *                       restarts of the run (never random); null for apps without one
 * @param port           its HTTP port
 * @param managementPort its actuator port (127.0.0.1 only)
 * @param mediaUdpPort   a forwarder's media UDP port (0 = any free port), else -1
 */
public record AppInstance(App app, int ordinal, String name, String id, int port, int managementPort, int mediaUdpPort) {

    /** Most instances of one app a stack runs. */
    public static final int MAX_INSTANCES = 9;

    /** The name of instance {@code ordinal} of {@code count} instances of {@code app}. */
    public static String name(App app, int ordinal, int count) {
        return count == 1 ? app.module() : app.module() + "-" + ordinal;
    }

    /** The configured id of an instance: {@code gw-<n>} for gateways, {@code fwd-<n>} for forwarders, else null. */
    public static String id(App app, int ordinal) {
        switch (app) {
            case EDGE_GATEWAY:
                return "gw-" + ordinal;
            case MEDIA_FORWARDER:
                return "fwd-" + ordinal;
            default:
                return null;
        }
    }

    /**
     * The fixed (not {@code freePorts}) HTTP port of an instance. An app that runs once keeps its own port; the
     * instances of a fleet are numbered in hundreds: {@code <default> + 100 × ordinal} (gateways 8180, 8280, …:
     * 8080 is then nginx's; forwarders 8182, 8282, …). The management port is this plus 1000.
     */
    static int defaultPort(App app, int ordinal, int count) {
        return count == 1 ? app.defaultPort() : app.defaultPort() + 100 * ordinal;
    }

    /** A forwarder's fixed media UDP port: 10000 for the first, then 10001, 10002, … */
    static int defaultMediaUdpPort(int ordinal) {
        return Stack.DEFAULT_MEDIA_UDP_PORT + ordinal - 1;
    }
}
