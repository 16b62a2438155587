package dev.rendezvous.forwarder.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The BouncyCastle {@code TlsServer} policy for one DTLS-SRTP association: DTLS 1.2 only, ECDHE_ECDSA
 * suites, our self-signed certificate, a mandatory client certificate whose SHA-256 fingerprint must equal
 * the browser's SDP a=fingerprint, and use_srtp negotiation (RFC 5764 section 4.1). Single-use, confined to
 * the association's executor thread except for the volatile status fields.
 *
 * <p>The expected fingerprint may still be unknown when the handshake starts (the subscribe PeerConnection's
 * SDP answer can arrive after the ClientHello). {@link #notifyClientCertificate} then blocks the handshake
 * thread until it is supplied, the association is closed, or the handshake deadline passes — whichever comes
 * first. The client's Certificate message is the first point where the fingerprint is needed, so the
 * ClientHello/ServerHello round trip and the key exchange overlap with the wait; nothing after it (the
 * client's Finished, the key export) is processed before the certificate has been matched.
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    /**
     * Our preference order; the client's order is ignored. AES-CM first: with the JDK's GCM (a cipher init and a
     * parameter spec per packet) the forwarder's packet thread forwarded ~98,000 packets/s per core against
     * ~128,000 with our allocation-free AES-CM + HMAC-SHA1 (MediaLoad, 1×32 video in-process; ARCHITECTURE,
     * Decisions). Both are WebRTC's standard profiles; GCM is still taken from clients that offer only it.
     */
    static final int[] SRTP_PROFILES = {SrtpKeyMaterial.AES128_CM_HMAC_SHA1_80, SrtpKeyMaterial.AEAD_AES_128_GCM};

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final DtlsCertificate certificate;
    private final RemoteFingerprint expectedFingerprint;
    private final long handshakeDeadlineNanos;
    private final int handshakeTimeoutMillis;
    private volatile long fingerprintWaitNanos;

    private int selectedProfile = -1;
    private SrtpKeyMaterial keys;
    private volatile boolean abortedBeforeServerHello;
    /** Set just before we abort the handshake on purpose, so the listener gets a precise reason. */
    private volatile String failureReason;
    private volatile boolean closeNotifyReceived;
    private volatile short fatalAlertReceived = -1;

    /**
     * @param expectedFingerprint    the browser's fingerprint, possibly supplied only later
     * @param handshakeDeadlineNanos ({@link System#nanoTime} scale) how long {@link #notifyClientCertificate}
     *                               waits at most for a fingerprint that is not known yet
     * @param handshakeTimeoutMillis the whole handshake's time budget, for BouncyCastle and for messages
     */
    DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, RemoteFingerprint expectedFingerprint,
                   long handshakeDeadlineNanos, int handshakeTimeoutMillis) {
        super(crypto);
        this.certificate = certificate;
        this.expectedFingerprint = expectedFingerprint;
        this.handshakeDeadlineNanos = handshakeDeadlineNanos;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /**
     * True when we rejected the ClientHello itself. BouncyCastle 1.81 sends nothing, not even an alert, before
     * it has fixed the record version while sending the ServerHello, so the caller sends the alert itself.
     */
    boolean abortedBeforeServerHello() {
        return abortedBeforeServerHello;
    }

    String failureReason() {
        return failureReason;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    short fatalAlertReceived() {
        return fatalAlertReceived;
    }

    @Override
    public ProtocolVersion[] getProtocolVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                certificate.privateKey(), certificate.toTlsCertificate((BcTlsCrypto) getCrypto()),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw abortBeforeServerHello("client did not offer the use_srtp extension");
        }
        int[] offeredProfiles = offered.getProtectionProfiles();
        for (int mine : SRTP_PROFILES) {
            for (int theirs : offeredProfiles) {
                if (mine == theirs) {
                    selectedProfile = mine;
                    return;
                }
            }
        }
        throw abortBeforeServerHello("no common SRTP protection profile (client offered "
                + Arrays.toString(offeredProfiles) + ", we support " + Arrays.toString(SRTP_PROFILES) + ")");
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        if (extensions == null) {
            extensions = new Hashtable();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {selectedProfile}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        Vector signatureAlgorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(types, signatureAlgorithms, null);
    }

    /**
     * Matches the client certificate against the browser's SDP fingerprint, first waiting for that fingerprint
     * if it is not known yet (bounded by the handshake deadline). Throws — so the handshake can never
     * complete — on no certificate, a mismatch (bad_certificate), a fingerprint that did not arrive in time
     * (certificate_unknown), or {@link InterruptedIOException} when the endpoint was closed meanwhile.
     */
    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw abort("client sent no certificate", AlertDescription.handshake_failure);
        }
        String actual = DtlsCertificate.fingerprintOf(clientCertificate.getCertificateAt(0).getEncoded());
        byte[] expected = awaitExpectedFingerprint(actual);
        if (!MessageDigest.isEqual(expected, actual.getBytes(StandardCharsets.US_ASCII))) {
            throw abort("client certificate fingerprint " + actual
                    + " does not match the SDP fingerprint " + new String(expected, StandardCharsets.US_ASCII),
                    AlertDescription.bad_certificate);
        }
        // BouncyCastle then verifies the CertificateVerify signature against this certificate's key.
    }

    /** Time {@link #notifyClientCertificate} spent waiting for a fingerprint that was not known yet. */
    long fingerprintWaitNanos() {
        return fingerprintWaitNanos;
    }

    private byte[] awaitExpectedFingerprint(String actual) throws IOException {
        byte[] expected;
        long t0 = System.nanoTime();
        try {
            expected = expectedFingerprint.await(handshakeDeadlineNanos);
            fingerprintWaitNanos = System.nanoTime() - t0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the browser's fingerprint");
        }
        if (expected != null) {
            return expected;
        }
        if (expectedFingerprint.isClosed()) {
            throw new InterruptedIOException("DTLS endpoint closed while waiting for the browser's fingerprint");
        }
        throw abort("the browser's fingerprint (SDP answer) did not arrive within " + handshakeTimeoutMillis
                + " ms of the DTLS handshake start, so its certificate " + actual + " cannot be verified",
                AlertDescription.certificate_unknown);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (alertLevel == AlertLevel.fatal) {
            fatalAlertReceived = alertDescription;
        }
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        // Reported through the listener instead; BouncyCastle's default would print to stderr.
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        // BouncyCastle only allows the exporter from within this callback.
        keys = exportKeys();
    }

    /** The exported keys; non-null once {@code accept} has returned successfully. */
    SrtpKeyMaterial keys() {
        return keys;
    }

    /** RFC 5764 section 4.2: client key, server key, client salt, server salt. */
    private SrtpKeyMaterial exportKeys() {
        int keyLength = 16;
        int saltLength = selectedProfile == SrtpKeyMaterial.AEAD_AES_128_GCM ? 12 : 14;
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (keyLength + saltLength));
        int at = 0;
        byte[] clientKey = Arrays.copyOfRange(material, at, at += keyLength);
        byte[] serverKey = Arrays.copyOfRange(material, at, at += keyLength);
        byte[] clientSalt = Arrays.copyOfRange(material, at, at += saltLength);
        byte[] serverSalt = Arrays.copyOfRange(material, at, at + saltLength);
        Arrays.fill(material, (byte) 0);
        return new SrtpKeyMaterial(selectedProfile, clientKey, clientSalt, serverKey, serverSalt);
    }

    private TlsFatalAlert abortBeforeServerHello(String reason) {
        abortedBeforeServerHello = true;
        return abort(reason, AlertDescription.handshake_failure);
    }

    private TlsFatalAlert abort(String reason, short alert) {
        failureReason = reason;
        return new TlsFatalAlert(alert, reason);
    }
}
