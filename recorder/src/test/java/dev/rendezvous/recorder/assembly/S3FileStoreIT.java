package dev.rendezvous.recorder.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rendezvous.resilience.Dependency;
import dev.rendezvous.resilience.DependencyUnavailableException;
import dev.rendezvous.resilience.Guard;
import dev.rendezvous.resilience.Guards;
import dev.rendezvous.resilience.ResilienceSettings;
import dev.rendezvous.stack.Ports;
import dev.rendezvous.stack.S3Server;
import dev.rendezvous.stack.StackListener;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store against a real S3 API server (s3proxy): multipart with part 1 last, a small file as one PUT, and the
 * server frozen mid-upload (its circuit breaker opens, the file is stored whole once it is back).
 */
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

    @Test
    void shouldOpenTheBreakerWhileS3IsFrozenAndStoreTheRebuiltFileWholeOnceItIsBack() throws Exception {
        // short times: one attempt's limit (the client's own call timeout too), the breaker's open time
        var policy = new ResilienceSettings.Policy(Duration.ofSeconds(2), Duration.ofSeconds(5), 1, Duration.ofMillis(50),
                4, 2, 50f, Duration.ofSeconds(1), 1, 4);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Guard guard = new Guards(new ResilienceSettings(policy, policy, policy, policy), meters, EnumSet.of(Dependency.S3))
                .of(Dependency.S3);
        byte[] content = new byte[S3FileStore.PART_BYTES * 3 + 4_321];
        new Random(7).nextBytes(content);
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(S3Server.REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("it-access", "it-secret-key-123")))
                .overrideConfiguration(o -> o.apiCallTimeout(guard.timeout())).build()) {
            S3FileStore store = new S3FileStore(client, "recordings-it", guard);
            FileStore.Target first = store.create("rec-5", "p-1-camera.webm", "2:10");
            first.stream().write(content, 0, S3FileStore.PART_BYTES * 2 + 1);   // part 2 is up

            signal("STOP", server.pid());
            try {
                // the next part and a lookup wait for their time limit: two timeouts open the breaker
                assertThatThrownBy(() -> first.stream().write(content, S3FileStore.PART_BYTES * 2 + 1, S3FileStore.PART_BYTES))
                        .isInstanceOf(IOException.class);
                assertThatThrownBy(() -> store.origin("rec-5", "p-1-camera.webm")).isInstanceOf(IOException.class);
                assertThat(guard.state()).isEqualTo(CircuitBreaker.State.OPEN);
                assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "s3").tag("state", "open")
                        .gauge().value()).as("the breaker's state in the metrics").isEqualTo(1.0);
                // while it is open nothing reaches S3: a call is refused at once
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> store.create("rec-5", "p-1-camera.webm", "2:10"))
                        .isInstanceOf(IOException.class).hasRootCauseInstanceOf(
                                io.github.resilience4j.circuitbreaker.CallNotPermittedException.class)
                        .cause().isInstanceOf(DependencyUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("well within the time limit of a call")
                        .isLessThan(Duration.ofSeconds(1));
            } finally {
                signal("CONT", server.pid());
            }
            // the recorder gives the file up (its partition is read again) and rebuilds it under the same name: the
            // breaker lets a trial call through after its open time, and the file goes up whole
            first.abort();
            FileStore.Target[] again = new FileStore.Target[1];
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    again[0] = store.create("rec-5", "p-1-camera.webm", "2:10");
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            again[0].stream().write(content);
            FileStore.StoredFile f = again[0].complete(40, 9_000.0);
            assertThat(guard.state()).isEqualTo(CircuitBreaker.State.CLOSED);

            ByteBuffer.wrap(content, 40, 8).putDouble(9_000.0);
            assertThat(s3.getObjectAsBytes(r -> r.bucket("recordings-it").key(f.key())).asByteArray())
                    .as("stored whole, byte for byte").isEqualTo(content);
            assertThat(s3.listObjectsV2(r -> r.bucket("recordings-it").prefix("recordings/rec-5/")).contents())
                    .extracting(o -> o.key()).filteredOn(k -> k.endsWith(".webm")).as("one file, not two")
                    .containsExactly(f.key());
            assertThat(store.origin("rec-5", "p-1-camera.webm")).hasValue("2:10");
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }
}
