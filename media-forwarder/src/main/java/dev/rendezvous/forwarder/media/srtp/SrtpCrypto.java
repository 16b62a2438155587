package dev.rendezvous.forwarder.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of SRTP shared by the session: AES counter mode (RFC 3711 section 4.1.1) and its IV, the GCM IVs
 * of RFC 7714, the key derivation of RFC 3711 section 4.3, a constant-time tag check and big-endian reads and writes.
 */
final class SrtpCrypto {

    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    /** Counter blocks encrypted per {@code Cipher.update} call; the scratch arrays are this many blocks long. */
    static final int BATCH_BLOCKS = 16;
    /** The 16-bit block counter allows 2^16 blocks of keystream per IV. */
    static final int MAX_KEYSTREAM_BYTES = 16 << 16;

    private SrtpCrypto() {
    }

    static Cipher newAesEcb(byte[] key) {
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return ecb;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /**
     * XORs the AES-CM keystream for {@code iv} onto {@code buf[off, off+len)}. The last two octets of {@code iv}
     * must be zero: keystream block {@code j} is AES(iv + j), and for j below 2^16 that is iv with j in those
     * octets. {@code counters} and {@code keystream} are scratch arrays of {@link #BATCH_BLOCKS} blocks; nothing is
     * allocated. {@code len} must not exceed {@link #MAX_KEYSTREAM_BYTES}.
     */
    static void aesCmXor(Cipher ecb, byte[] iv, byte[] counters, byte[] keystream, byte[] buf, int off, int len)
            throws ShortBufferException {
        int batchBytes = Math.min(counters.length, keystream.length) & ~15;
        int block = 0;
        int pos = 0;
        while (pos < len) {
            int n = Math.min(len - pos, batchBytes);
            int blocks = (n + 15) >>> 4;
            for (int b = 0; b < blocks; b++) {
                int c = b << 4;
                System.arraycopy(iv, 0, counters, c, 14);
                int j = block + b;
                counters[c + 14] = (byte) (j >>> 8);
                counters[c + 15] = (byte) j;
            }
            ecb.update(counters, 0, blocks << 4, keystream, 0);
            int p = off + pos;
            for (int i = 0; i < n; i++) {
                buf[p + i] ^= keystream[i];
            }
            pos += n;
            block += blocks;
        }
    }

    /**
     * The session key, salt or authentication key of {@code label} (RFC 3711 section 4.3.1 with key derivation
     * rate 0, so r = 0): the first {@code length} bytes of AES-CM keystream under the master key with
     * IV = (label * 2^48 XOR master salt) * 2^16. A 12-byte (RFC 7714) master salt is padded on the right with
     * zeros to the 112 bits the derivation expects, as libsrtp does.
     */
    static byte[] deriveKey(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, Math.min(masterSalt.length, 14));
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        try {
            aesCmXor(newAesEcb(masterKey), iv, new byte[16 * BATCH_BLOCKS], new byte[16 * BATCH_BLOCKS], out, 0, length);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** AES-CM IV (RFC 3711 section 4.1.1) into {@code iv} (16 bytes): (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
    static void cmIv(byte[] iv, byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** GCM IV for RTP (RFC 7714 section 8.1) into {@code iv} (12 bytes): salt XOR (00 00 || SSRC || ROC || SEQ). */
    static void gcmRtpIv(byte[] iv, byte[] salt, int ssrc, long index) {
        iv[0] = 0;
        iv[1] = 0;
        writeInt(iv, 2, ssrc);
        writeInt(iv, 6, (int) (index >>> 16));
        iv[10] = (byte) (index >>> 8);
        iv[11] = (byte) index;
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
    }

    /**
     * GCM IV for RTCP (RFC 7714 section 9.1) into {@code iv} (12 bytes): salt XOR (00 00 || SSRC || 00 00 || 0 ||
     * 31-bit index).
     */
    static void gcmRtcpIv(byte[] iv, byte[] salt, int ssrc, int index) {
        iv[0] = 0;
        iv[1] = 0;
        writeInt(iv, 2, ssrc);
        iv[6] = 0;
        iv[7] = 0;
        writeInt(iv, 8, index & 0x7FFF_FFFF);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
    }

    /** Constant-time comparison of {@code mac[0, length)} with {@code buf[at, at+length)}. */
    static boolean tagMatches(byte[] mac, byte[] buf, int at, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= mac[i] ^ buf[at + i];
        }
        return diff == 0;
    }

    static int readShort(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
