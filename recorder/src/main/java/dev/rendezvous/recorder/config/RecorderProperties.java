package dev.rendezvous.recorder.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.recorder.*}.
 *
 * @param groupId         consumer group of the chunk consumer; every recorder instance joins it and gets a
 *                        share of the chunk partitions
 * @param meterIdleExpiry per-recording meters of a recording that received nothing for this long are removed
 * @param localDir        where files go when no S3 is configured
 * @param finishIdle      a recording without open files whose end marker never came (its forwarder went away)
 *                        is finished after receiving nothing for this long
 * @param sessionTimeout  the chunk consumer's Kafka session timeout: how long the group waits for a recorder that
 *                        died without leaving (SIGKILL, a lost node) before its partitions go to the others
 */
@ConfigurationProperties("rendezvous.recorder")
public record RecorderProperties(
        @DefaultValue("rendezvous-recorder") String groupId,
        @DefaultValue("PT1H") Duration meterIdleExpiry,
        @DefaultValue("data/recordings") String localDir,
        @DefaultValue("PT60S") Duration finishIdle,
        @DefaultValue("PT10S") Duration sessionTimeout) {

    public RecorderProperties {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("rendezvous.recorder.group-id must not be blank");
        }
        if (meterIdleExpiry == null || meterIdleExpiry.isNegative() || meterIdleExpiry.isZero()) {
            throw new IllegalArgumentException("rendezvous.recorder.meter-idle-expiry must be positive");
        }
        if (finishIdle == null || finishIdle.isNegative() || finishIdle.isZero()) {
            throw new IllegalArgumentException("rendezvous.recorder.finish-idle must be positive");
        }
        if (sessionTimeout == null || sessionTimeout.toMillis() < 6_000 || sessionTimeout.toMillis() > 300_000) {
            throw new IllegalArgumentException("rendezvous.recorder.session-timeout must be between 6 s and 5 min"
                    + " (the broker's default group.min/max.session.timeout.ms)");
        }
    }
}
