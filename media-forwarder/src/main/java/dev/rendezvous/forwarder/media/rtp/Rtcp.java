package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.inBounds;
import static dev.rendezvous.forwarder.media.rtp.Bytes.put32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u24;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u32;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u64;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u8;

/**
 * Reading plaintext compound RTCP (RFC 3550 section 6, feedback of RFC 4585 and RFC 5104, and REMB of
 * draft-alvestrand-rmcat-remb), and rewriting its SSRCs in place; writing packets is {@link RtcpWriter}'s.
 *
 * <p>Exists because the forwarder terminates RTCP on both sides: it reads receiver feedback (NACK, PLI, FIR,
 * REMB, report blocks) from subscribers and sender reports from publishers, rewrites SSRCs in place, and
 * generates its own RR, NACK, PLI/FIR, REMB and SDES ({@link RtcpWriter}). Reading goes through a reusable
 * {@link Cursor}, so nothing is allocated per packet.
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

    /** The unique identifier "REMB" of a REMB packet (also written by {@link RtcpWriter#writeRemb}). */
    static final int REMB_ID = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

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
}
