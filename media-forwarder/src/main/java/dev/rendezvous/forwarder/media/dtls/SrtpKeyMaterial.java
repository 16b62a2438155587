package dev.rendezvous.forwarder.media.dtls;

/**
 * The SRTP master keys and salts exported from one DTLS association (RFC 5764 section 4.2).
 *
 * <p>The browser is the DTLS client: it protects what it sends with {@code clientKey}/{@code clientSalt}
 * (so we unprotect its packets with them) and we protect what we send with {@code serverKey}/{@code
 * serverSalt}. Lengths depend on {@code profileId}: 16/14 bytes for {@link #AES128_CM_HMAC_SHA1_80} (1),
 * 16/12 bytes for {@link #AEAD_AES_128_GCM} (7).
 *
 * <p>The arrays are not copied; treat them as read-only. {@link #toString()} never prints key material.
 */
public record SrtpKeyMaterial(int profileId, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    /** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764). */
    public static final int AES128_CM_HMAC_SHA1_80 = 0x0001;
    /** SRTP_AEAD_AES_128_GCM (RFC 7714). */
    public static final int AEAD_AES_128_GCM = 0x0007;

    @Override
    public String toString() {
        return "SrtpKeyMaterial[profileId=" + profileId + ", keyLength=" + length(clientKey)
                + ", saltLength=" + length(clientSalt) + "]";
    }

    private static int length(byte[] a) {
        return a == null ? -1 : a.length;
    }
}
