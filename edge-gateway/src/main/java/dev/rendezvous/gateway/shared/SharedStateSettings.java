package dev.rendezvous.gateway.shared;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.aerospike.*}: where the gateways keep their shared fast state.
 *
 * @param hosts       {@code host:port[,host:port…]} of an Aerospike cluster; empty = in-process (one gateway only)
 * @param namespace   the namespace (must allow TTLs: {@code nsup-period} > 0)
 * @param setPrefix   prepended to the set names ({@code rate}, {@code revoked}, {@code presence})
 * @param timeout     connect timeout and the total timeout of each command
 * @param presenceTtl how long a socket's presence record outlives the last refresh of its gateway (refreshed every
 *                    third of it while the socket is open)
 */
@ConfigurationProperties("rendezvous.aerospike")
public record SharedStateSettings(
        @DefaultValue("") String hosts,
        @DefaultValue("rendezvous") String namespace,
        @DefaultValue("gw_") String setPrefix,
        @DefaultValue("PT1S") Duration timeout,
        @DefaultValue("PT30S") Duration presenceTtl) {

    public SharedStateSettings {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("rendezvous.aerospike.namespace must not be empty");
        }
        if (setPrefix == null || setPrefix.length() > 40) {
            throw new IllegalArgumentException("rendezvous.aerospike.set-prefix must be at most 40 characters");
        }
        if (presenceTtl.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new IllegalArgumentException("rendezvous.aerospike.presence-ttl must be at least 3 s");
        }
    }

    public boolean inProcess() {
        return hosts == null || hosts.isBlank();
    }
}
