package dev.rendezvous.forwarder.media.srtp;

import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.hex;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.inBuffer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Published test vectors: RFC 3711 appendix B, RFC 7714 sections 16-17, and libsrtp's reference packets. */
class SrtpVectorsTest {

    private static final byte[] B3_MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    @Test
    void shouldDeriveTheSessionKeysOfRfc3711AppendixB3() {
        assertThat(SrtpCrypto.deriveKey(B3_MASTER_KEY, B3_MASTER_SALT, SrtpCrypto.LABEL_RTP_ENCRYPTION, 16))
                .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(SrtpCrypto.deriveKey(B3_MASTER_KEY, B3_MASTER_SALT, SrtpCrypto.LABEL_RTP_SALT, 14))
                .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
        assertThat(SrtpCrypto.deriveKey(B3_MASTER_KEY, B3_MASTER_SALT, SrtpCrypto.LABEL_RTP_AUTH, 94))
                .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"));
    }

    @Test
    void shouldProduceTheAesCmKeystreamOfRfc3711AppendixB2() {
        // Session key and salt given directly; SSRC 0, ROC 0, SEQ 0, so a zero payload encrypts to the keystream.
        SrtpSession session = SrtpSession.withSessionKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, true,
                hex("2B7E151628AED2A6ABF7158809CF4F3C"), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20],
                new byte[16], new byte[14], new byte[20]);
        int segment = 1044512; // 65282 AES blocks
        byte[] buf = new byte[12 + segment + 10];
        buf[0] = (byte) 0x80;

        assertThat(session.protectRtp(buf, 0, 12 + segment)).isEqualTo(12 + segment + 10);

        assertThat(hex(buf, 12, 48)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        assertThat(hex(buf, 12 + 0xFEFF * 16, 48)).isEqualToIgnoringCase("EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    // libsrtp's srtp_validate reference packets (test/srtp_driver.c), keyed with the RFC 3711 B.3 master key.
    private static final byte[] REF_RTP = hex("800f1234decafbadcafebabe" + "ab".repeat(16));
    private static final byte[] REF_RTCP = hex("81c8000bcafebabe" + "ab".repeat(16));

    @Test
    void shouldMatchTheLibsrtpAesCmReferencePacketsAndDecryptThem() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        SrtpSession sender = SrtpSession.forSending(profile, B3_MASTER_KEY, B3_MASTER_SALT);
        SrtpSession receiver = SrtpSession.forReceiving(profile, B3_MASTER_KEY, B3_MASTER_SALT);
        String srtp = "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb";
        String srtcp = "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798";

        assertProtectsTo(sender, receiver, REF_RTP, srtp, REF_RTCP, srtcp);
    }

    @Test
    void shouldMatchTheLibsrtpGcmReferencePacketsDerivedFromATwelveByteMasterSalt() {
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        byte[] key = hex("000102030405060708090a0b0c0d0e0f");
        byte[] salt = hex("a0a1a2a3a4a5a6a7a8a9aaab");
        SrtpSession sender = SrtpSession.forSending(profile, key, salt);
        SrtpSession receiver = SrtpSession.forReceiving(profile, key, salt);
        String srtp = "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392";
        String srtcp = "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001";

        assertProtectsTo(sender, receiver, REF_RTP, srtp, REF_RTCP, srtcp);
    }

    /** libsrtp numbers its first SRTCP packet 1, we number it 0 (RFC 3711 section 3.4): start the vector at 1. */
    private static void assertProtectsTo(SrtpSession sender, SrtpSession receiver, byte[] rtp, String srtp,
            byte[] rtcp, String srtcp) {
        byte[] buf = inBuffer(rtp, 3, 32);
        int n = sender.protectRtp(buf, 3, rtp.length);
        assertThat(hex(buf, 3, n)).isEqualTo(srtp);
        assertThat(receiver.unprotectRtp(buf, 3, n)).isEqualTo(rtp.length);
        assertThat(Arrays.copyOfRange(buf, 3, 3 + rtp.length)).isEqualTo(rtp);

        sender.setNextSrtcpIndex(0xcafebabe, 1);
        buf = inBuffer(rtcp, 5, 32);
        n = sender.protectRtcp(buf, 5, rtcp.length);
        assertThat(hex(buf, 5, n)).isEqualTo(srtcp);
        assertThat(receiver.unprotectRtcp(buf, 5, n)).isEqualTo(rtcp.length);
        assertThat(Arrays.copyOfRange(buf, 5, 5 + rtcp.length)).isEqualTo(rtcp);
    }

    // RFC 7714 section 16.1.1 / 17.1: session key and salt given directly.
    private static final byte[] GCM_KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = hex("517569642070726f2071756f");

    private static SrtpSession gcmWithSessionKeys(boolean sending) {
        return SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, sending, GCM_KEY, GCM_SALT, null,
                GCM_KEY, GCM_SALT, null);
    }

    @Test
    void shouldEncryptAndDecryptTheRtpPacketOfRfc7714Section16() {
        byte[] rtp = hex("8040f17b8041f8d35501a0b2"
                + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
        String expected = "8040f17b8041f8d35501a0b2"
                + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                + "899d7f27beb16a9152cf765ee4390cce";
        byte[] buf = inBuffer(rtp, 0, 16);

        int n = gcmWithSessionKeys(true).protectRtp(buf, 0, rtp.length);

        assertThat(hex(buf, 0, n)).isEqualTo(expected);
        assertThat(gcmWithSessionKeys(false).unprotectRtp(buf, 0, n)).isEqualTo(rtp.length);
        assertThat(Arrays.copyOf(buf, rtp.length)).isEqualTo(rtp);
    }

    @Test
    void shouldEncryptAndDecryptTheRtcpPacketOfRfc7714Section17() {
        byte[] rtcp = hex("81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
                + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
        String expected = "81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda"
                + "4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4";
        SrtpSession sender = gcmWithSessionKeys(true);
        sender.setNextSrtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = inBuffer(rtcp, 0, 20);

        int n = sender.protectRtcp(buf, 0, rtcp.length);

        assertThat(hex(buf, 0, n)).isEqualTo(expected);
        assertThat(gcmWithSessionKeys(false).unprotectRtcp(buf, 0, n)).isEqualTo(rtcp.length);
        assertThat(Arrays.copyOf(buf, rtcp.length)).isEqualTo(rtcp);
    }
}
