package dev.rendezvous.webrtc.sdp;

import java.security.SecureRandom;

/**
 * Our side of one PeerConnection's transport as the SDP carries it: ICE credentials (RFC 8839 section 5.4
 * lengths, as Chromium makes them) and the certificate fingerprint.
 */
public record IceParameters(String ufrag, String pwd, String fingerprintSha256) {

    private static final String ICE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fresh credentials (4-character ufrag, 24-character pwd) with this fingerprint. */
    public static IceParameters random(String fingerprintSha256) {
        return new IceParameters(randomString(4), randomString(24), fingerprintSha256);
    }

    private static String randomString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return b.toString();
    }
}
