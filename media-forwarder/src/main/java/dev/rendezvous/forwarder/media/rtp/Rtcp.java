package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.inBounds;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put24;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put64;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u24;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u64;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u8;

import java.nio.charset.StandardCharsets;

/**
 * Reading and writing plaintext compound RTCP (RFC 3550 section 6, feedback of RFC 4585 and RFC 5104, and
 * REMB of draft-alvestrand-rmcat-remb).
 *
 * <p>Exists because the forwarder terminates RTCP on both sides: it reads receiver feedback (NACK, PLI, FIR,
 * REMB, report blocks) from subscribers and sender reports from publishers, rewrites SSRCs in place, and
 * generates its own RR, NACK, PLI/FIR, REMB and SDES. Reading goes through a reusable {@link Cursor} and writing
 * through static methods into caller-owned buffers, so nothing is allocated per packet (except
 * {@link #writeSdesCname(byte[], int, long, String)}, which encodes the string). Writers do not check the
 * capacity of the destination: size it for the packet (at most 1500 bytes in practice).
 */
public final class Rtcp {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    public static final int RTPFB = 205;
    public static final int PSFB = 206;
    public static final int XR = 207;

    public static final int FMT_NACK = 1;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;

    /** Size of one SR/RR report block. */
    public static final int REPORT_BLOCK = 24;

    private static final int REMB_ID = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

    private Rtcp() {
    }

