package dev.rendezvous.forwarder.media.srtp;

import java.util.HexFormat;

/** Packet builders and keys shared by the SRTP tests. */
final class SrtpFixtures {

    static final HexFormat HEX = HexFormat.of();

    private SrtpFixtures() {
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.replaceAll("\\s", ""));
    }

    static String hex(byte[] b, int off, int len) {
        return HEX.formatHex(b, off, off + len);
    }

    static byte[] key(SrtpProfile profile, int seed) {
        byte[] k = new byte[profile.keyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i * 7);
        }
        return k;
    }

    static byte[] salt(SrtpProfile profile, int seed) {
        byte[] s = new byte[profile.saltLength()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (seed * 17 + i * 13 + 1);
        }
        return s;
    }

    static SrtpSession sender(SrtpProfile profile) {
        return SrtpSession.forSending(profile, key(profile, 1), salt(profile, 1));
    }

    static SrtpSession receiver(SrtpProfile profile) {
        return SrtpSession.forReceiving(profile, key(profile, 1), salt(profile, 1));
    }

    /**
     * An RTP packet: version 2, payload type 111, the given CSRC count and (if extWords >= 0) a one-byte-header
     * extension of extWords words, and a payload derived from seq.
     */
    static byte[] rtp(int ssrc, int seq, int csrcs, int extWords, int payloadLen) {
        int hdr = 12 + 4 * csrcs + (extWords >= 0 ? 4 + 4 * extWords : 0);
        byte[] p = new byte[hdr + payloadLen];
        p[0] = (byte) (0x80 | (extWords >= 0 ? 0x10 : 0) | csrcs);
        p[1] = (byte) 111;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        int ts = seq * 960;
        p[4] = (byte) (ts >>> 24);
        p[5] = (byte) (ts >>> 16);
        p[6] = (byte) (ts >>> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        int at = 12;
        for (int i = 0; i < csrcs; i++) {
            p[at++] = (byte) (0x10 + i);
            p[at++] = 0;
            p[at++] = 0;
            p[at++] = (byte) i;
        }
        if (extWords >= 0) {
            p[at++] = (byte) 0xBE;
            p[at++] = (byte) 0xDE;
            p[at++] = (byte) (extWords >>> 8);
            p[at++] = (byte) extWords;
            for (int i = 0; i < 4 * extWords; i++) {
                p[at++] = (byte) (0x20 + i);
            }
        }
        for (int i = 0; i < payloadLen; i++) {
            p[at++] = (byte) (seq + i * 3);
        }
        return p;
    }

    static byte[] rtp(int ssrc, int seq) {
        return rtp(ssrc, seq, 0, -1, 40);
    }

    /** A sender report (PT 200) of the given sender SSRC with a body derived from tag. */
    static byte[] rtcp(int ssrc, int tag) {
        byte[] p = new byte[28];
        p[0] = (byte) 0x80;
        p[1] = (byte) 200;
        p[2] = 0;
        p[3] = 6;
        p[4] = (byte) (ssrc >>> 24);
        p[5] = (byte) (ssrc >>> 16);
        p[6] = (byte) (ssrc >>> 8);
        p[7] = (byte) ssrc;
        for (int i = 8; i < p.length; i++) {
            p[i] = (byte) (tag + i);
        }
        return p;
    }

    /** {@code packet} copied at {@code off} into a buffer with {@code room} spare bytes after it. */
    static byte[] inBuffer(byte[] packet, int off, int room) {
        byte[] b = new byte[off + packet.length + room];
        System.arraycopy(packet, 0, b, off, packet.length);
        return b;
    }
}
