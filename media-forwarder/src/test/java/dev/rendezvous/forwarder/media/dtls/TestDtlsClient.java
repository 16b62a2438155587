package dev.rendezvous.forwarder.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
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

/** A browser stand-in: BouncyCastle DTLS 1.2 client offering use_srtp, optionally authenticating with a certificate. */
final class TestDtlsClient extends DefaultTlsClient {

    private final int[] offeredProfiles;
    private final DtlsCertificate clientCertificate;
    final CountDownLatch closeNotifyReceived = new CountDownLatch(1);
    volatile String serverFingerprint;
    volatile int selectedProfile = -1;
    private volatile byte[] exported;

    TestDtlsClient(int[] offeredProfiles, DtlsCertificate clientCertificate) {
        super(new BcTlsCrypto(DtlsCrypto.RANDOM));
        this.offeredProfiles = offeredProfiles;
        this.clientCertificate = clientCertificate;
    }

    @Override
    public ProtocolVersion[] getProtocolVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        });
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 10_000;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData data = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (data != null && data.getProtectionProfiles().length == 1) {
            selectedProfile = data.getProtectionProfiles()[0];
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                serverFingerprint = DtlsCertificate.fingerprintOf(
                        serverCertificate.getCertificate().getCertificateAt(0).getEncoded());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                if (clientCertificate == null) {
                    return null;
                }
                BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        clientCertificate.privateKey(), clientCertificate.toTlsCertificate(crypto),
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived.countDown();
        }
    }

    /** BouncyCastle only allows the exporter inside notifyHandshakeComplete, so export eagerly there. */
    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        int saltLength = selectedProfile == SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM ? 12 : 14;
        exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (16 + saltLength));
    }

    /** RFC 5764 key material as the client sees it: 2 * (key length + salt length) bytes. */
    byte[] exportedSrtpKeyingMaterial() {
        return exported;
    }
}
