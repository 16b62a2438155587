package dev.rendezvous.forwarder.media.rtp;

import static dev.rendezvous.forwarder.media.rtp.Bytes.MASK32;

/**
 * RFC 3550 appendix A.1 / A.3 / A.8 statistics of one received RTP stream: extended highest sequence number,
 * cumulative and interval loss, interarrival jitter, and the LSR/DLSR of the last sender report.
 *
 * <p>Exists so that the forwarder can send honest receiver reports to publishers (their congestion control
 * and the browser's stats depend on them) and expose per-stream loss and jitter. The first packet starts the
 * stream without probation; a jump of more than {@value #MAX_DROPOUT} ahead (or more than {@value #MAX_MISORDER}
 * behind) is taken as a restart of the sender only when the next packet follows it, as in A.1.
 *
 * <p>Not thread-safe: feed it from the packet thread that owns the stream (the RR writer runs there too).
 */
public final class ReceiveStats {

    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private final int clockRate;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq = -1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long totalPackets;
    private long totalBytes;

    private boolean haveTransit;
    private long lastTimestamp;
    private long lastArrivalNanos;
    private double jitter;

    private boolean haveSr;
    private long lsr;
    private long srArrivalNanos;

    public ReceiveStats(int clockRateHz) {
        if (clockRateHz <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRateHz);
        }
        this.clockRate = clockRateHz;
    }

    public int clockRate() {
        return clockRate;
    }

    /** Accounts one received packet (payload size without header and padding). */
    public void onPacket(int seq, long rtpTimestamp, long arrivalNanos, int payloadBytes) {
        seq &= 0xFFFF;
        totalPackets++;
        totalBytes += Math.max(0, payloadBytes);
        if (!started) {
            started = true;
            restart(seq);
        } else {
            int udelta = (seq - maxSeq) & 0xFFFF;
            if (udelta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                maxSeq = seq;
            } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
                if (seq == badSeq) {
                    restart(seq); // two sequential packets: the sender restarted
                } else {
                    badSeq = (seq + 1) & 0xFFFF;
                    return;
                }
            }
            // else: duplicate or reordered, counted below
        }
        received++;
        updateJitter(rtpTimestamp & MASK32, arrivalNanos);
    }

    private void restart(int seq) {
        maxSeq = seq;
        cycles = 0;
        baseSeq = seq;
        badSeq = -1;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        haveTransit = false;
    }

    private void updateJitter(long ts, long arrivalNanos) {
        if (haveTransit) {
            double arrivalDelta = (arrivalNanos - lastArrivalNanos) * (double) clockRate / 1e9;
            int tsDelta = (int) (ts - lastTimestamp);
            double d = Math.abs(arrivalDelta - tsDelta);
            jitter += (d - jitter) / 16.0;
        }
        haveTransit = true;
        lastTimestamp = ts;
        lastArrivalNanos = arrivalNanos;
    }

    /** cycles * 65536 + highest sequence number seen; 0 before the first packet. */
    public long extendedHighestSeq() {
        return cycles + maxSeq;
    }

    /** All packets received (including duplicates and those discarded while re-synchronising). */
    public long packetsReceived() {
        return totalPackets;
    }

    /** Sum of the payload bytes passed to {@link #onPacket}. */
    public long bytesReceived() {
        return totalBytes;
    }

    private long expected() {
        return started ? extendedHighestSeq() - baseSeq + 1 : 0;
    }

    /** Expected minus received since the stream (re)started; may be negative with duplicates, as in RFC 3550. */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Interarrival jitter in RTP timestamp units. */
    public long jitterRtpUnits() {
        return (long) jitter;
    }

    public double jitterMs() {
        return jitter * 1000.0 / clockRate;
    }

    /** Fraction lost (0..255, i.e. lost/expected * 256) since the previous call, as in an RR block; starts a new interval. */
    public int fractionLostAndReset() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    /** Remembers the middle 32 bits of an SR's NTP timestamp and when the SR arrived. */
    public void onSenderReport(long ntp, long arrivalNanos) {
        haveSr = true;
        lsr = (ntp >>> 16) & MASK32;
        srArrivalNanos = arrivalNanos;
    }

    /** Middle 32 bits of the last SR's NTP timestamp, 0 if no SR yet. */
    public long lsr() {
        return haveSr ? lsr : 0;
    }

    /** Delay since the last SR in 1/65536 s, 0 if no SR yet. */
    public long dlsr(long nowNanos) {
        if (!haveSr) {
            return 0;
        }
        long elapsed = Math.max(0, nowNanos - srArrivalNanos);
        return Math.min(MASK32, (long) (elapsed / 1e9 * 65536.0));
    }

    /**
     * Writes an RR report block about this stream (media SSRC {@code ssrc}) and starts a new loss interval.
     * Returns 24.
     */
    public int writeReportBlock(byte[] b, int off, long ssrc, long nowNanos) {
        long lost = cumulativeLost();
        int clamped = (int) Math.max(-0x80_0000, Math.min(0x7F_FFFF, lost));
        return RtcpWriter.writeReportBlock(b, off, ssrc, fractionLostAndReset(), clamped, extendedHighestSeq() & MASK32,
                jitterRtpUnits(), lsr(), dlsr(nowNanos));
    }
}
