package dev.rendezvous.forwarder.media.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Browser-like STUN binding requests for tests: USERNAME, PRIORITY, [USE-CANDIDATE], MESSAGE-INTEGRITY, FINGERPRINT. */
public final class StunRequests {

    private StunRequests() {
    }

    public static byte[] binding(String username, String pwd, boolean useCandidate, boolean withIntegrity, byte[] txid) {
        try {
            ByteBuffer b = ByteBuffer.allocate(200);
            b.putShort((short) 0x0001).putShort((short) 0).putInt(Stun.MAGIC_COOKIE).put(txid);
            byte[] u = username.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) 0x0006).putShort((short) u.length).put(u);
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
            b.putShort((short) 0x0024).putShort((short) 4).putInt(1853824767); // PRIORITY
            if (useCandidate) {
                b.putShort((short) 0x0025).putShort((short) 0);
            }
            if (withIntegrity) {
                int miAt = b.position();
                b.putShort(2, (short) (miAt + 24 - 20));
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(pwd.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                mac.update(b.array(), 0, miAt);
                b.putShort((short) 0x0008).putShort((short) 20).put(mac.doFinal());
            }
            int fpAt = b.position();
            b.putShort(2, (short) (fpAt + 8 - 20));
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, fpAt);
            b.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554E);
            return Arrays.copyOf(b.array(), b.position());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
