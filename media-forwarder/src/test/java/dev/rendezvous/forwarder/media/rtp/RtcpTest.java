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
    void shouldRoundTripWrittenCompoundThroughCursor() {
        byte[] b = new byte[1500];
        int off = 3;
        int n = off;
        n += Rtcp.writeReceiverReport(b, n, 0x01020304L, 2);
        n += Rtcp.writeReportBlock(b, n, 0xAABBCCDDL, 25, -7, 0x1_0005L, 123, 0x12345678L, 65536);
        n += Rtcp.writeReportBlock(b, n, 0xFFFFFFFFL, 300, 10_000_000, 9, 0, 0, 0);
        n += Rtcp.writeSdesCname(b, n, 0x01020304L, "forwarder-1");
        n += Rtcp.writePli(b, n, 0x01020304L, 0xCAFEBABEL);
        n += Rtcp.writeFir(b, n, 0x01020304L, 0xCAFEBABEL, 42);
        n += Rtcp.writeNack(b, n, 0x01020304L, 0xCAFEBABEL, new int[] {65534, 65535, 0, 5, 20, 40}, 6);
        n += Rtcp.writeRemb(b, n, 0x01020304L, 2_500_000, new long[] {0xCAFEBABEL, 0x0BADF00DL}, 2);
        n += Rtcp.writeSenderReport(b, n, 0x0A0B0C0DL, 0x0102030405060708L, 0xF0000000L, 10, 20, 0);

        assertThat(Rtcp.isRtcp(b, off, n - off)).isTrue();
        assertThat(c.reset(b, off, n - off)).isTrue();
        assertThat(c.type()).isEqualTo(Rtcp.RR);
        assertThat(c.senderSsrc()).isEqualTo(0x01020304L);
        assertThat(c.reportBlockCount()).isEqualTo(2);
        assertThat(c.rbSsrc(0)).isEqualTo(0xAABBCCDDL);
        assertThat(c.rbFractionLost(0)).isEqualTo(25);
        assertThat(c.rbCumulativeLost(0)).isEqualTo(-7);
        assertThat(c.rbHighestSeq(0)).isEqualTo(0x1_0005L);
        assertThat(c.rbJitter(0)).isEqualTo(123);
        assertThat(c.rbLsr(0)).isEqualTo(0x12345678L);
        assertThat(c.rbDlsr(0)).isEqualTo(65536);
        assertThat(c.rbSsrc(1)).isEqualTo(0xFFFFFFFFL);
        assertThat(c.rbFractionLost(1)).as("clamped").isEqualTo(255);
        assertThat(c.rbCumulativeLost(1)).as("clamped to 24 bits").isEqualTo(0x7FFFFF);

        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(Rtcp.SDES);
        assertThat(c.length() % 4).isZero();
        assertThat(b[c.offset() + 8]).isEqualTo((byte) 1);
        assertThat(b[c.offset() + 9]).isEqualTo((byte) 11);
        assertThat(new String(b, c.offset() + 10, 11, StandardCharsets.UTF_8)).isEqualTo("forwarder-1");
        assertThat(b[c.offset() + 21]).as("item list terminated").isZero();

        assertThat(c.next()).isTrue();
        assertThat(Rtcp.isPli(c.type(), c.fmt())).isTrue();
        assertThat(c.senderSsrc()).isEqualTo(0x01020304L);
        assertThat(c.mediaSsrc()).isEqualTo(0xCAFEBABEL);

        assertThat(c.next()).isTrue();
        assertThat(Rtcp.isFir(c.type(), c.fmt())).isTrue();
        assertThat(c.mediaSsrc()).isZero();
        assertThat(c.firCount()).isEqualTo(1);
        assertThat(c.firSsrc(0)).isEqualTo(0xCAFEBABEL);
        assertThat(c.firSeqNr(0)).isEqualTo(42);

        assertThat(c.next()).isTrue();
        assertThat(Rtcp.isNack(c.type(), c.fmt())).isTrue();
        assertThat(c.nackCount()).isEqualTo(3);
        assertThat(expand(c)).containsExactlyInAnyOrder(65534, 65535, 0, 5, 20, 40);

        assertThat(c.next()).isTrue();
        assertThat(Rtcp.isRemb(c)).isTrue();
        assertThat(c.rembBitrate()).isBetween(2_499_000L, 2_500_000L);
        assertThat(c.rembSsrcCount()).isEqualTo(2);
        assertThat(c.rembSsrc(1)).isEqualTo(0x0BADF00DL);

        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(Rtcp.SR);
        assertThat(c.senderSsrc()).isEqualTo(0x0A0B0C0DL);
        assertThat(c.srNtp()).isEqualTo(0x0102030405060708L);
        assertThat(c.srRtpTimestamp()).isEqualTo(0xF0000000L);
        assertThat(c.srPacketCount()).isEqualTo(10);
        assertThat(c.srOctetCount()).isEqualTo(20);
        assertThat(c.offset() + c.length()).isEqualTo(n);
        assertThat(c.next()).isFalse();
    }

    @Test
    void shouldPadSdesChunkWithAtLeastOneNullOctet() {
        byte[] b = new byte[100];
        int n = Rtcp.writeSdesCname(b, 0, 1, "ab"); // 4 + 2 + 2 = 8: needs 4 more null octets
        assertThat(n).isEqualTo(16);
        assertThat(c.reset(b, 0, n)).isTrue();
        assertThat(c.length()).isEqualTo(16);
        assertThat(Rtcp.writeSdesCname(b, 0, 1, "a")).isEqualTo(12);
    }

    @Test
    void shouldWriteNothingForEmptyNack() {
        assertThat(Rtcp.writeNack(new byte[20], 0, 1, 2, new int[4], 0)).isZero();
    }

    @Test
    void shouldPackLongRunOfLostPacketsIntoFewEntries() {
        int[] lost = new int[40];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = (65530 + i) & 0xFFFF;
        }
        byte[] b = new byte[400];
        int n = Rtcp.writeNack(b, 0, 1, 2, lost, lost.length);
        assertThat(c.reset(b, 0, n)).isTrue();
        assertThat(c.nackCount()).isEqualTo(3);
        assertThat(expand(c)).hasSize(40);
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
