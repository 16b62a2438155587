package dev.rendezvous.forwarder.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DtlsServerEndpointTest {

    private static final int[] CHROMIUM_PROFILES = {
        SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
        SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM,
        SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
    };
    /** A client that takes only the AEAD profiles (so the GCM key split is what is checked). */
    private static final int[] GCM_PROFILES = {
        SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM,
        SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
    };
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = 20;

    private final DtlsPipe pipe = new DtlsPipe();

    @BeforeAll
    static void warmUp() {
        DtlsServerEndpoint.warmUp();
    }

    @AfterEach
    void tearDown() {
        pipe.close();
    }

    @Test
    void shouldCompleteHandshakeChoosingAeadAes128GcmAndReportTheKeysTheClientExports() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        // the SDP value is compared case-insensitively
        DtlsServerEndpoint server = pipe.startServer(clientCert.fingerprintSha256().toLowerCase(Locale.ROOT), TIMEOUT);
        TestDtlsClient client = new TestDtlsClient(GCM_PROFILES, clientCert);

        DTLSTransport clientTransport = pipe.connect(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        SrtpKeyMaterial keys = pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(clientTransport).isNotNull();
        assertThat(server.isHandshakeComplete()).isTrue();
        assertThat(client.serverFingerprint).isEqualTo(pipe.serverCertificate.fingerprintSha256());
        assertThat(client.selectedProfile).isEqualTo(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM);
        assertThat(keys.profileId()).isEqualTo(SrtpKeyMaterial.AEAD_AES_128_GCM);

        byte[] exported = client.exportedSrtpKeyingMaterial();
        assertThat(exported).hasSize(56);
        assertThat(keys.clientKey()).isEqualTo(Arrays.copyOfRange(exported, 0, 16));
        assertThat(keys.serverKey()).isEqualTo(Arrays.copyOfRange(exported, 16, 32));
        assertThat(keys.clientSalt()).isEqualTo(Arrays.copyOfRange(exported, 32, 44));
        assertThat(keys.serverSalt()).isEqualTo(Arrays.copyOfRange(exported, 44, 56));
        assertThat(keys.toString()).doesNotContain(Arrays.toString(keys.clientKey()));
        assertThat(pipe.listener.calls).containsExactly("complete");
    }

    @Test
    void shouldPreferAesCmHmacSha1_80WhenTheClientOffersItBesideGcm() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        pipe.startServer(clientCert.fingerprintSha256(), TIMEOUT);
        TestDtlsClient client = new TestDtlsClient(CHROMIUM_PROFILES, clientCert);
        pipe.connect(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        SrtpKeyMaterial keys = pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.selectedProfile).isEqualTo(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        assertThat(keys.profileId()).isEqualTo(SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80);
    }

    @Test
    void shouldChooseAesCmHmacSha1_80With16ByteKeysAnd14ByteSaltsWhenClientOffersOnlyThatProfile() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        pipe.startServer(clientCert.fingerprintSha256(), TIMEOUT);
        TestDtlsClient client = new TestDtlsClient(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, clientCert);

        pipe.connect(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        SrtpKeyMaterial keys = pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(keys.profileId()).isEqualTo(SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80);
        assertThat(keys.clientKey()).hasSize(16);
        assertThat(keys.serverKey()).hasSize(16);
        assertThat(keys.clientSalt()).hasSize(14);
        assertThat(keys.serverSalt()).hasSize(14);
        byte[] exported = client.exportedSrtpKeyingMaterial();
        assertThat(exported).hasSize(60);
        assertThat(keys.clientKey()).isEqualTo(Arrays.copyOfRange(exported, 0, 16));
        assertThat(keys.serverKey()).isEqualTo(Arrays.copyOfRange(exported, 16, 32));
        assertThat(keys.clientSalt()).isEqualTo(Arrays.copyOfRange(exported, 32, 46));
        assertThat(keys.serverSalt()).isEqualTo(Arrays.copyOfRange(exported, 46, 60));
    }

    @Test
    void shouldFailTheHandshakeWhenTheClientCertificateDoesNotMatchTheSdpFingerprint() throws Exception {
        DtlsCertificate announced = DtlsCertificate.generate();
        DtlsCertificate presented = DtlsCertificate.generate();
        DtlsServerEndpoint server = pipe.startServer(announced.fingerprintSha256(), TIMEOUT);

        var handshake = pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, presented));
        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(reason).contains("fingerprint").contains(presented.fingerprintSha256());
        assertRefusedWithAlert(handshake, AlertDescription.bad_certificate);
        assertThat(server.isHandshakeComplete()).isFalse();
    }

    @Test
    void shouldFailTheHandshakeWhenTheClientSendsNoCertificate() throws Exception {
        pipe.startServer(DtlsCertificate.generate().fingerprintSha256(), TIMEOUT);

        var handshake = pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, null));
        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(reason).contains("no certificate");
        assertThatThrownBy(() -> handshake.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(pipe.listener.keys).isNotDone();
    }

    @Test
    void shouldFailTheHandshakeWhenThereIsNoCommonSrtpProfile() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        pipe.startServer(clientCert.fingerprintSha256(), TIMEOUT);

        var handshake = pipe.connect(new TestDtlsClient(new int[] {SRTPProtectionProfile.SRTP_AEAD_AES_256_GCM}, clientCert));
        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(reason).contains("no common SRTP protection profile");
        // rejected before the ServerHello: the client still gets a handshake_failure alert
        assertRefusedWithAlert(handshake, AlertDescription.handshake_failure);
    }

    @Test
    void shouldNeverThrowToTheCallerOfReceiveWhenFedGarbageAndEndTheAssociationWithAFailure() throws Exception {
        DtlsServerEndpoint server = pipe.startServer(DtlsCertificate.generate().fingerprintSha256(), Duration.ofSeconds(2));
        Random random = new Random(42);

        assertThatCode(() -> {
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[1 + random.nextInt(300)];
                random.nextBytes(garbage);
                garbage[0] = (byte) (20 + random.nextInt(44));
                server.receive(garbage, 0, garbage.length);
            }
            // a well-framed epoch-0 handshake record whose body is nonsense
            byte[] record = new byte[13 + 40];
            random.nextBytes(record);
            record[0] = 22;
            record[1] = (byte) 0xFE;
            record[2] = (byte) 0xFD;
            record[3] = 0;
            record[4] = 0;
            record[11] = 0;
            record[12] = 40;
            record[13] = 1; // client_hello
            server.receive(record, 0, record.length);
            server.receive(null, 0, 10);
            server.receive(record, 50, 10);
            server.receive(record, -1, 3);
            server.receive(new byte[4000], 0, 4000);
        }).doesNotThrowAnyException();

        // either BouncyCastle rejects the garbage with a fatal alert, or ignores it and the handshake times out
        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(reason).isNotBlank();
        assertThat(pipe.listener.keys).isNotDone();
        assertThat(server.isHandshakeComplete()).isFalse();
        assertThatCode(() -> server.receive(record(), 0, 20)).doesNotThrowAnyException();
    }

    @Test
    void shouldDropAndCountDatagramsWhenTheQueueIsFull() {
        Executor neverRuns = task -> { };
        DtlsServerEndpoint server = new DtlsServerEndpoint(pipe.serverCertificate, "AA:BB", (b, o, l) -> { },
                pipe.listener, neverRuns, TIMEOUT);
        server.start(); // the task never runs, so nothing drains the queue

        byte[] datagram = record();
        for (int i = 0; i < DtlsServerEndpoint.QUEUE_CAPACITY + 36; i++) {
            server.receive(datagram, 0, datagram.length);
        }

        assertThat(server.droppedDatagrams()).isEqualTo(36);
    }

    @Test
    void shouldReportATimeoutWhenNoClientShowsUp() throws Exception {
        DtlsServerEndpoint server = pipe.startServer("AA:BB", Duration.ofMillis(300));

        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(reason).contains("timed out");
        assertThat(server.isHandshakeComplete()).isFalse();
        assertThat(pipe.listener.calls).hasSize(1);
    }

    @Test
    void shouldSendCloseNotifyAndReportClosedWhenClosedAfterTheHandshake() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsServerEndpoint server = pipe.startServer(clientCert.fingerprintSha256(), TIMEOUT);
        TestDtlsClient client = new TestDtlsClient(CHROMIUM_PROFILES, clientCert);
        DTLSTransport clientTransport = pipe.connect(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS);
        pipe.keepClientReading(clientTransport, client);

        server.close();
        server.close(); // idempotent

        assertThat(client.closeNotifyReceived.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        pipe.listener.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(pipe.listener.calls).containsExactly("complete", "closed");
    }

    @Test
    void shouldReportClosedWhenThePeerSendsCloseNotify() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        pipe.startServer(clientCert.fingerprintSha256(), TIMEOUT);
        TestDtlsClient client = new TestDtlsClient(CHROMIUM_PROFILES, clientCert);
        DTLSTransport clientTransport = pipe.connect(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
        pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS);

        clientTransport.close();

        pipe.listener.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> pipe.listener.calls.size() == 2);
        assertThat(pipe.listener.calls).containsExactly("complete", "closed");
    }

    @Test
    void shouldReportClosedOnceWhenClosedBeforeStartAndIgnoreALaterStart() {
        DtlsServerEndpoint server = new DtlsServerEndpoint(pipe.serverCertificate, "AA:BB", (b, o, l) -> { },
                pipe.listener, pipe.serverExecutor, TIMEOUT);

        server.close();
        server.start();
        server.close();

        assertThat(pipe.listener.closed).isDone();
        assertThat(pipe.listener.calls).containsExactly("closed");
    }

    @Test
    void shouldReportClosedRatherThanFailureWhenClosedDuringTheHandshake() throws Exception {
        DtlsServerEndpoint server = pipe.startServer("AA:BB", TIMEOUT);

        server.close();

        pipe.listener.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(pipe.listener.calls).containsExactly("closed");
    }

    @Test
    void shouldCompleteTheHandshakeWhenTheFingerprintIsSuppliedOnlyAfterTheClientsFirstFlights() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsServerEndpoint server = pipe.startServer(null, TIMEOUT);
        TestDtlsClient client = new TestDtlsClient(GCM_PROFILES, clientCert);

        var handshake = pipe.connect(client);
        awaitServerWaitingForFingerprint(server);
        // ClientHello / ServerHello..ServerHelloDone are done; the server holds the client's Certificate flight
        assertThat(client.serverFingerprint).isEqualTo(pipe.serverCertificate.fingerprintSha256());
        assertThat(handshake).isNotDone();
        assertThat(pipe.listener.calls).isEmpty();

        server.remoteFingerprint(clientCert.fingerprintSha256().toLowerCase(Locale.ROOT));

        assertThat(handshake.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
        SrtpKeyMaterial keys = pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(server.isHandshakeComplete()).isTrue();
        assertThat(server.isAwaitingRemoteFingerprint()).isFalse();
        byte[] exported = client.exportedSrtpKeyingMaterial();
        assertThat(keys.profileId()).isEqualTo(SrtpKeyMaterial.AEAD_AES_128_GCM);
        assertThat(keys.clientKey()).isEqualTo(Arrays.copyOfRange(exported, 0, 16));
        assertThat(keys.serverKey()).isEqualTo(Arrays.copyOfRange(exported, 16, 32));
        assertThat(keys.clientSalt()).isEqualTo(Arrays.copyOfRange(exported, 32, 44));
        assertThat(keys.serverSalt()).isEqualTo(Arrays.copyOfRange(exported, 44, 56));
        assertThat(pipe.listener.calls).containsExactly("complete");
    }

    @Test
    void shouldFailWithBadCertificateWhenALateFingerprintDoesNotMatchTheClientCertificate() throws Exception {
        DtlsCertificate announced = DtlsCertificate.generate();
        DtlsCertificate presented = DtlsCertificate.generate();
        DtlsServerEndpoint server = pipe.startServer(null, TIMEOUT);

        var handshake = pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, presented));
        awaitServerWaitingForFingerprint(server);
        server.remoteFingerprint(announced.fingerprintSha256());
        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(reason).contains("fingerprint").contains("does not match")
                .contains(presented.fingerprintSha256()).contains(announced.fingerprintSha256());
        assertRefusedWithAlert(handshake, AlertDescription.bad_certificate);
        assertThat(server.isHandshakeComplete()).isFalse();
        assertThat(pipe.listener.calls).hasSize(1);
    }

    @Test
    void shouldFailAtTheHandshakeDeadlineWhenTheFingerprintNeverArrives() throws Exception {
        Duration timeout = Duration.ofMillis(1500);
        DtlsCertificate clientCert = DtlsCertificate.generate();
        long startedAt = System.nanoTime();
        DtlsServerEndpoint server = pipe.startServer(null, timeout);

        var handshake = pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, clientCert));
        awaitServerWaitingForFingerprint(server);
        String reason = pipe.listener.failure.get(WAIT_SECONDS, TimeUnit.SECONDS);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedAt);

        assertThat(reason).contains("the browser's fingerprint (SDP answer) did not arrive within 1500 ms");
        assertThat(elapsed).isGreaterThanOrEqualTo(timeout).isLessThan(timeout.plusSeconds(10)); // upper bound wide: a loaded 2-core CI
        assertRefusedWithAlert(handshake, AlertDescription.certificate_unknown);
        assertThat(server.isHandshakeComplete()).isFalse();
        assertThat(server.isAwaitingRemoteFingerprint()).isFalse();
        assertThat(pipe.listener.calls).hasSize(1);
    }

    @Test
    void shouldReportClosedPromptlyWhenClosedWhileWaitingForTheFingerprint() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsServerEndpoint server = pipe.startServer(null, TIMEOUT);
        pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, clientCert));
        awaitServerWaitingForFingerprint(server);

        server.close();

        // before the 10-s handshake timeout the task would otherwise wait for (the bound is loose for a loaded CI
        // machine; it only has to tell the close from the timeout)
        pipe.listener.closed.get(TIMEOUT.toSeconds() - 2, TimeUnit.SECONDS);
        assertThat(server.isAwaitingRemoteFingerprint()).isFalse();
        server.remoteFingerprint(clientCert.fingerprintSha256()); // too late: no effect
        assertThat(server.isHandshakeComplete()).isFalse();
        assertThat(pipe.listener.keys).isNotDone();
        assertThat(pipe.listener.calls).containsExactly("closed");
    }

    @Test
    void shouldAcceptTheFingerprintSuppliedBeforeStartWhenTheConstructorGotNull() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        DtlsServerEndpoint server = pipe.createServer(null, TIMEOUT);
        server.remoteFingerprint(clientCert.fingerprintSha256());
        server.start();

        pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, clientCert)).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
        assertThat(pipe.listener.calls).containsExactly("complete");
    }

    @Test
    void shouldKeepTheFirstFingerprintAndIgnoreALaterDifferentOne() throws Exception {
        DtlsCertificate clientCert = DtlsCertificate.generate();
        String other = DtlsCertificate.generate().fingerprintSha256();
        DtlsServerEndpoint fromConstructor = pipe.startServer(clientCert.fingerprintSha256(), TIMEOUT);
        fromConstructor.remoteFingerprint(other);

        pipe.connect(new TestDtlsClient(CHROMIUM_PROFILES, clientCert)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(pipe.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();

        try (DtlsPipe second = new DtlsPipe()) {
            DtlsServerEndpoint late = second.startServer(null, TIMEOUT);
            late.remoteFingerprint(clientCert.fingerprintSha256());
            late.remoteFingerprint(other);
            second.connect(new TestDtlsClient(CHROMIUM_PROFILES, clientCert)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(second.listener.keys.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void shouldRejectANullLateFingerprint() {
        DtlsServerEndpoint server = pipe.createServer(null, TIMEOUT);

        assertThatThrownBy(() -> server.remoteFingerprint(null)).isInstanceOf(NullPointerException.class);
    }

    private static void awaitServerWaitingForFingerprint(DtlsServerEndpoint server) {
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).pollInterval(Duration.ofMillis(5))
                .until(server::isAwaitingRemoteFingerprint);
    }

    private static byte[] record() {
        byte[] datagram = new byte[20];
        datagram[0] = 22;
        return datagram;
    }

    /** The client's handshake failed on the server's alert {@code description}, and no keys left the server. */
    private void assertRefusedWithAlert(java.util.concurrent.Future<?> handshake, short description) {
        assertThatThrownBy(() -> handshake.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TlsFatalAlert.class, alert ->
                        assertThat(alert.getAlertDescription()).isEqualTo(description));
        assertThat(pipe.listener.keys).isNotDone();
    }
}
