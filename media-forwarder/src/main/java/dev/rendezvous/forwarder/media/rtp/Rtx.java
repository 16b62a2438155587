package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.put16;
import static dev.rendezvous.forwarder.media.rtp.Bytes.u16;

/**
 * RFC 4588 retransmission packets, in place on a plaintext RTP packet at {@code buf[off, off+len)}: an RTX
 * packet is the original packet's header (with its own SSRC, sequence number and payload type) followed by the
 * original sequence number (OSN, two bytes) and the original payload (and padding, if any).
 *
 * <p>Both directions shift the payload by two bytes within the caller's buffer: no allocation. An RTX packet
 * whose payload is empty apart from padding carries nothing to recover (a sender probing the path with padding):
 * {@link #isPadding}.
 */
public final class Rtx {

    /** The OSN field. */
    public static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /** Whether the (valid) packet carries no payload at all, only padding (or nothing): an RTX padding packet. */
    public static boolean isPadding(byte[] b, int off, int len) {
        return Rtp.payloadLength(b, off, len) == 0;
    }

    /** The original sequence number of a (valid) RTX packet with at least two payload bytes. */
    public static int originalSequence(byte[] b, int off, int len) {
        return u16(b, off + Rtp.headerLength(b, off, len));
    }

    /**
     * Turns the RTX packet into the original one, in place: sequence = OSN, the payload shifted back over the
     * OSN, and the given payload type and SSRC. Returns the new length ({@code len - 2}), or -1 (unchanged) when
     * the packet is not valid or has fewer than two payload bytes.
     */
    public static int unwrap(byte[] b, int off, int len, int payloadType, long ssrc) {
        int payload = Rtp.payloadLength(b, off, len);
        if (payload < OSN_LENGTH) {
            return -1;
        }
        int header = Rtp.headerLength(b, off, len);
        int osn = u16(b, off + header);
        System.arraycopy(b, off + header + OSN_LENGTH, b, off + header, len - header - OSN_LENGTH);
        Rtp.setSequence(b, off, osn);
        Rtp.setPayloadType(b, off, payloadType);
        Rtp.setSsrc(b, off, ssrc);
        return len - OSN_LENGTH;
    }

    /**
     * Turns the original packet into its retransmission, in place: the OSN (its sequence number) before the
     * payload, and the RTX stream's sequence number, payload type and SSRC. Returns the new length
     * ({@code len + 2}), or -1 (unchanged) when the packet is not valid or two more bytes do not fit the buffer.
     */
    public static int wrap(byte[] b, int off, int len, int rtxPayloadType, long rtxSsrc, int rtxSequence) {
        if (!Rtp.isValid(b, off, len) || off + len + OSN_LENGTH > b.length) {
            return -1;
        }
        int header = Rtp.headerLength(b, off, len);
        int osn = Rtp.sequence(b, off);
        System.arraycopy(b, off + header, b, off + header + OSN_LENGTH, len - header);
        put16(b, off + header, osn);
        Rtp.setSequence(b, off, rtxSequence & 0xFFFF);
        Rtp.setPayloadType(b, off, rtxPayloadType);
        Rtp.setSsrc(b, off, rtxSsrc);
        return len + OSN_LENGTH;
    }
}
