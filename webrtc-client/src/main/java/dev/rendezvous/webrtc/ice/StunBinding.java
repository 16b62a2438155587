package dev.rendezvous.webrtc.ice;

import static dev.rendezvous.forwarder.media.stun.Stun.*;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u32;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The controlling ICE agent's half of a connectivity check (RFC 8445 section 7.2.4, RFC 5389): writes STUN
 * Binding Requests the way a browser does towards an ICE-lite peer, and recognises the success responses.
 *
 * <p>Exists because the forwarder only answers checks that carry USERNAME {@code remoteUfrag:localUfrag},
 * MESSAGE-INTEGRITY keyed by the forwarder's ice-pwd and a valid FINGERPRINT; PRIORITY, ICE-CONTROLLING and
 * USE-CANDIDATE make the request look exactly like Chromium's nominating check. One instance per ICE session;
 * thread-safe (its HMAC and CRC are used under the instance lock).
 */
public final class StunBinding {

    /** Priority of a host candidate (type preference 126, local preference 65535, component 1). */
    static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | 255;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] username;
    private final Mac mac;
    private final CRC32 crc = new CRC32();
    private final long tieBreaker = RANDOM.nextLong();

    /**
     * @param remoteUfrag the forwarder's ice-ufrag (from its SDP)
     * @param localUfrag  ours
     * @param remotePwd   the forwarder's ice-pwd: the key of both directions' MESSAGE-INTEGRITY
     */
    public StunBinding(String remoteUfrag, String localUfrag, String remotePwd) {
        this.username = (remoteUfrag + ":" + localUfrag).getBytes(StandardCharsets.UTF_8);
        try {
            this.mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(remotePwd.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** A fresh 12-byte transaction id. */
    public static byte[] newTransactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    /**
     * Writes a Binding Request into {@code out} (at least 128 bytes) and returns its length.
     *
     * @param useCandidate nominate the pair (the controlling agent's aggressive nomination, as Chromium does)
     */
    public synchronized int writeRequest(byte[] out, byte[] transactionId, boolean useCandidate) {
        put16(out, 0, BINDING_REQUEST);
        put32(out, 4, MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, 8, 12);
        int p = HEADER;
        put16(out, p, ATTR_USERNAME);
        put16(out, p + 2, username.length);
        System.arraycopy(username, 0, out, p + 4, username.length);
        p += 4 + username.length;
        while ((p & 3) != 0) {
            out[p++] = 0;
        }
        put16(out, p, ATTR_PRIORITY);
        put16(out, p + 2, 4);
        put32(out, p + 4, (int) HOST_PRIORITY);
        p += 8;
        put16(out, p, ATTR_ICE_CONTROLLING);
        put16(out, p + 2, 8);
        put32(out, p + 4, (int) (tieBreaker >>> 32));
        put32(out, p + 8, (int) tieBreaker);
        p += 12;
        if (useCandidate) {
            put16(out, p, ATTR_USE_CANDIDATE);
            put16(out, p + 2, 0);
            p += 4;
        }
        // MESSAGE-INTEGRITY: HMAC over the message so far, with the length field already counting this attribute
        put16(out, 2, p + 24 - HEADER);
        mac.update(out, 0, p);
        byte[] digest = mac.doFinal();
        put16(out, p, ATTR_MESSAGE_INTEGRITY);
        put16(out, p + 2, 20);
        System.arraycopy(digest, 0, out, p + 4, 20);
        p += 24;
        put16(out, 2, p + 8 - HEADER);
        put16(out, p, ATTR_FINGERPRINT);
        put16(out, p + 2, 4);
        put32(out, p + 4, crc(out, p) ^ FINGERPRINT_XOR);
        return p + 8;
    }

    /**
     * True when {@code in[0, len)} is a Binding Success Response to {@code transactionId} whose MESSAGE-INTEGRITY
     * verifies with the forwarder's password (so it really comes from the peer we signalled with).
     */
    public synchronized boolean isSuccessFor(byte[] in, int len, byte[] transactionId) {
        if (len < HEADER || u16(in, 0) != BINDING_SUCCESS || (int) u32(in, 4) != MAGIC_COOKIE
                || u16(in, 2) + HEADER != len) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (in[8 + i] != transactionId[i]) {
                return false;
            }
        }
        for (int p = HEADER; p + 4 <= len; ) {
            int type = u16(in, p);
            int alen = u16(in, p + 2);
            if (type == ATTR_MESSAGE_INTEGRITY) {
                if (alen != 20 || p + 24 > len) {
                    return false;
                }
                byte[] copy = new byte[p];
                System.arraycopy(in, 0, copy, 0, p);
                put16(copy, 2, p + 24 - HEADER);
                byte[] expected = mac.doFinal(copy);
                byte[] actual = new byte[20];
                System.arraycopy(in, p + 4, actual, 0, 20);
                return MessageDigest.isEqual(expected, actual);
            }
            p += 4 + ((alen + 3) & ~3);
        }
        return false;
    }

    private int crc(byte[] b, int len) {
        crc.reset();
        crc.update(b, 0, len);
        return (int) crc.getValue();
    }
}
