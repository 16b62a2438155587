package dev.rendezvous.forwarder.media.srtp;

/**
 * The SRTP protection profiles the forwarder supports, with their DTLS-SRTP profile ids (RFC 5764 section 4.1.2,
 * RFC 7714 section 14.2) and the lengths, in bytes, of the master key, the master salt and the authentication tag.
 */
public enum SrtpProfile {
    /** SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 truncated to 80 bits (RFC 3711). */
    AES_CM_128_HMAC_SHA1_80(1, 16, 14, 10),
    /** SRTP_AEAD_AES_128_GCM: AES-128 in Galois/counter mode with a 128-bit tag (RFC 7714). */
    AEAD_AES_128_GCM(7, 16, 12, 16);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The DTLS-SRTP protection profile id. */
    public int id() {
        return id;
    }

    /** Master (and session) key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Authentication tag length in bytes, appended to every SRTP and SRTCP packet. */
    public int tagLength() {
        return tagLength;
    }

    /** The profile with that DTLS-SRTP id, or {@code null} when unknown. */
    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
