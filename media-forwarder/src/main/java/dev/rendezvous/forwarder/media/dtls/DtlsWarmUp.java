package dev.rendezvous.forwarder.media.dtls;

import dev.rendezvous.forwarder.media.srtp.SrtpProfile;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Runs whole DTLS-SRTP handshakes in memory at start-up, our {@link DtlsServerEndpoint} against a throw-away client,
 * then protects and unprotects some SRTP packets with the keys they gave. The first handshake of a fresh JVM loads and
 * interprets all of BouncyCastle's handshake, ECDHE, ECDSA and AEAD code: measured 4.4 s from the browser's first
 * datagram on a loaded 2-core machine, against 0.1–0.4 s for later ones (docs/benchmarks.md, "Failover"). A forwarder
 * that has just started is where rooms go when their forwarder dies, so the cost is paid here, before the forwarder
 * reports itself, rather than by the first calls moved onto it. {@link DtlsServerEndpoint#warmUp()} only seeds the
 * randomness and loads some classes.
 */
public final class DtlsWarmUp {

    private static final int[] PROFILES = {SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80};

    private DtlsWarmUp() {
    }

    /**
     * {@code rounds} handshakes with a client certificate checked by fingerprint, as a browser's; each must finish
     * within {@code timeout}. Returns the handshakes' durations in ms; throws when one fails (the caller logs it: a
     * failed warm-up never stops the forwarder).
     */
    public static long[] run(int rounds, Duration timeout) throws Exception {
        DtlsCertificate server = DtlsCertificate.generate();
        DtlsCertificate client = DtlsCertificate.generate();
        long[] took = new long[rounds];
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dtls-warm-up");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                SrtpKeyMaterial keys = handshake(server, client, executor, timeout);
                exerciseSrtp(keys);
                took[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            }
        } finally {
            executor.shutdownNow();
        }
        return took;
    }

    private static SrtpKeyMaterial handshake(DtlsCertificate serverCert, DtlsCertificate clientCert,
                                             ExecutorService executor, Duration timeout) throws Exception {
        LinkedBlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
        AtomicReference<SrtpKeyMaterial> keys = new AtomicReference<>();
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        DtlsServerEndpoint endpoint = new DtlsServerEndpoint(serverCert, clientCert.fingerprintSha256(),
                (buf, off, len) -> toClient.add(Arrays.copyOfRange(buf, off, off + len)),
                new DtlsServerEndpoint.Listener() {
                    @Override
                    public void onHandshakeComplete(SrtpKeyMaterial k) {
                        keys.set(k);
                        done.countDown();
                    }

                    @Override
                    public void onFailure(String reason, Throwable cause) {
                        failure.set(reason);
                        done.countDown();
                    }

                    @Override
                    public void onClosed() {
                        done.countDown();
                    }
                }, executor, timeout);
        endpoint.start();
        DTLSTransport transport = null;
        try {
            transport = new DTLSClientProtocol().connect(new Client(clientCert), new Pipe(toClient, endpoint, timeout));
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || keys.get() == null) {
                throw new IllegalStateException("warm-up handshake did not complete: " + failure.get());
            }
            return keys.get();
        } finally {
            if (transport != null) {
                transport.close();
            }
            endpoint.close();
        }
    }

    /** A few hundred packets each way through the SRTP code the packet thread runs. */
    private static void exerciseSrtp(SrtpKeyMaterial keys) {
        SrtpProfile profile = SrtpProfile.byId(keys.profileId());
        SrtpSession out = SrtpSession.forSending(profile, keys.serverKey(), keys.serverSalt());
        SrtpSession in = SrtpSession.forReceiving(profile, keys.serverKey(), keys.serverSalt());
        byte[] packet = new byte[1200 + out.maxOverhead()];
        for (int seq = 0; seq < 300; seq++) {
            Arrays.fill(packet, (byte) 0);
            packet[0] = (byte) 0x80;
            packet[1] = 96;
            packet[2] = (byte) (seq >> 8);
            packet[3] = (byte) seq;
            packet[11] = 1; // SSRC 1
            int n = out.protectRtp(packet, 0, 1200);
            if (n <= 0 || in.unprotectRtp(packet, 0, n) <= 0) {
                throw new IllegalStateException("SRTP round trip failed in the warm-up");
            }
        }
    }

    /** The client's side of the in-memory link: its sends go to the endpoint, the endpoint's to its queue. */
    private record Pipe(LinkedBlockingQueue<byte[]> toClient, DtlsServerEndpoint endpoint, Duration timeout)
            implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            byte[] d;
            try {
                d = toClient.poll(waitMillis <= 0 ? timeout.toMillis() : waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            endpoint.receive(buf, off, len);
        }

        @Override
        public void close() {
        }
    }

    /** A browser's side as far as the handshake goes: DTLS 1.2, ECDHE-ECDSA, use_srtp, its certificate. */
    private static final class Client extends DefaultTlsClient {
        private final DtlsCertificate certificate;

        Client(DtlsCertificate certificate) {
            super(new BcTlsCrypto(DtlsCrypto.RANDOM));
            this.certificate = certificate;
        }

        @Override
        public ProtocolVersion[] getProtocolVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(),
                    new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256});
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(PROFILES, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // our own server: nothing to check
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
                    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                            certificate.privateKey(), certificate.toTlsCertificate(crypto),
                            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }
    }
}
