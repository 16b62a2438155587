package dev.rendezvous.forwarder.media.srtp;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of one DTLS-SRTP association: all SSRCs of that direction, RTP and RTCP (RFC 3711, RFC 7714).
 * Thread-safe (methods synchronized).
 *
 * <p>Session keys are derived once, at construction, from the master key and salt (RFC 3711 section 4.3, key
 * derivation rate 0). Per-SSRC state (rollover counter and highest sequence number, kept together as the highest
 * 48-bit packet index; the 64-packet replay windows; the next SRTCP index to send) is created on the first packet
 * of an SSRC and kept in {@link SsrcContexts}, a small table looked up without boxing. At most {@link #MAX_SSRCS}
 * SSRCs are tracked: a packet of a further SSRC is refused with {@link SrtpResult#TOO_MANY_SSRCS}. A receiving
 * session creates an SSRC's context only once a packet of that SSRC has authenticated, so garbage cannot fill
 * the table; a receiving session's state (index, window) is likewise updated only after authentication.
 *
 * <p>Packets are transformed in place. Buffer sizing: protecting RTP appends {@code profile().tagLength()} bytes,
 * protecting RTCP appends {@link #maxOverhead()} bytes ({@code 4 + tagLength}); a buffer without that room after
 * {@code off + len} gets {@link SrtpResult#NO_ROOM} and is left untouched.
 *
 * <p>AES_CM_128_HMAC_SHA1_80 allocates nothing per packet (reused {@code AES/ECB} cipher, counter, keystream
 * and HMAC buffers). AEAD_AES_128_GCM creates one {@link GCMParameterSpec} per packet (the JDK copies the IV
 * anyway) and the JDK may buffer internally for in-place decryption. On {@link SrtpResult#AUTH_FAILED} the packet
 * bytes are unchanged for AES-CM (authentication precedes decryption) but unspecified for GCM.
 *
 * <p>Sending: the packet index is estimated from the sequence number as on receipt (RFC 3711 appendix A), so
 * retransmissions of older sequence numbers get their original index. There is no replay check on sending;
 * never protect different content under the same SSRC and sequence number (and rollover counter). With GCM the
 * JDK refuses to encrypt twice in a row under the same IV, which happens when the same SSRC and index are
 * protected twice consecutively: that is reported as {@link SrtpResult#REPLAY}. SRTCP indices start at 0 and
 * count up to 2^31 - 1; re-key before that.
 */
public final class SrtpSession {

    /** The most SSRC contexts one session holds; see {@link SrtpResult#TOO_MANY_SSRCS}. */
    public static final int MAX_SSRCS = SsrcContexts.MAX;

    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final int SRTCP_INDEX = 4;
    private static final int E_FLAG = 0x8000_0000;

    private final SrtpProfile profile;
    private final boolean sending;
    private final boolean gcm;
    private final int tagLength;

    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    // AES_CM_128_HMAC_SHA1_80
    private final Cipher rtpEcb;
    private final Cipher rtcpEcb;
    private final Mac rtpMac;
    private final Mac rtcpMac;
    // AEAD_AES_128_GCM
    private final Cipher gcmCipher;
    private final SecretKeySpec rtpGcmKey;
    private final SecretKeySpec rtcpGcmKey;

    // scratch, reused for every packet
    private final byte[] cmIv = new byte[16];
    private final byte[] counters = new byte[16 * SrtpCrypto.BATCH_BLOCKS];
    private final byte[] keystream = new byte[16 * SrtpCrypto.BATCH_BLOCKS];
    private final byte[] macOut = new byte[20];
    private final byte[] word = new byte[4];
    private final byte[] gcmIv = new byte[12];

    private final SsrcContexts contexts = new SsrcContexts();

    private SrtpSession(SrtpProfile profile, boolean sending, byte[] rtpKey, byte[] rtpSalt, byte[] rtpAuth,
            byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuth) {
        this.profile = profile;
        this.sending = sending;
        this.gcm = profile == SrtpProfile.AEAD_AES_128_GCM;
        this.tagLength = profile.tagLength();
        this.rtpSalt = rtpSalt.clone();
        this.rtcpSalt = rtcpSalt.clone();
        try {
            if (gcm) {
                rtpEcb = null;
                rtcpEcb = null;
                rtpMac = null;
                rtcpMac = null;
                gcmCipher = Cipher.getInstance("AES/GCM/NoPadding");
                rtpGcmKey = new SecretKeySpec(rtpKey, "AES");
                rtcpGcmKey = new SecretKeySpec(rtcpKey, "AES");
            } else {
                rtpEcb = SrtpCrypto.newAesEcb(rtpKey);
                rtcpEcb = SrtpCrypto.newAesEcb(rtcpKey);
                rtpMac = Mac.getInstance("HmacSHA1");
                rtpMac.init(new SecretKeySpec(rtpAuth, "HmacSHA1"));
                rtcpMac = Mac.getInstance("HmacSHA1");
                rtcpMac.init(new SecretKeySpec(rtcpAuth, "HmacSHA1"));
                gcmCipher = null;
                rtpGcmKey = null;
                rtcpGcmKey = null;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SRTP crypto is not available in this JDK", e);
        }
    }

    /** A session that protects what we send, keyed with the master key and salt of our side. */
    public static SrtpSession forSending(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, true, masterKey, masterSalt);
    }

    /** A session that unprotects what we receive, keyed with the master key and salt of the peer. */
    public static SrtpSession forReceiving(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return derive(profile, false, masterKey, masterSalt);
    }

    private static SrtpSession derive(SrtpProfile profile, boolean sending, byte[] masterKey, byte[] masterSalt) {
        if (profile == null) {
            throw new IllegalArgumentException("no SRTP profile");
        }
        if (masterKey == null || masterKey.length != profile.keyLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.keyLength() + "-byte master key");
        }
        if (masterSalt == null || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.saltLength() + "-byte master salt");
        }
        int keyLen = profile.keyLength();
        int saltLen = profile.saltLength();
        int authLen = profile == SrtpProfile.AEAD_AES_128_GCM ? 0 : 20;
        byte[] rtpKey = SrtpCrypto.deriveKey(masterKey, masterSalt, SrtpCrypto.LABEL_RTP_ENCRYPTION, keyLen);
        byte[] rtpAuth = SrtpCrypto.deriveKey(masterKey, masterSalt, SrtpCrypto.LABEL_RTP_AUTH, authLen);
        byte[] rtpSalt = SrtpCrypto.deriveKey(masterKey, masterSalt, SrtpCrypto.LABEL_RTP_SALT, saltLen);
        byte[] rtcpKey = SrtpCrypto.deriveKey(masterKey, masterSalt, SrtpCrypto.LABEL_RTCP_ENCRYPTION, keyLen);
        byte[] rtcpAuth = SrtpCrypto.deriveKey(masterKey, masterSalt, SrtpCrypto.LABEL_RTCP_AUTH, authLen);
        byte[] rtcpSalt = SrtpCrypto.deriveKey(masterKey, masterSalt, SrtpCrypto.LABEL_RTCP_SALT, saltLen);
        try {
            return new SrtpSession(profile, sending, rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth);
        } finally {
            for (byte[] secret : new byte[][] {rtpKey, rtpAuth, rtpSalt, rtcpKey, rtcpAuth, rtcpSalt}) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /** A session on given session keys, skipping key derivation: for test vectors that start from session keys. */
    static SrtpSession withSessionKeys(SrtpProfile profile, boolean sending, byte[] rtpKey, byte[] rtpSalt,
            byte[] rtpAuth, byte[] rtcpKey, byte[] rtcpSalt, byte[] rtcpAuth) {
        return new SrtpSession(profile, sending, rtpKey, rtpSalt, rtpAuth, rtcpKey, rtcpSalt, rtcpAuth);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Worst-case bytes added by {@link #protectRtcp} (4 + tag); {@link #protectRtp} adds the tag only. */
    public int maxOverhead() {
        return SRTCP_INDEX + tagLength;
    }

    // ---------------------------------------------------------------------------------------------------- RTP

    /**
     * Encrypts and authenticates the RTP packet in {@code buf[off, off+len)} in place; returns the new length
     * ({@code len} + tag), or {@link SrtpResult#NO_ROOM} if {@code buf.length < off+len+tag}, or another negative
     * {@link SrtpResult} code.
     */
    public synchronized int protectRtp(byte[] buf, int off, int len) {
        requireDirection(true);
        if (!inBounds(buf, off, len)) {
            return SrtpResult.MALFORMED;
        }
        if (len < RTP_HEADER) {
            return SrtpResult.TOO_SHORT;
        }
        int hdr = rtpHeaderLength(buf, off, len);
        if (hdr < 0) {
            return hdr;
        }
        if (len - hdr > SrtpCrypto.MAX_KEYSTREAM_BYTES) {
            return SrtpResult.MALFORMED;
        }
        if (buf.length - off - len < tagLength) {
            return SrtpResult.NO_ROOM;
        }
        int ssrc = SrtpCrypto.readInt(buf, off + 8);
        int seq = SrtpCrypto.readShort(buf, off + 2);
        SsrcContexts.Context ctx = contexts.findOrInsert(ssrc);
        if (ctx == null) {
            return SrtpResult.TOO_MANY_SSRCS;
        }
        long index = ctx.rtp.seen ? SsrcContexts.estimateIndex(ctx.rtp.highest, seq) : seq;
        if (index < 0) {
            return SrtpResult.REPLAY;
        }
        int result;
        try {
            result = gcm ? gcmProtectRtp(buf, off, len, hdr, ssrc, index) : cmProtectRtp(buf, off, len, hdr, ssrc, index);
        } catch (InvalidAlgorithmParameterException e) {
            return SrtpResult.REPLAY; // the JDK's GCM guard against encrypting twice under one IV
        } catch (GeneralSecurityException e) {
            return SrtpResult.MALFORMED;
        }
        ctx.rtp.accept(index);
        return result;
    }

    /**
     * Verifies and decrypts the SRTP packet in {@code buf[off, off+len)} in place; returns the plaintext RTP length
     * ({@code len} - tag), or a negative {@link SrtpResult} code.
     */
    public synchronized int unprotectRtp(byte[] buf, int off, int len) {
        requireDirection(false);
        if (!inBounds(buf, off, len)) {
            return SrtpResult.MALFORMED;
        }
        if (len < RTP_HEADER + tagLength) {
            return SrtpResult.TOO_SHORT;
        }
        int hdr = rtpHeaderLength(buf, off, len);
        if (hdr < 0) {
            return hdr;
        }
        if (len - hdr < tagLength) {
            return SrtpResult.TOO_SHORT;
        }
        if (len - hdr - tagLength > SrtpCrypto.MAX_KEYSTREAM_BYTES) {
            return SrtpResult.MALFORMED;
        }
        int ssrc = SrtpCrypto.readInt(buf, off + 8);
        int seq = SrtpCrypto.readShort(buf, off + 2);
        SsrcContexts.Context ctx = contexts.find(ssrc);
        if (ctx == null && contexts.full()) {
            return SrtpResult.TOO_MANY_SSRCS;
        }
        long index = ctx != null && ctx.rtp.seen ? SsrcContexts.estimateIndex(ctx.rtp.highest, seq) : seq;
        if (index < 0 || ctx != null && ctx.rtp.replay(index)) {
            return SrtpResult.REPLAY;
        }
        int result;
        try {
            result = gcm ? gcmUnprotectRtp(buf, off, len, hdr, ssrc, index)
                    : cmUnprotectRtp(buf, off, len, hdr, ssrc, index);
        } catch (AEADBadTagException e) {
            return SrtpResult.AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            return SrtpResult.MALFORMED;
        }
        if (result < 0) {
            return result;
        }
        if (ctx == null) {
            ctx = contexts.insert(ssrc); // cannot fail: capacity was checked above and nothing ran in between
        }
        ctx.rtp.accept(index);
        return result;
    }

    private int cmProtectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException {
        SrtpCrypto.cmIv(cmIv, rtpSalt, ssrc, index);
        SrtpCrypto.aesCmXor(rtpEcb, cmIv, counters, keystream, buf, off + hdr, len - hdr);
        rtpTag(buf, off, len, (int) (index >>> 16));
        System.arraycopy(macOut, 0, buf, off + len, tagLength);
        return len + tagLength;
    }

    private int cmUnprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException {
        int authenticated = len - tagLength;
        rtpTag(buf, off, authenticated, (int) (index >>> 16));
        if (!SrtpCrypto.tagMatches(macOut, buf, off + authenticated, tagLength)) {
            return SrtpResult.AUTH_FAILED;
        }
        SrtpCrypto.cmIv(cmIv, rtpSalt, ssrc, index);
        SrtpCrypto.aesCmXor(rtpEcb, cmIv, counters, keystream, buf, off + hdr, authenticated - hdr);
        return authenticated;
    }

    /** HMAC-SHA1 over header and payload, then the rollover counter (RFC 3711 section 4.2), into macOut. */
    private void rtpTag(byte[] buf, int off, int len, int roc) throws GeneralSecurityException {
        rtpMac.update(buf, off, len);
        SrtpCrypto.writeInt(word, 0, roc);
        rtpMac.update(word, 0, 4);
        rtpMac.doFinal(macOut, 0);
    }

    private int gcmProtectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException {
        SrtpCrypto.gcmRtpIv(gcmIv, rtpSalt, ssrc, index);
        gcmCipher.init(Cipher.ENCRYPT_MODE, rtpGcmKey, new GCMParameterSpec(128, gcmIv));
        gcmCipher.updateAAD(buf, off, hdr);
        return hdr + gcmCipher.doFinal(buf, off + hdr, len - hdr, buf, off + hdr);
    }

    private int gcmUnprotectRtp(byte[] buf, int off, int len, int hdr, int ssrc, long index)
            throws GeneralSecurityException {
        SrtpCrypto.gcmRtpIv(gcmIv, rtpSalt, ssrc, index);
        gcmCipher.init(Cipher.DECRYPT_MODE, rtpGcmKey, new GCMParameterSpec(128, gcmIv));
        gcmCipher.updateAAD(buf, off, hdr);
        return hdr + gcmCipher.doFinal(buf, off + hdr, len - hdr, buf, off + hdr);
    }

    // --------------------------------------------------------------------------------------------------- RTCP

    /**
     * Encrypts (from byte 8) and authenticates the RTCP packet in {@code buf[off, off+len)} in place, appending
     * E-flag|SRTCP index and the tag (AES-CM: index then tag; GCM: tag then index, RFC 7714 section 9); returns
     * {@code len + maxOverhead()}, or a negative {@link SrtpResult} code.
     */
    public synchronized int protectRtcp(byte[] buf, int off, int len) {
        requireDirection(true);
        if (!inBounds(buf, off, len)) {
            return SrtpResult.MALFORMED;
        }
        if (len < RTCP_HEADER) {
            return SrtpResult.TOO_SHORT;
        }
        if ((buf[off] & 0xC0) != 0x80 || len - RTCP_HEADER > SrtpCrypto.MAX_KEYSTREAM_BYTES) {
            return SrtpResult.MALFORMED;
        }
        if (buf.length - off - len < maxOverhead()) {
            return SrtpResult.NO_ROOM;
        }
        int ssrc = SrtpCrypto.readInt(buf, off + 4);
        SsrcContexts.Context ctx = contexts.findOrInsert(ssrc);
        if (ctx == null) {
            return SrtpResult.TOO_MANY_SSRCS;
        }
        int index = ctx.srtcpNextIndex;
        int trailer = E_FLAG | index;
        try {
            if (gcm) {
                SrtpCrypto.gcmRtcpIv(gcmIv, rtcpSalt, ssrc, index);
                gcmCipher.init(Cipher.ENCRYPT_MODE, rtcpGcmKey, new GCMParameterSpec(128, gcmIv));
                gcmCipher.updateAAD(buf, off, RTCP_HEADER);
                SrtpCrypto.writeInt(word, 0, trailer);
                gcmCipher.updateAAD(word, 0, 4);
                int n = gcmCipher.doFinal(buf, off + RTCP_HEADER, len - RTCP_HEADER, buf, off + RTCP_HEADER);
                SrtpCrypto.writeInt(buf, off + RTCP_HEADER + n, trailer);
            } else {
                SrtpCrypto.cmIv(cmIv, rtcpSalt, ssrc, index);
                SrtpCrypto.aesCmXor(rtcpEcb, cmIv, counters, keystream, buf, off + RTCP_HEADER, len - RTCP_HEADER);
                SrtpCrypto.writeInt(buf, off + len, trailer);
                rtcpMac.update(buf, off, len + SRTCP_INDEX);
                rtcpMac.doFinal(macOut, 0);
                System.arraycopy(macOut, 0, buf, off + len + SRTCP_INDEX, tagLength);
            }
        } catch (InvalidAlgorithmParameterException e) {
            return SrtpResult.REPLAY;
        } catch (GeneralSecurityException e) {
            return SrtpResult.MALFORMED;
        }
        ctx.srtcpNextIndex = (index + 1) & 0x7FFF_FFFF;
        return len + maxOverhead();
    }

    /**
     * Verifies and (when its E flag is set) decrypts the SRTCP packet in {@code buf[off, off+len)} in place;
     * returns the plaintext RTCP length ({@code len - maxOverhead()}), or a negative {@link SrtpResult} code.
     */
    public synchronized int unprotectRtcp(byte[] buf, int off, int len) {
        requireDirection(false);
        if (!inBounds(buf, off, len)) {
            return SrtpResult.MALFORMED;
        }
        if (len < RTCP_HEADER + maxOverhead()) {
            return SrtpResult.TOO_SHORT;
        }
        if ((buf[off] & 0xC0) != 0x80 || len - RTCP_HEADER - maxOverhead() > SrtpCrypto.MAX_KEYSTREAM_BYTES) {
            return SrtpResult.MALFORMED;
        }
        int plainLen = len - maxOverhead();
        int trailerOff = gcm ? off + len - SRTCP_INDEX : off + plainLen;
        int trailer = SrtpCrypto.readInt(buf, trailerOff);
        boolean encrypted = (trailer & E_FLAG) != 0;
        int index = trailer & 0x7FFF_FFFF;
        int ssrc = SrtpCrypto.readInt(buf, off + 4);
        SsrcContexts.Context ctx = contexts.find(ssrc);
        if (ctx == null && contexts.full()) {
            return SrtpResult.TOO_MANY_SSRCS;
        }
        if (ctx != null && ctx.rtcp.replay(index)) {
            return SrtpResult.REPLAY;
        }
        try {
            if (gcm) {
                SrtpCrypto.gcmRtcpIv(gcmIv, rtcpSalt, ssrc, index);
                gcmCipher.init(Cipher.DECRYPT_MODE, rtcpGcmKey, new GCMParameterSpec(128, gcmIv));
                if (encrypted) {
                    gcmCipher.updateAAD(buf, off, RTCP_HEADER);
                    gcmCipher.updateAAD(buf, trailerOff, SRTCP_INDEX);
                    gcmCipher.doFinal(buf, off + RTCP_HEADER, len - RTCP_HEADER - SRTCP_INDEX, buf, off + RTCP_HEADER);
                } else { // authenticated only (RFC 7714 section 9.2): the whole packet is associated data
                    gcmCipher.updateAAD(buf, off, plainLen);
                    gcmCipher.updateAAD(buf, trailerOff, SRTCP_INDEX);
                    gcmCipher.doFinal(buf, off + plainLen, tagLength, buf, off + plainLen);
                }
            } else {
                rtcpMac.update(buf, off, plainLen + SRTCP_INDEX);
                rtcpMac.doFinal(macOut, 0);
                if (!SrtpCrypto.tagMatches(macOut, buf, off + plainLen + SRTCP_INDEX, tagLength)) {
                    return SrtpResult.AUTH_FAILED;
                }
                if (encrypted) {
                    SrtpCrypto.cmIv(cmIv, rtcpSalt, ssrc, index);
                    SrtpCrypto.aesCmXor(rtcpEcb, cmIv, counters, keystream, buf, off + RTCP_HEADER,
                            plainLen - RTCP_HEADER);
                }
            }
        } catch (AEADBadTagException e) {
            return SrtpResult.AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            return SrtpResult.MALFORMED;
        }
        if (ctx == null) {
            ctx = contexts.insert(ssrc); // cannot fail: capacity was checked above and nothing ran in between
        }
        ctx.rtcp.accept(index);
        return plainLen;
    }

    // -------------------------------------------------------------------------------------------- internals

    /** Sets the SRTCP index the next protected RTCP packet of {@code ssrc} carries: for test vectors. */
    synchronized void setNextSrtcpIndex(int ssrc, int index) {
        SsrcContexts.Context ctx = contexts.findOrInsert(ssrc);
        if (ctx == null) {
            throw new IllegalStateException("SSRC table full");
        }
        ctx.srtcpNextIndex = index & 0x7FFF_FFFF;
    }

    /** Number of SSRC contexts held (for tests). */
    synchronized int ssrcCount() {
        return contexts.size();
    }

    private void requireDirection(boolean protect) {
        if (protect != sending) {
            throw new IllegalStateException(sending ? "this session only protects (it was created forSending)"
                    : "this session only unprotects (it was created forReceiving)");
        }
    }

    private static boolean inBounds(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
    }

    /** Length of the RTP header including CSRCs and extension, or a negative code. {@code len >= 12}. */
    private static int rtpHeaderLength(byte[] buf, int off, int len) {
        int b0 = buf[off] & 0xFF;
        if ((b0 & 0xC0) != 0x80) {
            return SrtpResult.MALFORMED;
        }
        int hdr = RTP_HEADER + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return SrtpResult.TOO_SHORT;
            }
            hdr += 4 + 4 * SrtpCrypto.readShort(buf, off + hdr + 2);
        }
        return hdr > len ? SrtpResult.TOO_SHORT : hdr;
    }
}
