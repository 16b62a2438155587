package dev.rendezvous.forwarder.media.srtp;

import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.inBuffer;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.key;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.receiver;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.rtcp;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.rtp;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.salt;
import static dev.rendezvous.forwarder.media.srtp.SrtpFixtures.sender;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpSessionTest {

    private static final int SSRC = 0x1234_5678;

    /** Protects a copy of {@code packet} placed at offset 7; returns exactly the protected bytes. */
    private static byte[] protectRtp(SrtpSession sender, byte[] packet) {
        byte[] buf = inBuffer(packet, 7, sender.profile().tagLength());
        int n = sender.protectRtp(buf, 7, packet.length);
        assertThat(n).as(SrtpResult.describe(n)).isEqualTo(packet.length + sender.profile().tagLength());
        return Arrays.copyOfRange(buf, 7, 7 + n);
    }

    private static byte[] protectRtcp(SrtpSession sender, byte[] packet) {
        byte[] buf = inBuffer(packet, 3, sender.maxOverhead());
        int n = sender.protectRtcp(buf, 3, packet.length);
        assertThat(n).as(SrtpResult.describe(n)).isEqualTo(packet.length + sender.maxOverhead());
        return Arrays.copyOfRange(buf, 3, 3 + n);
    }

    /** Unprotects a copy; returns the result code/length, and on success checks the plaintext. */
    private static int unprotectRtp(SrtpSession receiver, byte[] srtp, byte[] expectedPlain) {
        byte[] buf = inBuffer(srtp, 5, 0);
        int n = receiver.unprotectRtp(buf, 5, srtp.length);
        if (n >= 0 && expectedPlain != null) {
            assertThat(Arrays.copyOfRange(buf, 5, 5 + n)).isEqualTo(expectedPlain);
        }
        return n;
    }

    private static int unprotectRtcp(SrtpSession receiver, byte[] srtcp, byte[] expectedPlain) {
        byte[] buf = inBuffer(srtcp, 2, 0);
        int n = receiver.unprotectRtcp(buf, 2, srtcp.length);
        if (n >= 0 && expectedPlain != null) {
            assertThat(Arrays.copyOfRange(buf, 2, 2 + n)).isEqualTo(expectedPlain);
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldDecryptWhatWasEncryptedAndHideThePayload(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        byte[] plain = rtp(SSRC, 1000, 2, 3, 200); // CSRCs and a header extension, all left in the clear

        byte[] srtp = protectRtp(sender, plain);

        int hdr = 12 + 8 + 4 + 12;
        assertThat(Arrays.copyOf(srtp, hdr)).isEqualTo(Arrays.copyOf(plain, hdr));
        assertThat(Arrays.copyOfRange(srtp, hdr, plain.length)).isNotEqualTo(Arrays.copyOfRange(plain, hdr, plain.length));
        assertThat(unprotectRtp(receiver, srtp, plain)).isEqualTo(plain.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRoundTripHeaderOnlyAndEmptyExtensionPackets(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        byte[] headerOnly = rtp(SSRC, 1, 0, -1, 0);
        byte[] emptyExtension = rtp(SSRC, 2, 15, 0, 1);

        assertThat(unprotectRtp(receiver, protectRtp(sender, headerOnly), headerOnly)).isEqualTo(12);
        assertThat(unprotectRtp(receiver, protectRtp(sender, emptyExtension), emptyExtension))
                .isEqualTo(emptyExtension.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldDecryptWhatWasEncryptedAcrossRocRollover(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        // 0..65535 and on to 5 past the wrap, then a second wrap from the start seq of 65000 (ROC 0 -> 1 -> 2)
        int start = 65_000;
        for (int i = 0; i < 66_100; i++) {
            int seq = (start + i) & 0xFFFF;
            byte[] plain = rtp(SSRC, seq, 0, -1, 8);
            assertThat(unprotectRtp(receiver, protectRtp(sender, plain), plain)).as("packet %d", i)
                    .isEqualTo(plain.length);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldUseTheNewRolloverCounterOnlyAfterTheSequenceWraps(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        byte[] last = protectRtp(sender, rtp(SSRC, 65535));
        byte[] first = protectRtp(sender, rtp(SSRC, 0));

        // A receiver that never saw 65535 starts at ROC 0 and cannot authenticate 0 protected under ROC 1.
        assertThat(unprotectRtp(receiver(profile), first, null)).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(unprotectRtp(receiver, last, rtp(SSRC, 65535))).isPositive();
        assertThat(unprotectRtp(receiver, first, rtp(SSRC, 0))).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldAcceptOutOfOrderPacketsNearTheWrapAndRefuseTheirReplays(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        int[] seqs = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3};
        List<byte[]> srtp = new ArrayList<>();
        for (int seq : seqs) {
            srtp.add(protectRtp(sender, rtp(SSRC, seq)));
        }
        int[] order = {0, 2, 1, 6, 4, 3, 8, 5, 9, 7};

        for (int i : order) {
            assertThat(unprotectRtp(receiver, srtp.get(i), rtp(SSRC, seqs[i]))).as("seq %d", seqs[i]).isPositive();
        }
        for (int i : order) {
            assertThat(unprotectRtp(receiver, srtp.get(i), null)).as("replayed seq %d", seqs[i])
                    .isEqualTo(SrtpResult.REPLAY);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRefuseADuplicateAndAPacketOlderThanTheWindowButAcceptALateOneInside(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        List<byte[]> srtp = new ArrayList<>();
        for (int seq = 100; seq < 200; seq++) {
            srtp.add(protectRtp(sender, rtp(SSRC, seq)));
        }
        assertThat(unprotectRtp(receiver, srtp.get(0), null)).isPositive(); // seq 100
        assertThat(unprotectRtp(receiver, srtp.get(0), null)).isEqualTo(SrtpResult.REPLAY);
        assertThat(unprotectRtp(receiver, srtp.get(99), null)).isPositive(); // seq 199

        assertThat(unprotectRtp(receiver, srtp.get(35), null)).as("seq 135 is 64 behind").isEqualTo(SrtpResult.REPLAY);
        assertThat(unprotectRtp(receiver, srtp.get(36), null)).as("seq 136 is 63 behind").isPositive();
        assertThat(unprotectRtp(receiver, srtp.get(36), null)).isEqualTo(SrtpResult.REPLAY);
        assertThat(unprotectRtp(receiver, srtp.get(98), null)).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldKeepSeparateStateForInterleavedSsrcs(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        int[] ssrcs = {0, 1, 0xFFFF_FFFF, 0xCAFE_BABE, 0x8000_0000};
        for (int round = 0; round < 200; round++) {
            for (int s = 0; s < ssrcs.length; s++) {
                int seq = (65_500 + round * (s + 1)) & 0xFFFF; // each SSRC wraps at its own moment
                byte[] plain = rtp(ssrcs[s], seq, s, s % 2 == 0 ? s : -1, 20 + s);
                byte[] rtcpPlain = rtcp(ssrcs[s], round);
                assertThat(unprotectRtp(receiver, protectRtp(sender, plain), plain)).isEqualTo(plain.length);
                assertThat(unprotectRtcp(receiver, protectRtcp(sender, rtcpPlain), rtcpPlain))
                        .isEqualTo(rtcpPlain.length);
            }
        }
        assertThat(receiver.ssrcCount()).isEqualTo(ssrcs.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRoundTripRtcpNumberingItsIndexFromZeroAndRefuseReplays(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        List<byte[]> srtcp = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            srtcp.add(protectRtcp(sender, rtcp(SSRC, i)));
            byte[] p = srtcp.get(i);
            int trailer = profile == SrtpProfile.AEAD_AES_128_GCM ? p.length - 4 : p.length - 4 - profile.tagLength();
            assertThat(SrtpFixtures.hex(p, trailer, 4)).isEqualTo(String.format("8000000%d", i));
        }

        assertThat(unprotectRtcp(receiver, srtcp.get(2), rtcp(SSRC, 2))).isEqualTo(28);
        assertThat(unprotectRtcp(receiver, srtcp.get(0), rtcp(SSRC, 0))).isEqualTo(28);
        assertThat(unprotectRtcp(receiver, srtcp.get(0), null)).isEqualTo(SrtpResult.REPLAY);
        assertThat(unprotectRtcp(receiver, srtcp.get(1), rtcp(SSRC, 1))).isEqualTo(28);
        assertThat(unprotectRtcp(receiver, srtcp.get(2), null)).isEqualTo(SrtpResult.REPLAY);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRefuseEveryRtpPacketWithOneFlippedBitAndStayUsable(SrtpProfile profile) {
        SrtpSession receiver = receiver(profile);
        byte[] plain = rtp(SSRC, 4242, 1, 1, 30);
        byte[] srtp = protectRtp(sender(profile), plain);

        for (int bit = 0; bit < srtp.length * 8; bit++) {
            byte[] tampered = srtp.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int result = unprotectRtp(receiver, tampered, null);
            int at = bit / 8;
            // version, extension and CSRC-count bits (byte 0) and the extension length (bytes 18-19 here) are
            // structural: flipping them may make the header unparseable rather than unauthentic
            if (at == 0 || at == 18 || at == 19) {
                assertThat(result).as("bit %d", bit).isIn(SrtpResult.AUTH_FAILED, SrtpResult.MALFORMED,
                        SrtpResult.TOO_SHORT);
            } else {
                assertThat(result).as("bit %d", bit).isEqualTo(SrtpResult.AUTH_FAILED);
            }
        }
        assertThat(receiver.ssrcCount()).isZero();
        assertThat(unprotectRtp(receiver, srtp, plain)).isEqualTo(plain.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRefuseEveryRtcpPacketWithOneFlippedBitAndStayUsable(SrtpProfile profile) {
        SrtpSession receiver = receiver(profile);
        byte[] plain = rtcp(SSRC, 9);
        byte[] srtcp = protectRtcp(sender(profile), plain);

        for (int bit = 0; bit < srtcp.length * 8; bit++) {
            byte[] tampered = srtcp.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            int result = unprotectRtcp(receiver, tampered, null);
            if (bit == 6 || bit == 7) { // the version bits
                assertThat(result).as("bit %d", bit).isEqualTo(SrtpResult.MALFORMED);
            } else {
                assertThat(result).as("bit %d", bit).isEqualTo(SrtpResult.AUTH_FAILED);
            }
        }
        assertThat(receiver.ssrcCount()).isZero();
        assertThat(unprotectRtcp(receiver, srtcp, plain)).isEqualTo(plain.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldFailAuthenticationUnderAWrongKeyOrSalt(SrtpProfile profile) {
        byte[] plain = rtp(SSRC, 7);
        byte[] srtp = protectRtp(sender(profile), plain);
        byte[] srtcp = protectRtcp(sender(profile), rtcp(SSRC, 1));
        SrtpSession wrongKey = SrtpSession.forReceiving(profile, key(profile, 2), salt(profile, 1));
        SrtpSession wrongSalt = SrtpSession.forReceiving(profile, key(profile, 1), salt(profile, 2));

        assertThat(unprotectRtp(wrongKey, srtp, null)).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(unprotectRtcp(wrongKey, srtcp, null)).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(unprotectRtp(wrongSalt, srtp, null)).isEqualTo(SrtpResult.AUTH_FAILED);
        assertThat(unprotectRtcp(wrongSalt, srtcp, null)).isEqualTo(SrtpResult.AUTH_FAILED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldReportNoRoomAndLeaveTheBufferUntouchedWhenTheTagDoesNotFit(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        byte[] plain = rtp(SSRC, 1);
        byte[] buf = inBuffer(plain, 4, profile.tagLength() - 1);
        byte[] before = buf.clone();

        assertThat(sender.protectRtp(buf, 4, plain.length)).isEqualTo(SrtpResult.NO_ROOM);
        byte[] rtcpBuf = inBuffer(rtcp(SSRC, 1), 4, sender.maxOverhead() - 1);
        byte[] rtcpBefore = rtcpBuf.clone();
        assertThat(sender.protectRtcp(rtcpBuf, 4, 28)).isEqualTo(SrtpResult.NO_ROOM);

        assertThat(buf).isEqualTo(before);
        assertThat(rtcpBuf).isEqualTo(rtcpBefore);
        assertThat(sender.maxOverhead()).isEqualTo(4 + profile.tagLength());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRefuseShortAndMalformedPackets(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        byte[] big = new byte[2000];
        byte[] rtp = rtp(SSRC, 1, 3, 2, 10);
        System.arraycopy(rtp, 0, big, 0, rtp.length);

        assertThat(sender.protectRtp(big, 0, 11)).isEqualTo(SrtpResult.TOO_SHORT);
        assertThat(sender.protectRtp(big, 0, 12 + 12 + 4 + 7)).as("extension cut short").isEqualTo(SrtpResult.TOO_SHORT);
        assertThat(sender.protectRtcp(big, 0, 7)).isEqualTo(SrtpResult.TOO_SHORT);
        assertThat(receiver.unprotectRtp(big, 0, 12 + profile.tagLength() - 1)).isEqualTo(SrtpResult.TOO_SHORT);
        assertThat(receiver.unprotectRtp(big, 0, 12 + 12 + 4 + 8 + profile.tagLength() - 1))
                .as("header plus tag do not fit").isEqualTo(SrtpResult.TOO_SHORT);
        assertThat(receiver.unprotectRtcp(big, 0, 8 + sender.maxOverhead() - 1)).isEqualTo(SrtpResult.TOO_SHORT);
        assertThat(sender.protectRtp(big, -1, 20)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(sender.protectRtp(big, 1990, 20)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(receiver.unprotectRtp(null, 0, 20)).isEqualTo(SrtpResult.MALFORMED);
        big[0] = 0x40; // version 1
        assertThat(sender.protectRtp(big, 0, 100)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(receiver.unprotectRtp(big, 0, 100)).isEqualTo(SrtpResult.MALFORMED);
        assertThat(receiver.unprotectRtcp(big, 0, 100)).isEqualTo(SrtpResult.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldCapSsrcContextsAndNotLetUnauthenticatedPacketsCreateAny(SrtpProfile profile) {
        SrtpSession sender = sender(profile);
        SrtpSession receiver = receiver(profile);
        for (int i = 0; i < 1000; i++) { // forged packets of many SSRCs: refused, and no context is kept
            byte[] forged = protectRtp(sender(profile), rtp(1000 + i, i));
            forged[forged.length - 1] ^= 1;
            assertThat(unprotectRtp(receiver, forged, null)).isEqualTo(SrtpResult.AUTH_FAILED);
        }
        assertThat(receiver.ssrcCount()).isZero();

        for (int s = 0; s < SrtpSession.MAX_SSRCS; s++) {
            assertThat(unprotectRtp(receiver, protectRtp(sender, rtp(s, 1)), null)).isPositive();
        }
        byte[] one = rtp(SrtpSession.MAX_SSRCS, 1);
        byte[] buf = inBuffer(one, 0, 32);
        assertThat(sender.protectRtp(buf, 0, one.length)).isEqualTo(SrtpResult.TOO_MANY_SSRCS);
        assertThat(sender.protectRtcp(inBuffer(rtcp(-5, 1), 0, 32), 0, 28)).isEqualTo(SrtpResult.TOO_MANY_SSRCS);

        byte[] fromOtherSender = protectRtp(sender(profile), one);
        assertThat(unprotectRtp(receiver, fromOtherSender, null)).isEqualTo(SrtpResult.TOO_MANY_SSRCS);
        assertThat(unprotectRtp(receiver, protectRtp(sender, rtp(5, 2)), rtp(5, 2))).as("known SSRCs still work")
                .isPositive();
        assertThat(receiver.ssrcCount()).isEqualTo(SrtpSession.MAX_SSRCS);
    }

    @Test
    void shouldProduceIdenticalOutputWhenAesCmProtectsTheSamePacketTwice() {
        SrtpSession sender = sender(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        byte[] plain = rtp(SSRC, 300);

        assertThat(protectRtp(sender, plain)).isEqualTo(protectRtp(sender, plain));
    }

    @Test
    void shouldRefuseToProtectTheSameGcmIndexTwiceInARowButAllowALaterRetransmission() {
        SrtpSession sender = sender(SrtpProfile.AEAD_AES_128_GCM);
        SrtpSession receiver = receiver(SrtpProfile.AEAD_AES_128_GCM);
        byte[] plain = rtp(SSRC, 300);
        byte[] first = protectRtp(sender, plain);
        byte[] buf = inBuffer(plain, 0, 16);

        assertThat(sender.protectRtp(buf, 0, plain.length)).isEqualTo(SrtpResult.REPLAY);
        protectRtp(sender, rtp(SSRC, 301));
        assertThat(protectRtp(sender, plain)).as("a retransmission of the identical packet").isEqualTo(first);
        assertThat(unprotectRtp(receiver, first, plain)).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRefuseToRunInTheOtherDirection(SrtpProfile profile) {
        byte[] buf = inBuffer(rtp(SSRC, 1), 0, 32);

        assertThatThrownBy(() -> receiver(profile).protectRtp(buf, 0, 52)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sender(profile).unprotectRtcp(buf, 0, 52)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRejectMasterKeysAndSaltsOfTheWrongLength(SrtpProfile profile) {
        assertThatThrownBy(() -> SrtpSession.forSending(profile, new byte[15], salt(profile, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SrtpSession.forReceiving(profile, key(profile, 1), new byte[13]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAcceptAnAuthenticatedButUnencryptedAesCmSrtcpPacket() throws Exception {
        byte[] authKey = new byte[20];
        Arrays.fill(authKey, (byte) 9);
        SrtpSession receiver = SrtpSession.withSessionKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, false,
                new byte[16], new byte[14], new byte[20], new byte[16], new byte[14], authKey);
        byte[] plain = rtcp(SSRC, 3);
        byte[] packet = Arrays.copyOf(plain, plain.length + 14);
        packet[plain.length + 3] = 42; // E = 0, index 42
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        mac.update(packet, 0, plain.length + 4);
        System.arraycopy(mac.doFinal(), 0, packet, plain.length + 4, 10);

        assertThat(unprotectRtcp(receiver, packet, plain)).isEqualTo(plain.length);
        assertThat(unprotectRtcp(receiver, packet, null)).isEqualTo(SrtpResult.REPLAY);
    }

    @Test
    void shouldAcceptAnAuthenticatedButUnencryptedGcmSrtcpPacket() throws Exception {
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 5);
        byte[] salt = new byte[12];
        SrtpSession receiver = SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, false, key, salt, null,
                key, salt, null);
        byte[] plain = rtcp(SSRC, 4);
        byte[] trailer = {0, 0, 0, 42}; // E = 0, index 42
        byte[] iv = new byte[12]; // salt is zero: 00 00 || SSRC || 00 00 || index
        iv[2] = 0x12;
        iv[3] = 0x34;
        iv[4] = 0x56;
        iv[5] = 0x78;
        iv[11] = 42;
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(plain);
        gcm.updateAAD(trailer);
        byte[] tag = gcm.doFinal();
        byte[] packet = new byte[plain.length + 20];
        System.arraycopy(plain, 0, packet, 0, plain.length);
        System.arraycopy(tag, 0, packet, plain.length, 16);
        System.arraycopy(trailer, 0, packet, plain.length + 16, 4);

        assertThat(unprotectRtcp(receiver, packet, plain)).isEqualTo(plain.length);
    }

    @Test
    void shouldLookUpProfilesByDtlsSrtpIdAndDescribeResults() {
        assertThat(SrtpProfile.byId(1)).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(SrtpProfile.byId(7)).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.byId(2)).isNull();
        assertThat(SrtpResult.describe(SrtpResult.REPLAY)).isEqualTo("replayed or too old");
        assertThat(SrtpResult.describe(SrtpResult.AUTH_FAILED)).isEqualTo("authentication failed");
        assertThat(SrtpResult.describe(-99)).contains("-99");
        assertThat(SrtpResult.describe(60)).contains("60");
    }
}
