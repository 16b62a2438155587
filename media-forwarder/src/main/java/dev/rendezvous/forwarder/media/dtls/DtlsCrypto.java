package dev.rendezvous.forwarder.media.dtls;

import java.security.SecureRandom;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The process-wide randomness and BouncyCastle TLS crypto provider. Both are thread-safe; sharing them
 * means the expensive seeding happens once (see {@link DtlsServerEndpoint#warmUp()}).
 */
final class DtlsCrypto {

    static final SecureRandom RANDOM = new SecureRandom();
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(RANDOM);

    private DtlsCrypto() {
    }
}
