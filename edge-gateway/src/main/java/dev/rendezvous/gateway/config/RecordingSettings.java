package dev.rendezvous.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.s3.*}: where the recorder stores recording files, for the gateway's download links and deletes
 * (the same keys the recorder takes); {@code linkTtl}: how long a download link stays valid.
 *
 * @param endpoint  S3 API endpoint, e.g. {@code http://127.0.0.1:19000}; blank = AWS default for the region
 * @param accessKey access key id
 * @param secretKey secret access key (never logged)
 * @param region    the bucket's region (s3proxy accepts any)
 * @param linkTtl   validity of a presigned link (at most 7 days, S3's limit)
 */
@ConfigurationProperties("rendezvous.s3")
public record RecordingSettings(
        String endpoint,
        String accessKey,
        String secretKey,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("PT1H") Duration linkTtl) {

    public RecordingSettings {
        if (linkTtl.isNegative() || linkTtl.isZero() || linkTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("rendezvous.s3.link-ttl must be within (0, 7 days]");
        }
    }

    /** True when an S3 endpoint or credentials are set. */
    public boolean configured() {
        return (endpoint != null && !endpoint.isBlank()) || (accessKey != null && !accessKey.isBlank());
    }

    @Override
    public String toString() {
        return "RecordingSettings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey="
                + (secretKey == null || secretKey.isEmpty() ? "<unset>" : "<redacted>") + ", region=" + region
                + ", linkTtl=" + linkTtl + "]";
    }
}
