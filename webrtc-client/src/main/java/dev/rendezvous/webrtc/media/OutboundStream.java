package dev.rendezvous.webrtc.media;

import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import java.security.SecureRandom;

/**
 * One SSRC we send: its sequence numbers and RTP clock (random starts, as RFC 3550 asks) and the counts a
 * sender report needs (RFC 3550 section 6.4.1). Sequence and timestamp are advanced by the single pacing task
 * of the stream; the counters are read by the RTCP task, hence volatile.
 */
public final class OutboundStream {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Seconds from 1900 (NTP era 0) to 1970. */
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    private final long ssrc;
    private final int clockRate;
    private final long startNanos = System.nanoTime();
    private final long startTimestamp;
    private int seq = RANDOM.nextInt(0x8000);
    private volatile long packets;
    private volatile long octets;

    public OutboundStream(long ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        this.startTimestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
    }

    public long ssrc() {
        return ssrc;
    }

    /** The next sequence number (pacing task only). */
    public int nextSeq() {
        int s = seq;
        seq = (seq + 1) & 0xFFFF;
        return s;
    }

    /** The RTP timestamp of media captured at {@code nanos}. */
    public long timestampAt(long nanos) {
        return (startTimestamp + (nanos - startNanos) * clockRate / 1_000_000_000L) & 0xFFFFFFFFL;
    }

    /** Counts one sent packet of {@code payloadBytes}. */
    public void sent(int payloadBytes) {
        packets++;
        octets += payloadBytes;
    }

    public long packets() {
        return packets;
    }

    public long octets() {
        return octets;
    }

    /** Writes a sender report (no report blocks) for this stream at {@code b[off]}; returns its length. */
    public int writeSenderReport(byte[] b, int off, long nowNanos) {
        long wallMillis = System.currentTimeMillis();
        long seconds = wallMillis / 1000 + NTP_EPOCH_OFFSET;
        long fraction = ((wallMillis % 1000) << 32) / 1000;
        long ntp = (seconds << 32) | fraction;
        return RtcpWriter.writeSenderReport(b, off, ssrc, ntp, timestampAt(nowNanos), packets, octets, 0);
    }
}
