package dev.rendezvous.webrtc.dtls;

import dev.rendezvous.forwarder.media.srtp.SrtpProfile;
import dev.rendezvous.forwarder.media.srtp.SrtpSession;
import java.util.Arrays;

/**
 * The SRTP master keys one DTLS-SRTP handshake yields (RFC 5764 section 4.2), seen from the DTLS client: the
 * exporter output is client key | server key | client salt | server salt. We are the client, so we protect
 * with the client half and unprotect the forwarder's packets with the server half — the mirror image of the
 * forwarder's own key split. {@link #toString()} never prints key material.
 */
public record SrtpKeys(SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    /** Splits {@code 2 * (key + salt)} bytes of exported keying material for {@code profile}. */
    public static SrtpKeys split(SrtpProfile profile, byte[] exported) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        if (exported.length != 2 * (k + s)) {
            throw new IllegalArgumentException("expected " + 2 * (k + s) + " bytes of keying material");
        }
        return new SrtpKeys(profile, Arrays.copyOfRange(exported, 0, k), Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, k, 2 * k), Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /** Protects what we send. */
    public SrtpSession sending() {
        return SrtpSession.forSending(profile, clientKey, clientSalt);
    }

    /** Unprotects what the forwarder sends. */
    public SrtpSession receiving() {
        return SrtpSession.forReceiving(profile, serverKey, serverSalt);
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }
}
