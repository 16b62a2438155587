package dev.rendezvous.gateway.config;

import dev.rendezvous.gateway.store.Meetings;
import dev.rendezvous.gateway.store.RecordingCatalog;
import dev.rendezvous.gateway.store.RecordingObjects;
import dev.rendezvous.gateway.store.S3RecordingObjects;
import dev.rendezvous.gateway.web.Bearer;
import dev.rendezvous.gateway.web.HistoryAccess;
import dev.rendezvous.gateway.web.HostRequests;
import dev.rendezvous.gateway.web.RecordingController;
import dev.rendezvous.gateway.web.RecordingListController;
import java.net.URI;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The gateway's part of recording: starting and stopping it over REST (the room processor decides), and the
 * recordings list with presigned S3 links and deletion (from stream-apps' metadata tables).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecordingSettings.class)
public class RecordingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RecordingConfiguration.class);

    @Bean
    RecordingController recordingController(HostRequests requests, Bearer bearer) {
        return new RecordingController(requests, bearer);
    }

    @Bean
    RecordingCatalog recordingCatalog(DatabaseClient db, dev.rendezvous.resilience.Guards guards) {
        return new RecordingCatalog(db, guards.of(dev.rendezvous.resilience.Dependency.POSTGRESQL));
    }

    @Bean
    RecordingObjects recordingObjects(RecordingSettings s3, dev.rendezvous.resilience.Guards guards) {
        if (!s3.configured()) {
            log.info("no S3 configured: recordings are listed without download links");
            return RecordingObjects.none();
        }
        Region region = Region.of(s3.region());
        AwsCredentialsProvider credentials = s3.accessKey() == null || s3.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        S3Presigner.Builder presigner = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(pathStyle);
        var guard = guards.of(dev.rendezvous.resilience.Dependency.S3);
        // the SDK ends a call itself at the guard's time limit: a hung S3 never keeps a thread longer than that
        var client = S3Client.builder().region(region).credentialsProvider(credentials).forcePathStyle(true)
                .overrideConfiguration(o -> o.apiCallTimeout(guard.timeout()));
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            presigner.endpointOverride(URI.create(s3.endpoint()));
            client.endpointOverride(URI.create(s3.endpoint()));
        }
        log.info("recording links: {}", s3);
        return new S3RecordingObjects(presigner.build(), client.build(), s3.linkTtl(), guard);
    }

    @Bean
    RecordingListController recordingListController(Meetings meetings, HistoryAccess access, RecordingCatalog catalog,
                                                    RecordingObjects objects, Bearer bearer, Clock clock) {
        return new RecordingListController(meetings, access, catalog, objects, bearer, clock);
    }
}
