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
    private final DrainedExit exit;

    public DrainEndpoint(ForwarderDrain drain, DrainedExit exit) {
        this.drain = drain;
        this.exit = exit;
    }

    /** {@code draining}, and once the drain is over how it ended ({@code EMPTY}, {@code TIMED_OUT}, {@code STALLED}). */
    @ReadOperation
    public Map<String, Object> status() {
        return drain.outcome().<Map<String, Object>>map(o -> Map.of("draining", drain.draining(), "outcome", o.name()))
                .orElseGet(() -> Map.of("draining", drain.draining()));
    }

    @WriteOperation
    public Map<String, Object> begin() {
        drain.begin().thenRun(exit::exit);
        return Map.of("draining", true);
    }
}
