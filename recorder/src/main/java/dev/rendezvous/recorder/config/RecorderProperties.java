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
 */
@ConfigurationProperties("rendezvous.recorder")
public record RecorderProperties(
        @DefaultValue("rendezvous-recorder") String groupId,
        @DefaultValue("PT1H") Duration meterIdleExpiry,
        @DefaultValue("data/recordings") String localDir,
        @DefaultValue("PT60S") Duration finishIdle) {

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
    }
}
