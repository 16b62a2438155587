package dev.rendezvous.launcher;

import java.util.List;
import java.util.Map;

/**
 * What {@code ./rendezvous status --json} prints (the shape is documented in docs/operations.md).
 *
 * @param dataDir     the stack's data dir
 * @param publicUrl   the URL people open
 * @param launcherPid the launcher's pid
 * @param healthy     true when every process is {@link Health#UP}
 * @param processes   every process of the stack
 * @param forwarders  each forwarder's id, rooms and participants
 * @param gateways    each gateway's id and open WebSockets
 */
record StatusReport(String dataDir, String publicUrl, long launcherPid, boolean healthy, List<Process> processes,
                    List<Forwarder> forwarders, List<Gateway> gateways) {

    /** A process's state. */
    enum Health {
        /** running, and its actuator (our apps) says UP or its port accepts connections (the servers) */
        UP,
        /** running but not healthy: the actuator says otherwise, does not answer, or the port refuses */
        DOWN,
        /** not running: no pid file, or its pid is gone */
        STOPPED
    }

    /** One process; {@code pid} null when it is not running. */
    record Process(String name, String kind, String id, Long pid, Health health, Map<String, Integer> ports) {
    }

    /** Figures from the forwarder's last metrics record ({@code rendezvous_forwarder_load}); null when unknown. */
    record Forwarder(String id, String name, Health health, Integer rooms, Integer participants) {
    }

    /** The gateway's open WebSockets ({@code rendezvous_gateway_sockets_open}); null when unknown. */
    record Gateway(String id, String name, Health health, Integer openSockets) {
    }
}
