package dev.rendezvous.forwarder.media.stun;

import static dev.rendezvous.forwarder.media.stun.StunBindingResponder.Drop;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StunBindingResponderTest {

    private static final String LOCAL_UFRAG = "fwd1";
    private static final String LOCAL_PWD = "forwarder-password-0123456789";
    private static final byte[] IP = {127, 0, 0, 1};
    private final StunBindingResponder responder = new StunBindingResponder(
            Map.of(LOCAL_UFRAG, LOCAL_PWD.getBytes(StandardCharsets.UTF_8))::get);
    private final byte[] out = new byte[StunBindingResponder.MAX_RESPONSE];
    private final byte[] txid = "abcdefghijkl".getBytes(StandardCharsets.US_ASCII);

    private byte[] request(String username, String pwd, boolean useCandidate, boolean withIntegrity) {
        return StunRequests.binding(username, pwd, useCandidate, withIntegrity, txid);
    }

    private int handle(byte[] req) {
        return responder.handle(req, 0, req.length, IP, 50123, out);
    }

    @Test
    void shouldAnswerAValidCheckWithMappedAddressIntegrityAndFingerprint() throws Exception {
        int n = handle(request(LOCAL_UFRAG + ":browser", LOCAL_PWD, true, true));

        assertThat(n).isPositive();
        ByteBuffer r = ByteBuffer.wrap(out, 0, n);
        assertThat(r.getShort(0) & 0xFFFF).isEqualTo(0x0101);
        assertThat(r.getShort(2) & 0xFFFF).isEqualTo(n - 20);
        assertThat(Arrays.copyOfRange(out, 8, 20)).isEqualTo(txid);
        // XOR-MAPPED-ADDRESS decodes to the sender
        assertThat(r.getShort(20) & 0xFFFF).isEqualTo(0x0020);
        assertThat((r.getShort(26) & 0xFFFF) ^ 0x2112).isEqualTo(50123);
        assertThat(r.getInt(28) ^ Stun.MAGIC_COOKIE).isEqualTo(0x7F000001);
        // MESSAGE-INTEGRITY with our password, length field ending at it
        int mi = 32;
        assertThat(r.getShort(mi) & 0xFFFF).isEqualTo(0x0008);
        byte[] copy = Arrays.copyOf(out, mi);
        ByteBuffer.wrap(copy).putShort(2, (short) (mi + 24 - 20));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(LOCAL_PWD.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(Arrays.copyOfRange(out, mi + 4, mi + 24)).isEqualTo(mac.doFinal(copy));
        // FINGERPRINT last
        CRC32 crc = new CRC32();
        crc.update(out, 0, n - 8);
        assertThat(r.getShort(n - 8) & 0xFFFF).isEqualTo(0x8028);
        assertThat(r.getInt(n - 4)).isEqualTo((int) crc.getValue() ^ 0x5354554E);
        assertThat(responder.lastUseCandidate()).isTrue();
        assertThat(responder.answered()).isEqualTo(1);
    }

    @Test
    void shouldEncodeIpv6MappedAddressWithTransactionId() throws Exception {
        byte[] ip6 = new byte[16];
        ip6[15] = 1; // ::1
        byte[] req = request(LOCAL_UFRAG + ":b", LOCAL_PWD, false, true);
        int n = responder.handle(req, 0, req.length, ip6, 9, out);
        assertThat(n).isPositive();
        assertThat(out[25]).isEqualTo((byte) 0x02);
        for (int i = 0; i < 16; i++) {
            byte key = i < 4 ? (byte) (Stun.MAGIC_COOKIE >>> (24 - 8 * i)) : txid[i - 4];
            assertThat((byte) (out[28 + i] ^ key)).isEqualTo(ip6[i]);
        }
        assertThat(responder.lastUseCandidate()).isFalse();
    }

    @Test
    void shouldDropAWrongPasswordUnknownUfragMissingIntegrityAndBadFingerprint() throws Exception {
        assertThat(handle(request(LOCAL_UFRAG + ":b", "not-the-password", false, true))).isEqualTo(-1);
        assertThat(responder.dropped(Drop.BAD_INTEGRITY)).isEqualTo(1);

        assertThat(handle(request("stranger:b", LOCAL_PWD, false, true))).isEqualTo(-1);
        assertThat(responder.dropped(Drop.UNKNOWN_UFRAG)).isEqualTo(1);

        assertThat(handle(request(LOCAL_UFRAG + ":b", LOCAL_PWD, false, false))).isEqualTo(-1);
        assertThat(responder.dropped(Drop.NO_INTEGRITY)).isEqualTo(1);

        byte[] req = request(LOCAL_UFRAG + ":b", LOCAL_PWD, false, true);
        req[req.length - 1] ^= 1;
        assertThat(handle(req)).isEqualTo(-1);
        assertThat(responder.dropped(Drop.BAD_FINGERPRINT)).isEqualTo(1);

        byte[] tampered = request(LOCAL_UFRAG + ":b", LOCAL_PWD, false, true);
        tampered[37] ^= 1; // inside the PRIORITY value, covered by integrity; the fingerprint is now wrong too
        assertThat(handle(tampered)).isEqualTo(-1);
        assertThat(responder.answered()).isZero();
    }

    @Test
    void shouldDropTruncatedWrongCookieAndNonRequests() throws Exception {
        byte[] req = request(LOCAL_UFRAG + ":b", LOCAL_PWD, false, true);
        assertThat(responder.handle(req, 0, req.length - 4, IP, 1, out)).isEqualTo(-1);
        byte[] badCookie = req.clone();
        badCookie[4] = 0;
        assertThat(handle(badCookie)).isEqualTo(-1);
        assertThat(responder.dropped(Drop.MALFORMED)).isEqualTo(2);
        byte[] indication = req.clone();
        indication[1] = 0x11; // binding indication (a keepalive)
        assertThat(handle(indication)).isEqualTo(-1);
        assertThat(responder.dropped(Drop.NOT_A_BINDING_REQUEST)).isEqualTo(1);
    }

    @Test
    void shouldNeverThrowOnRandomBytes() {
        Random rnd = new Random(42);
        byte[] buf = new byte[600];
        for (int i = 0; i < 50_000; i++) {
            rnd.nextBytes(buf);
            int len = rnd.nextInt(buf.length);
            if (rnd.nextBoolean() && len >= 20) { // make some pass the first checks
                buf[0] = 0;
                buf[1] = 1;
                len &= ~3;
                buf[2] = (byte) ((len - 20) >>> 8);
                buf[3] = (byte) (len - 20);
                ByteBuffer.wrap(buf).putInt(4, Stun.MAGIC_COOKIE);
            }
            assertThat(responder.handle(buf, 0, len, IP, 1, out)).isEqualTo(-1);
        }
        long drops = 0;
        for (Drop d : Drop.values()) {
            drops += responder.dropped(d);
        }
        assertThat(drops).isEqualTo(50_000);
    }
}
