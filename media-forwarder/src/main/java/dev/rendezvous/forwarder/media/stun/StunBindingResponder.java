package dev.rendezvous.forwarder.media.stun;

import static dev.rendezvous.forwarder.media.stun.Stun.*;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u32;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ICE-lite answer to a browser's connectivity check: checks a STUN binding request (framing, magic
 * cookie, FINGERPRINT, USERNAME = {@code <our ufrag>:<their ufrag>}, MESSAGE-INTEGRITY keyed by our ice-pwd)
 * and writes the success response (same transaction id, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY,
 * FINGERPRINT) into the caller's buffer. Anything else is dropped and counted by reason; no input makes it
 * throw.
 *
 * <p>One instance per receive loop (not thread-safe: it reuses its CRC and HMAC objects and reports the
 * last request's USE-CANDIDATE flag through {@link #lastUseCandidate()}). It does not allocate per
 * request, apart from the ufrag string used to look up the session.
 */
public final class StunBindingResponder {

    /** Header + XOR-MAPPED-ADDRESS (IPv6) + MESSAGE-INTEGRITY + FINGERPRINT. */
    public static final int MAX_RESPONSE = HEADER + 24 + 24 + 8;

    /** Why a datagram got no answer. */
    public enum Drop { MALFORMED, NOT_A_BINDING_REQUEST, BAD_FINGERPRINT, NO_USERNAME, UNKNOWN_UFRAG, NO_INTEGRITY, BAD_INTEGRITY }

    private final IceCredentials credentials;
    private final CRC32 crc = new CRC32();
    private final Map<String, Mac> macs = new HashMap<>();
    private final byte[] digest = new byte[20];
    private final LongAdder answered = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[Drop.values().length];
    private boolean lastUseCandidate;
    private String lastLocalUfrag;

    public StunBindingResponder(IceCredentials credentials) {
        this.credentials = credentials;
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    /**
     * @param in         the datagram
     * @param remoteIp   the sender's address (4 or 16 bytes)
     * @param remotePort the sender's port
     * @param out        where the response goes, at least {@link #MAX_RESPONSE} bytes
     * @return the response length, or -1 when the datagram is dropped (counted in {@link #dropped(Drop)})
     */
    public int handle(byte[] in, int off, int len, byte[] remoteIp, int remotePort, byte[] out) {
        lastUseCandidate = false;
        if (len < HEADER || (in[off] & 0xC0) != 0 || u16(in, off + 2) + HEADER != len || (len & 3) != 0
                || (int) u32(in, off + 4) != MAGIC_COOKIE || (remoteIp.length != 4 && remoteIp.length != 16)) {
            return drop(Drop.MALFORMED);
        }
        if (u16(in, off) != BINDING_REQUEST) {
            return drop(Drop.NOT_A_BINDING_REQUEST);
        }
        int usernameAt = -1, usernameLen = 0, integrityAt = -1, fingerprintAt = -1;
        boolean useCandidate = false;
        for (int p = off + HEADER; p < off + len; ) {
            if (p + 4 > off + len) {
                return drop(Drop.MALFORMED);
            }
            int type = u16(in, p);
            int alen = u16(in, p + 2);
            int next = p + 4 + ((alen + 3) & ~3);
            if (next > off + len || fingerprintAt >= 0) {
                return drop(Drop.MALFORMED); // overruns, or something after FINGERPRINT
            }
            if (integrityAt < 0) { // attributes after MESSAGE-INTEGRITY (but FINGERPRINT) are ignored
                switch (type) {
                    case ATTR_USERNAME -> { usernameAt = p + 4; usernameLen = alen; }
                    case ATTR_USE_CANDIDATE -> useCandidate = true;
                    case ATTR_MESSAGE_INTEGRITY -> {
                        if (alen != 20) {
                            return drop(Drop.MALFORMED);
                        }
                        integrityAt = p;
                    }
                    default -> { }
                }
            }
            if (type == ATTR_FINGERPRINT) {
                if (alen != 4) {
                    return drop(Drop.MALFORMED);
                }
                fingerprintAt = p;
            }
            p = next;
        }
        if (fingerprintAt >= 0 && (int) u32(in, fingerprintAt + 4) != (crc(in, off, fingerprintAt - off) ^ FINGERPRINT_XOR)) {
            return drop(Drop.BAD_FINGERPRINT);
        }
        if (usernameAt < 0) {
            return drop(Drop.NO_USERNAME);
        }
        int colon = -1;
        for (int i = usernameAt; i < usernameAt + usernameLen; i++) {
            if (in[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= usernameAt) {
            return drop(Drop.NO_USERNAME);
        }
        String localUfrag = new String(in, usernameAt, colon - usernameAt, StandardCharsets.UTF_8);
        Mac mac = macFor(localUfrag);
        if (mac == null) {
            return drop(Drop.UNKNOWN_UFRAG);
        }
        if (integrityAt < 0) {
            return drop(Drop.NO_INTEGRITY);
        }
        // HMAC over everything before MESSAGE-INTEGRITY, with the header length ending at that attribute
        hmac(mac, in, off, integrityAt - off, integrityAt + 24 - off - HEADER);
        if (!sameDigest(in, integrityAt + 4)) {
            return drop(Drop.BAD_INTEGRITY);
        }
        lastUseCandidate = useCandidate;
        lastLocalUfrag = localUfrag;
        answered.increment();
        return writeSuccess(in, off, remoteIp, remotePort, mac, out);
    }

    private int writeSuccess(byte[] in, int off, byte[] ip, int port, Mac mac, byte[] out) {
        int p = HEADER;
        int addrLen = ip.length;
        put16(out, 0, BINDING_SUCCESS);
        put32(out, 4, MAGIC_COOKIE);
        System.arraycopy(in, off + 8, out, 8, 12); // transaction id
        put16(out, p, ATTR_XOR_MAPPED_ADDRESS);
        put16(out, p + 2, 4 + addrLen);
        out[p + 4] = 0;
        out[p + 5] = (byte) (addrLen == 4 ? 0x01 : 0x02);
        put16(out, p + 6, port ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < addrLen; i++) {
            // XOR with the cookie, then (IPv6) with the transaction id: bytes 4..19 of the header
            out[p + 8 + i] = (byte) (ip[i] ^ out[4 + i]);
        }
        p += 8 + addrLen;
        int integrityAt = p;
        hmac(mac, out, 0, integrityAt, integrityAt + 24 - HEADER);
        put16(out, p, ATTR_MESSAGE_INTEGRITY);
        put16(out, p + 2, 20);
        System.arraycopy(digest, 0, out, p + 4, 20);
        p += 24;
        put16(out, 2, p + 8 - HEADER); // final length, FINGERPRINT included
        put16(out, p, ATTR_FINGERPRINT);
        put16(out, p + 2, 4);
        put32(out, p + 4, crc(out, 0, p) ^ FINGERPRINT_XOR);
        return p + 8;
    }

    /** The local ufrag (our ICE session) of the last answered request. */
    public String lastLocalUfrag() {
        return lastLocalUfrag;
    }

    /** True when the last answered request carried USE-CANDIDATE (the browser nominated this pair). */
    public boolean lastUseCandidate() {
        return lastUseCandidate;
    }

    public long answered() {
        return answered.sum();
    }

    public long dropped(Drop reason) {
        return dropped[reason.ordinal()].sum();
    }

    /** Forgets the cached HMAC of a closed session. */
    public void forget(String localUfrag) {
        macs.remove(localUfrag);
    }

    private Mac macFor(String localUfrag) {
        Mac mac = macs.get(localUfrag);
        if (mac != null) {
            return mac;
        }
        byte[] pwd = credentials.passwordFor(localUfrag);
        if (pwd == null || pwd.length == 0) {
            return null;
        }
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(pwd, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
        macs.put(localUfrag, mac);
        return mac;
    }

    /** HMAC-SHA1 of buf[off, off+len) with the STUN length field replaced by {@code lengthField}, into digest. */
    private void hmac(Mac mac, byte[] buf, int off, int len, int lengthField) {
        mac.update(buf, off, 2);
        mac.update((byte) (lengthField >>> 8));
        mac.update((byte) lengthField);
        mac.update(buf, off + 4, len - 4);
        try {
            mac.doFinal(digest, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the computed digest with 20 bytes of {@code b} at {@code at}. */
    private boolean sameDigest(byte[] b, int at) {
        int diff = 0;
        for (int i = 0; i < 20; i++) {
            diff |= digest[i] ^ b[at + i];
        }
        return diff == 0;
    }

    /** CRC-32 of buf[off, off+len). */
    private int crc(byte[] buf, int off, int len) {
        crc.reset();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }

    private int drop(Drop reason) {
        dropped[reason.ordinal()].increment();
        return -1;
    }
}
