package dev.rendezvous.webrtc.media;

/**
 * The 12 bytes every payload we send ends with: the send time ({@link System#nanoTime()}, 8 bytes) and the
 * sender's numeric id (4 bytes). The end of the payload is the one place that is fixed for both Opus-sized
 * audio and VP8 packets without disturbing the VP8 headers the forwarder inspects; a receiver in the same JVM
 * subtracts the stamp from its own clock to get the forwarding delay.
 */
public final class PayloadStamp {

    public static final int LENGTH = 12;

    private PayloadStamp() {
    }

    /** Writes the stamp into {@code b[payloadEnd - 12, payloadEnd)}. */
    public static void write(byte[] b, int payloadEnd, long sendNanos, int senderId) {
        int p = payloadEnd - LENGTH;
        for (int i = 0; i < 8; i++) {
            b[p + i] = (byte) (sendNanos >>> (56 - 8 * i));
        }
        b[p + 8] = (byte) (senderId >>> 24);
        b[p + 9] = (byte) (senderId >>> 16);
        b[p + 10] = (byte) (senderId >>> 8);
        b[p + 11] = (byte) senderId;
    }

    /** The send time of a payload ending at {@code payloadEnd}. */
    public static long sendNanos(byte[] b, int payloadEnd) {
        int p = payloadEnd - LENGTH;
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }

    /** The sender id of a payload ending at {@code payloadEnd}. */
    public static int senderId(byte[] b, int payloadEnd) {
        int p = payloadEnd - 4;
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
