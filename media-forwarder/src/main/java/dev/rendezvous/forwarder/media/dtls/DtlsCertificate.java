package dev.rendezvous.forwarder.media.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Self-signed ECDSA P-256 certificate + key for one forwarder process (valid 30 days, random serial,
 * CN=rendezvous). WebRTC does not use PKI trust: the peer checks the certificate against the fingerprint
 * we put into the SDP answer. Immutable and thread-safe; one instance may serve any number of endpoints.
 */
public final class DtlsCertificate {

    private static final Duration VALIDITY = Duration.ofDays(30);
    /** notBefore is back-dated a little so a peer with a slightly late clock does not reject it. */
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ECPrivateKeyParameters privateKey;
    private final byte[] der;
    private final String fingerprint;

    private DtlsCertificate(ECPrivateKeyParameters privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.fingerprint = fingerprintOf(der);
    }

    public static DtlsCertificate generate() {
        X9ECParameters p256 = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1);
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, p256);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, DtlsCrypto.RANDOM));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

        X500Name name = new X500Name("CN=rendezvous");
        BigInteger serial = new BigInteger(63, DtlsCrypto.RANDOM).add(BigInteger.ONE);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
            AlgorithmIdentifier signatureAlgorithm =
                    new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digestAlgorithm =
                    new DefaultDigestAlgorithmIdentifierFinder().find(signatureAlgorithm);
            byte[] der = builder.build(new BcECContentSignerBuilder(signatureAlgorithm, digestAlgorithm)
                    .build(keyPair.getPrivate())).getEncoded();
            return new DtlsCertificate((ECPrivateKeyParameters) keyPair.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the DTLS certificate", e);
        }
    }

    /** "AB:CD:…" uppercase, SHA-256 of the DER — goes into the SDP as "a=fingerprint:sha-256 &lt;this&gt;". */
    public String fingerprintSha256() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[sha-256 " + fingerprint + "]";
    }

    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    byte[] der() {
        return der.clone();
    }

    /** The certificate as a one-element BouncyCastle TLS chain bound to {@code crypto}. */
    Certificate toTlsCertificate(BcTlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }

    /** SHA-256 of {@code der} as uppercase hex pairs joined by ':' (RFC 8122 fingerprint syntax). */
    static String fingerprintOf(byte[] der) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
        StringBuilder sb = new StringBuilder(digest.length * 3 - 1);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(digest[i] >> 4) & 0xF]).append(HEX[digest[i] & 0xF]);
        }
        return sb.toString();
    }
}
