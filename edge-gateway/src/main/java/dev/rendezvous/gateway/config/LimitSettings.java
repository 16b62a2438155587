package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.limits.*}: per client address limits of the REST side and the WebSocket (each over budget: 429
 * {@code rate_limited} with {@code Retry-After}), and the gateway's own cap on open sockets. Counts are per fixed
 * window, in the shared state (Aerospike when configured), except open sockets, which each gateway counts itself.
 *
 * @param trustForwardedFor  take the client address from the last {@code X-Forwarded-For} entry (only behind one
 *                           reverse proxy that sets it; off: the connection's address)
 * @param trustedProxies     with {@code trustForwardedFor}, the peers (IPs or CIDR blocks) whose header is believed
 * @param registrations      {@code POST /api/v1/auth/register} per address per {@code registrationWindow}
 * @param guestTokens        {@code POST /api/v1/meetings/{code}/guest} per address per {@code guestTokenWindow}
 * @param codeLookups        {@code GET /j/{code}} per address per {@code codeLookupWindow}
 * @param socketsPerAddress  open WebSockets per address on one gateway
 * @param socketsPerGateway  open WebSockets on one gateway in all (over it: 503 {@code unavailable} with
 *                           {@code Retry-After}): file descriptors left for REST, probes, Kafka and the database
 */
@ConfigurationProperties("rendezvous.limits")
public record LimitSettings(
        @DefaultValue("false") boolean trustForwardedFor,
        @DefaultValue("30") int registrations,
        @DefaultValue("PT1H") Duration registrationWindow,
        @DefaultValue("60") int guestTokens,
        @DefaultValue("PT1M") Duration guestTokenWindow,
        @DefaultValue("120") int codeLookups,
        @DefaultValue("PT1M") Duration codeLookupWindow,
        @DefaultValue("100") int socketsPerAddress,
        @DefaultValue("16000") int socketsPerGateway,
        @DefaultValue({"127.0.0.1", "::1"}) java.util.List<String> trustedProxies) {

    public LimitSettings {
        dev.rendezvous.gateway.web.TrustedProxies.parse(trustedProxies); // a malformed entry fails the start, named
        if (registrations < 1 || guestTokens < 1 || codeLookups < 1 || socketsPerAddress < 1
                || socketsPerGateway < 1) {
            throw new IllegalArgumentException("every rendezvous.limits.* count must be at least 1");
        }
        for (Duration w : new Duration[] {registrationWindow, guestTokenWindow, codeLookupWindow}) {
            if (w.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("every rendezvous.limits.*-window must be at least 1 s");
            }
        }
    }

    /** A budget's refill rate in the form {@code web.MissBudget} takes: count per window, as per minute. */
    static double perMinute(int count, Duration window) {
        return count * 60_000.0 / window.toMillis();
    }
}
