package dev.rendezvous.forwarder.drain;

import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/drain} on the management port: GET says whether this forwarder drains; POST begins draining and,
 * once no room is left (or after {@code rendezvous.forwarder.drain-timeout}), exits the process (status 0), which
 * runs the normal graceful shutdown. For a rolling restart without SIGTERM, e.g. from an operator's script.
 */
@Endpoint(id = "drain")
public class DrainEndpoint {

    private final ForwarderDrain drain;
    private final Runnable exit;

    public DrainEndpoint(ForwarderDrain drain, Runnable exit) {
        this.drain = drain;
        this.exit = exit;
    }

    @ReadOperation
    public Map<String, Object> status() {
        return Map.of("draining", drain.draining());
    }

    @WriteOperation
    public Map<String, Object> begin() {
        drain.begin().thenRun(exit);
        return Map.of("draining", true);
    }
}