    /** RFC 5761 demultiplexing: version 2 and a second byte (packet type incl. the marker bit) in 192..223. */
    public static boolean isRtcp(byte[] b, int off, int len) {
        if (!inBounds(b, off, len) || len < 8 || (b[off] & 0xC0) != 0x80) {
            return false;
        }
        int pt = b[off + 1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    public static boolean isPli(int type, int fmt) {
        return type == PSFB && fmt == FMT_PLI;
    }

    public static boolean isFir(int type, int fmt) {
        return type == PSFB && fmt == FMT_FIR;
    }

    public static boolean isNack(int type, int fmt) {
        return type == RTPFB && fmt == FMT_NACK;
    }

    /** True if the cursor is on a PSFB application-layer feedback packet carrying the "REMB" identifier. */
    public static boolean isRemb(Cursor c) {
        return c.rembBitrate() >= 0;
    }

    /**
     * A reusable, allocation-free cursor over the packets of one compound RTCP packet.
     *
     * <p>{@link #reset} positions the cursor on the first packet; {@link #next} moves to the following one:
     * <pre>{@code
     * if (cursor.reset(buf, off, len)) {
     *     do {
     *         switch (cursor.type()) { ... }
     *     } while (cursor.next());
     * }
     * }</pre>
     * Every packet is checked (version 2, type 192..223, its length field fits in the compound, padding
     * consistent) before the cursor moves onto it, and every accessor checks that the field lies inside the
     * current packet: on a field that does not apply or does not fit, accessors return -1 (0 for
     * {@link #srNtp()}, {@link Integer#MIN_VALUE} for {@link #rbCumulativeLost(int)}, 0 for the counts). Not
     * thread-safe: one cursor per thread.
     */
    public static final class Cursor {
        private byte[] buf;
        private int end;
        private int pos;
        /** Length of the current packet including padding; 0 when not on a packet. */
        private int plen;
        /** Length of the current packet without padding. */
        private int body;

        /** Starts at the first packet of {@code b[off, off+len)}; false if its header is malformed. */
        public boolean reset(byte[] b, int off, int len) {
            plen = 0;
            body = 0;
            if (!inBounds(b, off, len)) {
                buf = null;
                end = 0;
                return false;
            }
            buf = b;
            end = off + len;
            return enter(off);
        }

        /** Moves to the next packet of the compound; false at the end or on a malformed packet (stop iterating). */
        public boolean next() {
            if (plen == 0) {
                return false;
            }
            return enter(pos + plen);
        }

        private boolean enter(int p) {
            if (end - p < 4 || (buf[p] & 0xC0) != 0x80) {
                plen = 0;
                return false;
            }
            int pt = buf[p + 1] & 0xFF;
            int l = (u16(buf, p + 2) + 1) * 4;
            if (pt < 192 || pt > 223 || l > end - p) {
                plen = 0;
                return false;
            }
            int padding = 0;
            if ((buf[p] & 0x20) != 0) {
                padding = buf[p + l - 1] & 0xFF;
                if (padding == 0 || padding > l - 4) {
                    plen = 0;
                    return false;
                }
            }
            pos = p;
            plen = l;
            body = l - padding;
            return true;
        }

        /** Packet type (200 SR, 201 RR, ...), or -1 when not on a packet. */
        public int type() {
            return plen == 0 ? -1 : buf[pos + 1] & 0xFF;
        }

        /** The 5-bit count / feedback message type field, or -1 when not on a packet. */
        public int fmt() {
            return plen == 0 ? -1 : buf[pos] & 0x1F;
        }

        /** Offset of the current packet in the buffer. */
        public int offset() {
            return pos;
        }

        /** Length of the current packet in bytes (including any padding), 0 when not on a packet. */
        public int length() {
            return plen;
        }

        /** Length of the current packet without padding. */
        public int bodyLength() {
            return body;
        }

        /** Sender SSRC (SR, RR, feedback), first chunk SSRC (SDES) or first SSRC (BYE); -1 if absent. */
        public long senderSsrc() {
            return body >= 8 ? u32(buf, pos + 4) : -1;
        }

        /** Media source SSRC of a feedback packet (RFC 4585); -1 if not RTPFB/PSFB. */
        public long mediaSsrc() {
            int t = type();
            return (t == RTPFB || t == PSFB) && body >= 12 ? u32(buf, pos + 8) : -1;
        }

        private boolean isSr() {
            return type() == SR && body >= 28;
        }

        /** 64-bit NTP timestamp of an SR (as raw bits), 0 if not an SR. */
        public long srNtp() {
            return isSr() ? u64(buf, pos + 8) : 0;
        }

        public long srRtpTimestamp() {
            return isSr() ? u32(buf, pos + 16) : -1;
        }

        public long srPacketCount() {
            return isSr() ? u32(buf, pos + 20) : -1;
        }

        public long srOctetCount() {
            return isSr() ? u32(buf, pos + 24) : -1;
        }

        private int reportBase() {
            int t = type();
            return t == SR ? 28 : t == RR ? 8 : -1;
        }

        /** Number of report blocks of an SR/RR that are present (count field bounded by the length); 0 otherwise. */
        public int reportBlockCount() {
            int base = reportBase();
            if (base < 0 || body < base) {
                return 0;
            }
            return Math.min(buf[pos] & 0x1F, (body - base) / REPORT_BLOCK);
        }

        /** Offset of report block i, or -1. */
        public int reportBlockOffset(int i) {
            if (i < 0 || i >= reportBlockCount()) {
                return -1;
            }
            return pos + reportBase() + REPORT_BLOCK * i;
        }

        public long rbSsrc(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? -1 : u32(buf, at);
        }

        public int rbFractionLost(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? -1 : u8(buf, at + 4);
        }

        /** Cumulative number of packets lost (signed 24-bit), or {@link Integer#MIN_VALUE} if no such block. */
        public int rbCumulativeLost(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? Integer.MIN_VALUE : (u24(buf, at + 5) << 8) >> 8;
        }

        public long rbHighestSeq(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? -1 : u32(buf, at + 8);
        }

        public long rbJitter(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? -1 : u32(buf, at + 12);
        }

        public long rbLsr(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? -1 : u32(buf, at + 16);
        }

        public long rbDlsr(int i) {
            int at = reportBlockOffset(i);
            return at < 0 ? -1 : u32(buf, at + 20);
        }

        /** Number of (PID, BLP) entries of a generic NACK; 0 if not a NACK. */
        public int nackCount() {
            return isNack(type(), fmt()) && body >= 12 ? (body - 12) / 4 : 0;
        }

        public int nackPid(int i) {
            return i >= 0 && i < nackCount() ? u16(buf, pos + 12 + 4 * i) : -1;
        }

        public int nackBlp(int i) {
            return i >= 0 && i < nackCount() ? u16(buf, pos + 14 + 4 * i) : -1;
        }

        private boolean onRemb() {
            return type() == PSFB && fmt() == FMT_AFB && body >= 20 && (int) u32(buf, pos + 12) == REMB_ID;
        }

        /** REMB bitrate in bps (mantissa << exponent, saturated at Long.MAX_VALUE), -1 if not REMB. */
        public long rembBitrate() {
            if (!onRemb()) {
                return -1;
            }
            int exp = (buf[pos + 17] & 0xFF) >>> 2;
            long mantissa = ((buf[pos + 17] & 0x03L) << 16) | u16(buf, pos + 18);
            if (mantissa != 0 && exp >= Long.numberOfLeadingZeros(mantissa)) {
                return Long.MAX_VALUE;
            }
            return mantissa << exp;
        }

        /** Number of SSRCs listed in a REMB (bounded by the length), 0 if not REMB. */
        public int rembSsrcCount() {
            return onRemb() ? Math.min(u8(buf, pos + 16), (body - 20) / 4) : 0;
        }

        public long rembSsrc(int i) {
            return i >= 0 && i < rembSsrcCount() ? u32(buf, pos + 20 + 4 * i) : -1;
        }

        /** Number of FCI entries of a FIR (RFC 5104), 0 if not a FIR. */
        public int firCount() {
            return isFir(type(), fmt()) && body >= 12 ? (body - 12) / 8 : 0;
        }

        /** SSRC of FIR entry i (the media sender asked for a key frame), -1 if absent. */
        public long firSsrc(int i) {
            return i >= 0 && i < firCount() ? u32(buf, pos + 12 + 8 * i) : -1;
        }

        /** Command sequence number of FIR entry i, -1 if absent. */
        public int firSeqNr(int i) {
            return i >= 0 && i < firCount() ? u8(buf, pos + 16 + 8 * i) : -1;
        }
    }

    /** Rewrites the media source SSRC of the feedback packet at packetOffset, in place. */
    public static void setMediaSsrc(byte[] b, int packetOffset, long ssrc) {
        put32(b, packetOffset + 8, ssrc);
    }

    /** Rewrites the sender SSRC of the packet at packetOffset, in place. */
    public static void setSenderSsrc(byte[] b, int packetOffset, long ssrc) {
        put32(b, packetOffset + 4, ssrc);
    }

    /** Rewrites the SSRC of report block i of the SR/RR at packetOffset, in place (caller checked i is present). */
    public static void setReportBlockSsrc(byte[] b, int packetOffset, int i, long ssrc) {
        int base = (b[packetOffset + 1] & 0xFF) == SR ? 28 : 8;
        put32(b, packetOffset + base + REPORT_BLOCK * i, ssrc);
    }

    /** Rewrites the SSRC of FCI entry i of the FIR at packetOffset, in place. */
    public static void setFirSsrc(byte[] b, int packetOffset, int i, long ssrc) {
        put32(b, packetOffset + 12 + 8 * i, ssrc);
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
