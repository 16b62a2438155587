package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.auth.*}: token signing.
 *
 * @param jwtSecret base64 HS256 key of at least 32 bytes, shared by every gateway; when absent a random one is
 *                  generated at start (tokens then die with the process and are not accepted by other gateways)
 * @param tokenTtl  lifetime of user and guest tokens (renewed over a socket that is in a meeting when half is left)
 * @param sessionMax how long after the login (or guest call) a session's tokens are renewed; then it must log in again
 * @param issuer    the {@code iss} of the tokens issued, required of every token presented
 * @param audience  the {@code aud} of the tokens issued, required of every token presented
 */
@ConfigurationProperties("rendezvous.auth")
public record AuthSettings(String jwtSecret, @DefaultValue("PT1H") Duration tokenTtl,
                           @DefaultValue("rendezvous") String issuer, @DefaultValue("rendezvous") String audience,
                           @DefaultValue("PT24H") Duration sessionMax) {

    public AuthSettings {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("rendezvous.auth.issuer and rendezvous.auth.audience must not be blank");
        }
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("rendezvous.auth.token-ttl must be positive");
        }
        if (sessionMax.compareTo(tokenTtl) < 0) {
            throw new IllegalArgumentException("rendezvous.auth.session-max must be at least rendezvous.auth.token-ttl");
        }
    }
}
