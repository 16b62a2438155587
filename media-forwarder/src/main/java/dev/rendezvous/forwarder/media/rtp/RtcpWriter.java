package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put24;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put64;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.FMT_AFB;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.FMT_FIR;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.FMT_NACK;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.FMT_PLI;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.PSFB;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.REMB_ID;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.REPORT_BLOCK;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.RR;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.RTPFB;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.SDES;
import static dev.rendezvous.forwarder.media.rtp.Rtcp.SR;

import java.nio.charset.StandardCharsets;

/**
 * Writing plaintext RTCP packets (RFC 3550 section 6, feedback of RFC 4585 and RFC 5104, and REMB of
 * draft-alvestrand-rmcat-remb); reading them is {@link Rtcp}'s, whose packet types and sizes these use.
 *
 * <p>Exists because the forwarder generates its own RR, NACK, PLI/FIR, REMB and SDES. Written through static
 * methods into caller-owned buffers, so nothing is allocated per packet (except
 * {@link #writeSdesCname(byte[], int, long, String)}, which encodes the string). Writers do not check the
 * capacity of the destination: size it for the packet (at most 1500 bytes in practice).
 */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    private static void header(byte[] b, int off, int countOrFmt, int type, int totalBytes) {
        b[off] = (byte) (0x80 | (countOrFmt & 0x1F));
        b[off + 1] = (byte) type;
        put16(b, off + 2, totalBytes / 4 - 1);
    }

    /**
     * Writes the 28-byte header of a sender report whose {@code blockCount} report blocks follow (written with
     * {@link #writeReportBlock}); the length field accounts for them. Returns 28.
     */
    public static int writeSenderReport(byte[] b, int off, long senderSsrc, long ntp, long rtpTimestamp,
            long packetCount, long octetCount, int blockCount) {
        header(b, off, blockCount, SR, 28 + REPORT_BLOCK * blockCount);
        put32(b, off + 4, senderSsrc);
        put64(b, off + 8, ntp);
        put32(b, off + 16, rtpTimestamp);
        put32(b, off + 20, packetCount);
        put32(b, off + 24, octetCount);
        return 28;
    }

    /**
     * Writes the 8-byte header of a receiver report whose {@code blockCount} (0..31) report blocks follow;
     * the length field accounts for them. Returns 8.
     */
    public static int writeReceiverReport(byte[] b, int off, long senderSsrc, int blockCount) {
        header(b, off, blockCount, RR, 8 + REPORT_BLOCK * blockCount);
        put32(b, off + 4, senderSsrc);
        return 8;
    }

    /** Writes one 24-byte report block; fraction clamped to 0..255, cumulative lost to signed 24 bits. Returns 24. */
    public static int writeReportBlock(byte[] b, int off, long ssrc, int fractionLost, int cumulativeLost,
            long extHighestSeq, long jitter, long lsr, long dlsr) {
        put32(b, off, ssrc);
        b[off + 4] = (byte) Math.max(0, Math.min(255, fractionLost));
        put24(b, off + 5, Math.max(-0x80_0000, Math.min(0x7F_FFFF, cumulativeLost)));
        put32(b, off + 8, extHighestSeq);
        put32(b, off + 12, Math.min(jitter, MASK32));
        put32(b, off + 16, lsr);
        put32(b, off + 20, Math.min(dlsr, MASK32));
        return REPORT_BLOCK;
    }

    /** Writes a picture loss indication (PSFB fmt 1). Returns 12. */
    public static int writePli(byte[] b, int off, long senderSsrc, long mediaSsrc) {
        header(b, off, FMT_PLI, PSFB, 12);
        put32(b, off + 4, senderSsrc);
        put32(b, off + 8, mediaSsrc);
        return 12;
    }

    /**
     * Writes a full intra request (PSFB fmt 4, RFC 5104) with one FCI entry for {@code mediaSsrc}; the header's
     * media source SSRC is 0 as the RFC requires. Returns 20.
     */
    public static int writeFir(byte[] b, int off, long senderSsrc, long mediaSsrc, int seqNr) {
        header(b, off, FMT_FIR, PSFB, 20);
        put32(b, off + 4, senderSsrc);
        put32(b, off + 8, 0);
        put32(b, off + 12, mediaSsrc);
        b[off + 16] = (byte) seqNr;
        b[off + 17] = 0;
        b[off + 18] = 0;
        b[off + 19] = 0;
        return 20;
    }

    /**
     * Writes a generic NACK (RTPFB fmt 1) for the first {@code count} sequence numbers of {@code lostSeqs},
     * packed into (PID, BLP) entries: each number joins an entry whose PID is 1..16 below it, otherwise it opens
     * a new entry (sorted input packs best; duplicates are ignored). Returns the bytes written, 0 if count is 0.
     */
    public static int writeNack(byte[] b, int off, long senderSsrc, long mediaSsrc, int[] lostSeqs, int count) {
        int n = Math.min(count, lostSeqs.length);
        if (n <= 0) {
            return 0;
        }
        int entries = 0;
        int fci = off + 12;
        for (int k = 0; k < n; k++) {
            int seq = lostSeqs[k] & 0xFFFF;
            boolean placed = false;
            for (int e = 0; e < entries && !placed; e++) {
                int at = fci + 4 * e;
                int diff = (seq - u16(b, at)) & 0xFFFF;
                if (diff == 0) {
                    placed = true;
                } else if (diff <= 16) {
                    put16(b, at + 2, u16(b, at + 2) | (1 << (diff - 1)));
                    placed = true;
                }
            }
            if (!placed) {
                int at = fci + 4 * entries++;
                put16(b, at, seq);
                put16(b, at + 2, 0);
            }
        }
        int total = 12 + 4 * entries;
        header(b, off, FMT_NACK, RTPFB, total);
        put32(b, off + 4, senderSsrc);
        put32(b, off + 8, mediaSsrc);
        return total;
    }

    /**
     * Writes a REMB (PSFB fmt 15, media SSRC 0, "REMB", SSRC count, 6-bit exponent and 18-bit mantissa, then the
     * SSRCs). The bitrate is rounded down to what the mantissa can carry. Returns the bytes written.
     */
    public static int writeRemb(byte[] b, int off, long senderSsrc, long bitrateBps, long[] ssrcs, int count) {
        int n = Math.max(0, Math.min(Math.min(count, ssrcs.length), 255));
        long mantissa = Math.max(0, bitrateBps);
        int exp = 0;
        while (mantissa > 0x3_FFFF) {
            mantissa >>>= 1;
            exp++;
        }
        int total = 20 + 4 * n;
        header(b, off, FMT_AFB, PSFB, total);
        put32(b, off + 4, senderSsrc);
        put32(b, off + 8, 0);
        put32(b, off + 12, REMB_ID);
        b[off + 16] = (byte) n;
        b[off + 17] = (byte) ((exp << 2) | (int) (mantissa >>> 16));
        put16(b, off + 18, (int) mantissa);
        for (int i = 0; i < n; i++) {
            put32(b, off + 20 + 4 * i, ssrcs[i]);
        }
        return total;
    }

    /**
     * Writes an SDES packet with one chunk holding a CNAME item (UTF-8, truncated to 255 bytes). Encodes the
     * string, so it allocates; use {@link #writeSdesCname(byte[], int, long, byte[])} with cached bytes on hot paths.
     */
    public static int writeSdesCname(byte[] b, int off, long ssrc, String cname) {
        return writeSdesCname(b, off, ssrc, cname.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes an SDES packet with one CNAME chunk from already encoded bytes (truncated to 255). Returns bytes written. */
    public static int writeSdesCname(byte[] b, int off, long ssrc, byte[] cnameUtf8) {
        int n = Math.min(cnameUtf8.length, 255);
        int chunk = 4 + 2 + n;
        int nulls = 4 - (chunk & 3); // the item list ends with at least one null octet, padded to 32 bits
        int total = 4 + chunk + nulls;
        header(b, off, 1, SDES, total);
        put32(b, off + 4, ssrc);
        b[off + 8] = 1; // CNAME
        b[off + 9] = (byte) n;
        System.arraycopy(cnameUtf8, 0, b, off + 10, n);
        for (int i = 0; i < nulls; i++) {
            b[off + 10 + n + i] = 0;
        }
        return total;
    }
}
