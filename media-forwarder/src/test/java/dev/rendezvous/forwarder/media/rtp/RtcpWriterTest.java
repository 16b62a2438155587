package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.RtcpTest.expand;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What {@link RtcpWriter} writes, read back through {@link Rtcp.Cursor}. */
class RtcpWriterTest {

    private final Rtcp.Cursor c = new Rtcp.Cursor();

    @Test
    void shouldRoundTripWrittenCompoundThroughCursor() {
        byte[] b = new byte[1500];
        int off = 3;
        int n = off;
        n += RtcpWriter.writeReceiverReport(b, n, 0x01020304L, 2);
        n += RtcpWriter.writeReportBlock(b, n, 0xAABBCCDDL, 25, -7, 0x1_0005L, 123, 0x12345678L, 65536);
        n += RtcpWriter.writeReportBlock(b, n, 0xFFFFFFFFL, 300, 10_000_000, 9, 0, 0, 0);
        n += RtcpWriter.writeSdesCname(b, n, 0x01020304L, "forwarder-1");
        n += RtcpWriter.writePli(b, n, 0x01020304L, 0xCAFEBABEL);
        n += RtcpWriter.writeFir(b, n, 0x01020304L, 0xCAFEBABEL, 42);
        n += RtcpWriter.writeNack(b, n, 0x01020304L, 0xCAFEBABEL, new int[] {65534, 65535, 0, 5, 20, 40}, 6);
        n += RtcpWriter.writeRemb(b, n, 0x01020304L, 2_500_000, new long[] {0xCAFEBABEL, 0x0BADF00DL}, 2);
        n += RtcpWriter.writeSenderReport(b, n, 0x0A0B0C0DL, 0x0102030405060708L, 0xF0000000L, 10, 20, 0);

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
        int n = RtcpWriter.writeSdesCname(b, 0, 1, "ab"); // 4 + 2 + 2 = 8: needs 4 more null octets
        assertThat(n).isEqualTo(16);
        assertThat(c.reset(b, 0, n)).isTrue();
        assertThat(c.length()).isEqualTo(16);
        assertThat(RtcpWriter.writeSdesCname(b, 0, 1, "a")).isEqualTo(12);
    }

    @Test
    void shouldWriteNothingForEmptyNack() {
        assertThat(RtcpWriter.writeNack(new byte[20], 0, 1, 2, new int[4], 0)).isZero();
    }

    @Test
    void shouldPackLongRunOfLostPacketsIntoFewEntries() {
        int[] lost = new int[40];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = (65530 + i) & 0xFFFF;
        }
        byte[] b = new byte[400];
        int n = RtcpWriter.writeNack(b, 0, 1, 2, lost, lost.length);
        assertThat(c.reset(b, 0, n)).isTrue();
        assertThat(c.nackCount()).isEqualTo(3);
        assertThat(expand(c)).hasSize(40);
    }
}
