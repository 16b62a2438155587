package dev.rendezvous.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.limits.*}: per client address limits of the REST side and the WebSocket (each over budget: 429
 * {@code rate_limited} with {@code Retry-After}). Counted in the shared state (Aerospike when configured), except
 * open sockets, which each gateway counts itself.
 *
 * @param trustForwardedFor    take the client address from the last {@code X-Forwarded-For} entry (only behind one
 *                             reverse proxy that sets it; off: the connection's address)
 * @param registrationsPerHour {@code POST /api/v1/auth/register} per address per hour
 * @param guestTokensPerMinute {@code POST /api/v1/meetings/{code}/guest} per address per minute
 * @param codeLookupsPerMinute {@code GET /j/{code}} per address per minute
 * @param socketsPerAddress    open WebSockets per address on one gateway
 */
@ConfigurationProperties("rendezvous.limits")
public record LimitSettings(
        @DefaultValue("false") boolean trustForwardedFor,
        @DefaultValue("30") int registrationsPerHour,
        @DefaultValue("60") int guestTokensPerMinute,
        @DefaultValue("120") int codeLookupsPerMinute,
        @DefaultValue("100") int socketsPerAddress) {

    public LimitSettings {
        if (registrationsPerHour < 1 || guestTokensPerMinute < 1 || codeLookupsPerMinute < 1 || socketsPerAddress < 1) {
            throw new IllegalArgumentException("every rendezvous.limits.* count must be at least 1");
        }
    }
}
