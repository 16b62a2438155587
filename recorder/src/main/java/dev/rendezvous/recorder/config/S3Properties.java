package dev.rendezvous.recorder.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.s3.*}: where finished recordings go. Accepted now, used by the recording issue (the
 * recorder does not talk to S3 yet, so nothing is validated).
 *
 * @param endpoint  S3 API endpoint, e.g. {@code http://127.0.0.1:19000}; blank = AWS default for the region
 * @param accessKey access key id
 * @param secretKey secret access key (never logged)
 * @param bucket    bucket for recording files
 */
@ConfigurationProperties("rendezvous.s3")
public record S3Properties(
        String endpoint,
        String accessKey,
        String secretKey,
        @DefaultValue("rendezvous-recordings") String bucket) {

    @Override
    public String toString() {
        return "S3Properties[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey="
                + (secretKey == null || secretKey.isEmpty() ? "<unset>" : "<redacted>") + ", bucket=" + bucket + "]";
    }
}
