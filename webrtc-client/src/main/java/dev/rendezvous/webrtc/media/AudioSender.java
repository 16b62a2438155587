package dev.rendezvous.webrtc.media;

/**
 * Opus-shaped audio: one packet every 20 ms (960 ticks of the 48 kHz clock), a ~100-byte payload, and the
 * RFC 6464 audio level on each packet. The level is what makes a client "talk" (a loud level, voice flag
 * set) or stay silent (127) as far as the forwarder's active-speaker detection is concerned.
 */
public final class AudioSender {

    public static final int PAYLOAD_TYPE = 111;
    public static final int PACKET_MILLIS = 20;
    public static final int PAYLOAD_BYTES = 100;
    /** RFC 6464: 127 = -127 dBov, silence. */
    public static final int SILENCE = 127;

    private final OutboundStream stream;
    private final int extensionId;
    private final int senderId;
    private final RtpOut out;
    private final byte[] buf = new byte[1500];
    private volatile int level;

    public AudioSender(OutboundStream stream, int extensionId, int senderId, int level, RtpOut out) {
        this.stream = stream;
        this.extensionId = extensionId;
        this.senderId = senderId;
        this.level = level;
        this.out = out;
    }

    /** 0 (loudest) .. 127 (silence), as -dBov. */
    public void level(int level) {
        this.level = Math.max(0, Math.min(SILENCE, level));
    }

    public int level() {
        return level;
    }

    /** Sends one packet; called every {@value #PACKET_MILLIS} ms by the pacing scheduler. */
    public void tick(long nowNanos) {
        int lv = level;
        RtpHeader.write(buf, PAYLOAD_TYPE, false, stream.nextSeq(), stream.timestampAt(nowNanos), stream.ssrc());
        int p = RtpHeader.addAudioLevel(buf, extensionId, lv, lv < 60);
        int end = p + PAYLOAD_BYTES;
        for (int i = p; i < end - PayloadStamp.LENGTH; i++) {
            buf[i] = (byte) (lv + i);
        }
        PayloadStamp.write(buf, end, nowNanos, senderId);
        if (out.send(buf, end)) {
            stream.sent(PAYLOAD_BYTES);
        }
    }

    public OutboundStream stream() {
        return stream;
    }
}
