package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.S3Server;
import dev.rendezvous.stack.StackListener;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 store against a real S3 API server (s3proxy): multipart with part 1 last, and a small file as one PUT. */
class S3FileStoreIT {

    @TempDir
    static Path dir;
    private static S3Server server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3Server(dir.resolve("s3"), Ports.freePorts(1).get(0), "it-access", "it-secret-key-123",
                dir.resolve("logs"), Clock.systemUTC(), StackListener.logging());
        server.ensureBucket("recordings-it");
        server.start(Duration.ofSeconds(60));
        s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("it-access", "it-secret-key-123")))
                .forcePathStyle(true).build();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLargeFileGoesUpInPartsWhileWrittenWithItsHeadPatchedAtTheEnd() throws Exception {
        byte[] content = new byte[S3FileStore.PART_BYTES * 2 + 123_457]; // parts 2 and 3 fill, the rest is the last
        new Random(3).nextBytes(content);
        S3FileStore store = new S3FileStore(s3, "recordings-it");
        FileStore.Target t = store.create("rec/1", "p-1-camera.webm");
        for (int off = 0; off < content.length; off += 70_000) {
            t.stream().write(content, off, Math.min(70_000, content.length - off));
        }
        FileStore.StoredFile f = t.complete(40, 12_345.0);

        assertThat(f.key()).isEqualTo("recordings/rec_1/p-1-camera.webm");
        assertThat(f.sizeBytes()).isEqualTo(content.length);
        byte[] back = s3.getObjectAsBytes(r -> r.bucket("recordings-it").key(f.key())).asByteArray();
        ByteBuffer.wrap(content, 40, 8).putDouble(12_345.0);
        assertThat(back).hasSize(content.length).isEqualTo(content);
    }

    @Test
    void aSmallFileIsOnePutAndAnAbortedOneLeavesNothing() throws Exception {
        S3FileStore store = new S3FileStore(s3, "recordings-it");
        FileStore.Target t = store.create("rec-2", "p-2-camera.webm");
        t.stream().write(new byte[100]);
        FileStore.StoredFile f = t.complete(10, 1.5);
        byte[] back = s3.getObjectAsBytes(r -> r.bucket("recordings-it").key(f.key())).asByteArray();
        assertThat(back).hasSize(100);
        assertThat(ByteBuffer.wrap(back, 10, 8).getDouble()).isEqualTo(1.5);

        FileStore.Target gone = store.create("rec-2", "p-3-camera.webm");
        gone.stream().write(new byte[S3FileStore.PART_BYTES * 2 + 1]);
        gone.abort();
        assertThat(s3.listObjectsV2(r -> r.bucket("recordings-it").prefix("recordings/rec-2/p-3")).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(r -> r.bucket("recordings-it")).uploads()).isEmpty();
    }

    @Test
    void aFileStartedAgainAbortsAPreviousOwnersUnfinishedUploadAndACompleteOneTellsItsOrigin() throws Exception {
        S3FileStore store = new S3FileStore(s3, "recordings-it");
        FileStore.Target dead = store.create("rec-3", "p-1-camera.webm", "4:100");
        dead.stream().write(new byte[S3FileStore.PART_BYTES * 2 + 1]);   // part 2 up, then the owner dies
        assertThat(s3.listMultipartUploads(r -> r.bucket("recordings-it").prefix("recordings/rec-3/")).uploads()).hasSize(1);
        assertThat(store.origin("rec-3", "p-1-camera.webm")).as("unfinished: not stored").isEmpty();

        FileStore.Target again = store.create("rec-3", "p-1-camera.webm", "4:100");
        assertThat(s3.listMultipartUploads(r -> r.bucket("recordings-it").prefix("recordings/rec-3/")).uploads())
                .as("the dead owner's upload aborted").isEmpty();
        again.stream().write(new byte[S3FileStore.PART_BYTES * 2 + 1]);
        again.complete(10, 2.0);
        assertThat(store.origin("rec-3", "p-1-camera.webm")).hasValue("4:100");
        assertThat(store.origin("rec-3", "p-2-camera.webm")).isEmpty();

        FileStore.Target small = store.create("rec-3", "p-2-camera.webm", "4:200");
        small.stream().write(new byte[100]);
        small.complete(10, 1.0);
        assertThat(store.origin("rec-3", "p-2-camera.webm")).hasValue("4:200");
    }

    @Test
    void aFileCompleteAsWrittenIsStoredUnpatchedAndReadsBackThroughOpen() throws Exception {
        byte[] content = new byte[S3FileStore.PART_BYTES + 77_777]; // a multipart upload of two parts
        new Random(5).nextBytes(content);
        S3FileStore store = new S3FileStore(s3, "recordings-it");
        FileStore.Target t = store.create("rec-4", "composite.webm");
        t.stream().write(content);
        FileStore.StoredFile f = t.complete(61_000);

        assertThat(f.key()).isEqualTo("recordings/rec-4/composite.webm");
        assertThat(f.durationMs()).isEqualTo(61_000);
        try (java.io.InputStream in = store.open(f.key())) {
            assertThat(in.readAllBytes()).as("byte for byte, nothing patched").isEqualTo(content);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.open("recordings/rec-4/none.webm"))
                .isInstanceOf(java.io.IOException.class);
    }
}
