package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.host-actions.*}.
 *
 * @param replyTimeout how long a REST host action waits for the room processor's decision (then 503)
 */
@ConfigurationProperties("rendezvous.host-actions")
public record HostControlSettings(@DefaultValue("PT10S") Duration replyTimeout) {

    public HostControlSettings {
        if (replyTimeout == null || replyTimeout.isNegative() || replyTimeout.isZero()) {
            throw new IllegalArgumentException("rendezvous.host-actions.reply-timeout must be positive");
        }
    }
}
