package dev.rendezvous.webrtc.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

/**
 * The client's own DTLS identity, as {@code RTCPeerConnection.generateCertificate({name: "ECDSA", namedCurve:
 * "P-256"})} makes one: a self-signed ECDSA P-256 certificate whose SHA-256 fingerprint goes into our SDP (and,
 * for the subscribe side, into the join) so the forwarder can check who completes the handshake. Immutable.
 */
public final class ClientCertificate {

    static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final ECPrivateKeyParameters privateKey;
    private final byte[] der;
    private final String fingerprint;

    private ClientCertificate(ECPrivateKeyParameters privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.fingerprint = fingerprintOf(der);
    }

    /** A new key pair and certificate (CN=webrtc-client, valid a week, back-dated a day). */
    public static ClientCertificate generate() {
        ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1,
                ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1));
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, RANDOM));
        AsymmetricCipherKeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=webrtc-client");
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name,
                    new BigInteger(62, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(7))), name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keys.getPublic()));
            AlgorithmIdentifier sig = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digest = new DefaultDigestAlgorithmIdentifierFinder().find(sig);
            byte[] der = builder.build(new BcECContentSignerBuilder(sig, digest).build(keys.getPrivate())).getEncoded();
            return new ClientCertificate((ECPrivateKeyParameters) keys.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign the client certificate", e);
        }
    }

    /** Uppercase colon-separated SHA-256 of the DER, for {@code a=fingerprint:sha-256}. */
    public String fingerprintSha256() {
        return fingerprint;
    }

    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }

    byte[] der() {
        return der.clone();
    }

    /** RFC 8122 fingerprint syntax of SHA-256({@code der}). */
    public static String fingerprintOf(byte[] der) {
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder sb = new StringBuilder(95);
        for (int i = 0; i < d.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(d[i] >> 4) & 0xF]).append(HEX[d[i] & 0xF]);
        }
        return sb.toString();
    }
}
