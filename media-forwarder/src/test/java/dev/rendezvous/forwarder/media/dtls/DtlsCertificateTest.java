package dev.rendezvous.forwarder.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void shouldBeASelfSignedP256CertificateForRendezvousValidForThirtyDays() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.der()));

        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=rendezvous");
        assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
        x509.verify(x509.getPublicKey());
        assertThat(x509.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
        assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(x509.getSerialNumber().signum()).isPositive();
        assertThat(x509.getNotAfter().toInstant()).isBetween(Instant.now().plus(Duration.ofDays(29)),
                Instant.now().plus(Duration.ofDays(31)));
        x509.checkValidity();
    }

    @Test
    void shouldPublishTheUppercaseColonSeparatedSha256OfTheDerAsFingerprint() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.der()));

        assertThat(certificate.fingerprintSha256()).isEqualTo(expected).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void shouldUseAFreshKeyAndSerialForEveryCertificate() {
        assertThat(DtlsCertificate.generate().fingerprintSha256())
                .isNotEqualTo(DtlsCertificate.generate().fingerprintSha256());
    }
}
