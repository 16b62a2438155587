package dev.rendezvous.forwarder.media;

/**
 * What a datagram on the shared media port is, from its first bytes (RFC 7983 §7): STUN 0–3, DTLS 20–63,
 * RTP/RTCP 128–191, where a second byte of 192–223 (payload types 64–95 with the marker bit) is RTCP
 * under rtcp-mux (RFC 5761 §4). The first stage of the receive path; it reads two bytes and allocates nothing.
 */
public enum PacketClass {
    STUN, DTLS, RTP, RTCP, UNKNOWN;

    public static PacketClass of(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 <= 3) {
            return STUN;
        }
        if (b0 >= 20 && b0 <= 63) {
            return DTLS;
        }
        if (b0 >= 128 && b0 <= 191) {
            if (len < 2) {
                return UNKNOWN;
            }
            int b1 = buf[off + 1] & 0xFF;
            return b1 >= 192 && b1 <= 223 ? RTCP : RTP;
        }
        return UNKNOWN;
    }
}
