package dev.rendezvous.recorder.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rendezvous.s3.*}: where finished recordings go (multipart uploads while a recording runs).
 *
 * @param endpoint  S3 API endpoint, e.g. {@code http://127.0.0.1:19000}; blank = AWS default for the region
 * @param accessKey access key id
 * @param secretKey secret access key (never logged)
 * @param bucket    bucket for recording files
 * @param region    the bucket's region (s3proxy accepts any)
 */
@ConfigurationProperties("rendezvous.s3")
public record S3Properties(
        String endpoint,
        String accessKey,
        String secretKey,
        @DefaultValue("rendezvous-recordings") String bucket,
        @DefaultValue("us-east-1") String region) {

    /** True when an S3 endpoint or credentials are set: recordings go to S3, else to a local directory. */
    public boolean configured() {
        return (endpoint != null && !endpoint.isBlank()) || (accessKey != null && !accessKey.isBlank());
    }

    @Override
    public String toString() {
        return "S3Properties[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey="
                + (secretKey == null || secretKey.isEmpty() ? "<unset>" : "<redacted>") + ", bucket=" + bucket
                + ", region=" + region + "]";
    }
}
