package dev.rendezvous.forwarder.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Garbage from the network must never make unprotect throw, nor be accepted. */
class SrtpRandomInputTest {

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void shouldRefuseFiftyThousandRandomDatagramsWithoutThrowing(SrtpProfile profile) {
        Random random = new Random(20240611L + profile.ordinal());
        SrtpSession receiver = SrtpFixtures.receiver(profile);
        // One real SSRC, so that some garbage reaches the authentication step of an existing context.
        byte[] real = SrtpFixtures.rtp(0x0102_0304, 10);
        byte[] buf = SrtpFixtures.inBuffer(real, 0, 16);
        SrtpFixtures.sender(profile).protectRtp(buf, 0, real.length);
        assertThat(receiver.unprotectRtp(buf, 0, real.length + profile.tagLength())).isPositive();

        for (int round = 0; round < 50_000; round++) {
            int len = random.nextInt(1601);
            int off = random.nextInt(8);
            byte[] b = new byte[off + len + random.nextInt(4)];
            random.nextBytes(b);
            if (len > 0 && random.nextBoolean()) { // version 2, to get past the first check
                b[off] = (byte) ((b[off] & 0x3F) | 0x80);
            }
            if (len > 0 && random.nextInt(3) == 0) { // short or no CSRC/extension declarations
                b[off] = (byte) (0x80 | (b[off] & 0x13));
            }
            if (len >= 12 && random.nextInt(4) == 0) { // the known SSRC, in RTP and RTCP position
                b[off + 4] = 1;
                b[off + 5] = 2;
                b[off + 6] = 3;
                b[off + 7] = 4;
                b[off + 8] = 1;
                b[off + 9] = 2;
                b[off + 10] = 3;
                b[off + 11] = 4;
            }
            int rtpResult = receiver.unprotectRtp(b.clone(), off, len);
            int rtcpResult = receiver.unprotectRtcp(b.clone(), off, len);
            assertThat(rtpResult).as("round %d", round).isNegative();
            assertThat(rtcpResult).as("round %d", round).isNegative();
        }
        assertThat(receiver.ssrcCount()).isEqualTo(1);
    }
}
