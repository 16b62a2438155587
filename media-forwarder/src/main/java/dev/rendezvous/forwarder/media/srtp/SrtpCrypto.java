package dev.rendezvous.forwarder.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/** AES counter mode of RFC 3711 section 4.1.1 and the key derivation of section 4.3, shared by the session. */
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
}
