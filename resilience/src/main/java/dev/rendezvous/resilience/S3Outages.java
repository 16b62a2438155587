package dev.rendezvous.resilience;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The AWS SDK's ways of saying S3 is not there (needs aws-core). */
final class S3Outages {

    private S3Outages() {}

    static boolean isOutage(Throwable t) {
        // a client-side failure is no answer at all (refused, reset, timed out); 5xx is the service failing
        return t instanceof SdkClientException
                || t instanceof AwsServiceException s && s.statusCode() >= 500;
    }
}
