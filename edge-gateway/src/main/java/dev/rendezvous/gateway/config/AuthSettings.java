package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.auth.*}: token signing.
 *
 * @param jwtSecret base64 HS256 key of at least 32 bytes, shared by every gateway; when absent a random one is
 *                  generated at start (tokens then die with the process and are not accepted by other gateways)
 * @param tokenTtl  lifetime of user and guest tokens
 */
@ConfigurationProperties("rendezvous.auth")
public record AuthSettings(String jwtSecret, @DefaultValue("PT1H") Duration tokenTtl) {

    public AuthSettings {
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("rendezvous.auth.token-ttl must be positive");
        }
    }
}
