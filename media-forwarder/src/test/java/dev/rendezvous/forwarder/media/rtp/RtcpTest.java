package dev.rendezvous.forwarder.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RtcpTest {

    private final Rtcp.Cursor c = new Rtcp.Cursor();

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    /** What Chromium sends as a video sender: SR without report blocks, then SDES with its random 16-char CNAME. */
    static final byte[] CHROMIUM_SR_SDES = hex("""
            80c80006 5a3c1b2e e9d0a5b2 3d70a3d7 7d2b1c40 00000155 0003a1f0
            81ca0006 5a3c1b2e 0110 4b783762 51326d5a 70394c77 54347356 0000
            """);

    @Test
    void shouldIterateChromiumSenderReportAndSdesCompound() {
        byte[] p = CHROMIUM_SR_SDES;
        assertThat(Rtcp.isRtcp(p, 0, p.length)).isTrue();
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.type()).isEqualTo(Rtcp.SR);
        assertThat(c.offset()).isZero();
        assertThat(c.length()).isEqualTo(28);
        assertThat(c.senderSsrc()).isEqualTo(0x5a3c1b2eL);
        assertThat(c.srNtp()).isEqualTo(0xe9d0a5b23d70a3d7L);
        assertThat(c.srRtpTimestamp()).isEqualTo(0x7d2b1c40L);
        assertThat(c.srPacketCount()).isEqualTo(0x155);
        assertThat(c.srOctetCount()).isEqualTo(0x3a1f0);
        assertThat(c.reportBlockCount()).isZero();
        assertThat(c.mediaSsrc()).isEqualTo(-1);
        assertThat(c.nackCount()).isZero();

        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(Rtcp.SDES);
        assertThat(c.fmt()).isEqualTo(1);
        assertThat(c.offset()).isEqualTo(28);
        assertThat(c.length()).isEqualTo(28);
        assertThat(c.senderSsrc()).isEqualTo(0x5a3c1b2eL);
        assertThat(c.srNtp()).isZero();
        assertThat(new String(p, 28 + 10, 16, StandardCharsets.US_ASCII)).isEqualTo("Kx7bQ2mZp9LwT4sV");

        assertThat(c.next()).isFalse();
        assertThat(c.next()).isFalse();
        assertThat(c.type()).isEqualTo(-1);
    }

    @Test
    void shouldReadReceiverReportBlocks() {
        byte[] p = hex("""
                82c9000d 11111111
                22222222 40 fffffe 0001ffff 00000020 a5b23d70 00018000
                33333333 00 000005 00000064 00000000 00000000 00000000
                """);
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.type()).isEqualTo(Rtcp.RR);
        assertThat(c.senderSsrc()).isEqualTo(0x11111111L);
        assertThat(c.reportBlockCount()).isEqualTo(2);
        assertThat(c.rbSsrc(0)).isEqualTo(0x22222222L);
        assertThat(c.rbFractionLost(0)).isEqualTo(64);
        assertThat(c.rbCumulativeLost(0)).isEqualTo(-2);
        assertThat(c.rbHighestSeq(0)).isEqualTo(0x1ffffL);
        assertThat(c.rbJitter(0)).isEqualTo(32);
        assertThat(c.rbLsr(0)).isEqualTo(0xa5b23d70L);
        assertThat(c.rbDlsr(0)).isEqualTo(0x18000L);
        assertThat(c.rbSsrc(1)).isEqualTo(0x33333333L);
        assertThat(c.rbCumulativeLost(1)).isEqualTo(5);
        assertThat(c.rbHighestSeq(1)).isEqualTo(100);
        assertThat(c.rbSsrc(2)).isEqualTo(-1);
        assertThat(c.rbCumulativeLost(2)).isEqualTo(Integer.MIN_VALUE);
        assertThat(c.next()).isFalse();
    }

    @Test
    void shouldBoundReportBlockCountByPacketLength() {
        byte[] p = hex("85c90007 11111111 22222222 40 fffffe 0001ffff 00000020 a5b23d70 00018000");
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.reportBlockCount()).isEqualTo(1);
    }

    @Test
    void shouldReadGenericNackEntries() {
        byte[] p = hex("81cd0004 aaaaaaaa bbbbbbbb 03e80005 07d08000");
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(Rtcp.isNack(c.type(), c.fmt())).isTrue();
        assertThat(c.senderSsrc()).isEqualTo(0xaaaaaaaaL);
        assertThat(c.mediaSsrc()).isEqualTo(0xbbbbbbbbL);
        assertThat(c.nackCount()).isEqualTo(2);
        assertThat(c.nackPid(0)).isEqualTo(1000);
        assertThat(c.nackBlp(0)).isEqualTo(5);
        assertThat(c.nackPid(1)).isEqualTo(2000);
        assertThat(c.nackBlp(1)).isEqualTo(0x8000);
        assertThat(c.nackPid(2)).isEqualTo(-1);
        assertThat(expand(c)).containsExactly(1000, 1001, 1003, 2000, 2016);
    }

    @Test
    void shouldRecognisePliFirAndRemb() {
        byte[] p = hex("""
                81ce0002 aaaaaaaa bbbbbbbb
                84ce0004 aaaaaaaa 00000000 cccccccc 07000000
                8fce0005 aaaaaaaa 00000000 52454d42 01 0bd090 dddddddd
                """);
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(Rtcp.isPli(c.type(), c.fmt())).isTrue();
        assertThat(Rtcp.isFir(c.type(), c.fmt())).isFalse();
        assertThat(Rtcp.isRemb(c)).isFalse();
        assertThat(c.mediaSsrc()).isEqualTo(0xbbbbbbbbL);
        assertThat(c.firCount()).isZero();

        assertThat(c.next()).isTrue();
        assertThat(Rtcp.isFir(c.type(), c.fmt())).isTrue();
        assertThat(c.firCount()).isEqualTo(1);
        assertThat(c.firSsrc(0)).isEqualTo(0xccccccccL);
        assertThat(c.firSeqNr(0)).isEqualTo(7);
        assertThat(c.firSsrc(1)).isEqualTo(-1);

        assertThat(c.next()).isTrue();
        assertThat(Rtcp.isRemb(c)).isTrue();
        assertThat(Rtcp.isPli(c.type(), c.fmt())).isFalse();
        assertThat(c.rembBitrate()).isEqualTo(1_000_000L);
        assertThat(c.rembSsrcCount()).isEqualTo(1);
        assertThat(c.rembSsrc(0)).isEqualTo(0xddddddddL);
        assertThat(c.next()).isFalse();
    }

    @Test
    void shouldNotTakeOtherApplicationFeedbackForRemb() {
        byte[] p = hex("8fce0005 aaaaaaaa 00000000 4f544852 01 0bd090 dddddddd");
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(Rtcp.isRemb(c)).isFalse();
        assertThat(c.rembBitrate()).isEqualTo(-1);
    }

    @Test
    void shouldStopAtMalformedPacketInCompound() {
        byte[] p = hex("81ce0002 aaaaaaaa bbbbbbbb 81cd0009 aaaaaaaa bbbbbbbb 03e80005");
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.next()).as("length field beyond the datagram").isFalse();
        assertThat(c.nackCount()).isZero();
        assertThat(c.reset(p, 0, 11)).isFalse();
        byte[] rtp = RtpTest.packet(96, true, 1, 2, 3, null, null, 20, 0);
        assertThat(Rtcp.isRtcp(rtp, 0, rtp.length)).isFalse();
        assertThat(c.reset(rtp, 0, rtp.length)).isFalse();
    }

    @Test
    void shouldExcludePaddingFromFeedbackEntries() {
        byte[] p = hex("a1cd0004 aaaaaaaa bbbbbbbb 03e80005 00000004");
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.length()).isEqualTo(20);
        assertThat(c.nackCount()).isEqualTo(1);
    }

    @Test
    void shouldRewriteSsrcsInPlace() {
        byte[] p = hex("""
                81ca0002 5a3c1b2e 00000000
                81c90007 11111111 22222222 40 fffffe 0001ffff 00000020 a5b23d70 00018000
                81ce0002 aaaaaaaa bbbbbbbb
                84ce0004 aaaaaaaa 00000000 cccccccc 07000000
                """);
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.next()).isTrue();
        Rtcp.setReportBlockSsrc(p, c.offset(), 0, 0x99999999L);
        Rtcp.setSenderSsrc(p, c.offset(), 0x77777777L);
        assertThat(c.rbSsrc(0)).isEqualTo(0x99999999L);
        assertThat(c.senderSsrc()).isEqualTo(0x77777777L);
        assertThat(c.next()).isTrue();
        Rtcp.setMediaSsrc(p, c.offset(), 0x12345678L);
        assertThat(c.mediaSsrc()).isEqualTo(0x12345678L);
        assertThat(c.next()).isTrue();
        Rtcp.setFirSsrc(p, c.offset(), 0, 0x87654321L);
        assertThat(c.firSsrc(0)).isEqualTo(0x87654321L);
    }

    @Test
    void shouldSaturateAbsurdRembExponent() {
        byte[] p = hex("8fce0004 aaaaaaaa 00000000 52454d42 00 ffffff");
        assertThat(c.reset(p, 0, p.length)).isTrue();
        assertThat(c.rembBitrate()).isEqualTo(Long.MAX_VALUE);
    }

    static TreeSet<Integer> expand(Rtcp.Cursor c) {
        TreeSet<Integer> seqs = new TreeSet<>();
        for (int i = 0; i < c.nackCount(); i++) {
            int pid = c.nackPid(i);
            seqs.add(pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((c.nackBlp(i) & (1 << bit)) != 0) {
                    seqs.add((pid + bit + 1) & 0xFFFF);
                }
            }
        }
        return seqs;
    }
}
