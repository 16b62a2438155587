package dev.rendezvous.webrtc.stats;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.webrtc.media.PayloadStamp;
import java.util.Arrays;

/**
 * The receive-side bookkeeping of one remote track (one SSRC the forwarder offered us): counts, loss from
 * extended sequence numbers, RFC 3550 jitter, forwarding delay from the payload stamps, keyframe starts, the
 * gaps to NACK and the retransmissions that close them, and the LSR/DLSR of the forwarded sender reports for
 * our receiver reports. Written by the connection's receive thread, read by the RTCP task and by
 * {@link #snapshot}; all under the instance lock (uncontended in practice).
 */
public final class RemoteStream {

    private static final int DELAY_WINDOW = 512;

    private final long ssrc;
    private final int clockRate;
    private final Keyframes.Codec codec;
    private final long clientStartNanos;
    private final GapTracker gaps;
    private final DelaySink delaySink;
    private String mid;
    private String socketId;
    private String participantId;
    private String kind;
    private String source;
    private boolean active = true;

    private long packets;
    private long bytes;
    private long baseExt = -1;
    private long highestExt = -1;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter; // RTP units
    private long lastTransit;
    private boolean haveTransit;
    private final double[] delays = new double[DELAY_WINDOW];
    private long delaySamples;
    private double delayMax;
    private long firstNanos;
    private long lastNanos;
    private long keyframes;
    private long nacksSent;
    private long retransmissions;
    private int senderId;
    private long lsr;
    private long lsrNanos;

    public RemoteStream(long ssrc, int clockRate, String codecName, long clientStartNanos, long nackRetryNanos) {
        this(ssrc, clockRate, codecName, clientStartNanos, nackRetryNanos, DelaySink.NONE);
    }

    /** As above; every delay sample also goes to {@code delaySink}. */
    public RemoteStream(long ssrc, int clockRate, String codecName, long clientStartNanos, long nackRetryNanos,
                        DelaySink delaySink) {
        this.delaySink = delaySink;
        this.ssrc = ssrc;
        this.clockRate = clockRate;
        this.codec = Keyframes.Codec.of(codecName);
        this.clientStartNanos = clientStartNanos;
        this.gaps = new GapTracker(nackRetryNanos);
    }

    /**
     * Video that has been arriving for {@code afterNanos} without one keyframe (its keyframe was lost, e.g. it came
     * before this stream was known): the receiver should ask for one, as a browser's decoder does.
     */
    public synchronized boolean waitsForKeyframe(long nowNanos, long afterNanos) {
        return "video".equals(kind) && active && packets > 0 && keyframes == 0 && nowNanos - firstNanos >= afterNanos;
    }

    /** What the latest offer says the track is. */
    public synchronized void describe(String mid, String socketId, String participantId, String kind, String source,
                                      boolean active) {
        this.mid = mid;
        this.socketId = socketId;
        this.participantId = participantId;
        this.kind = kind;
        this.source = source;
        this.active = active;
    }

    public long ssrc() {
        return ssrc;
    }

    public synchronized boolean video() {
        return "video".equals(kind);
    }

    /**
     * One decrypted RTP packet: {@code b[0, len)} with its payload at {@code [payloadOff, payloadEnd)}.
     */
    public synchronized void onPacket(int seq, long rtpTimestamp, byte[] b, int payloadOff, int payloadEnd, long now) {
        long ext = extend(seq);
        if (baseExt < 0) {
            baseExt = ext;
            highestExt = ext;
            firstNanos = now;
        } else if (ext > highestExt) {
            if (ext > highestExt + 1 && video()) {
                gaps.missing(highestExt, ext, now);
            }
            highestExt = ext;
        } else if (gaps.arrived(ext)) {
            retransmissions++;
        }
        packets++;
        int payload = payloadEnd - payloadOff;
        bytes += Math.max(0, payload);
        lastNanos = now;
        // RFC 3550 A.8: transit in RTP units
        long arrival = now * clockRate / 1_000_000_000L;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < (long) clockRate * 10) {
                jitter += (d - jitter) / 16.0;
            }
        }
        lastTransit = transit;
        haveTransit = true;
        if (payload >= PayloadStamp.LENGTH) {
            long delayNanos = now - PayloadStamp.sendNanos(b, payloadEnd);
            double ms = delayNanos / 1e6;
            if (ms >= 0 && ms < 60_000) {
                delays[(int) (delaySamples % DELAY_WINDOW)] = ms;
                delaySamples++;
                delayMax = Math.max(delayMax, ms);
                delaySink.record(video(), delayNanos);
            }
            senderId = PayloadStamp.senderId(b, payloadEnd);
        }
        if (payload > 0 && Keyframes.isKeyframeStart(codec, b, payloadOff, payload)) {
            keyframes++;
        }
    }

    /** True when {@code seq} is not newer than the highest seen (a retransmission or a late packet). */
    public synchronized boolean isRetransmissionCandidate(int seq) {
        return highestExt >= 0 && extend(seq) <= highestExt;
    }

    /** The 16-bit sequence numbers due for a NACK now, into {@code out}; counts them as sent. */
    public synchronized int nackDue(long now, int[] out) {
        int n = gaps.due(now, out);
        nacksSent += n;
        return n;
    }

    /** A forwarded sender report for this SSRC arrived: remember its middle NTP bits for LSR. */
    public synchronized void onSenderReport(long ntp, long now) {
        lsr = (ntp >>> 16) & 0xFFFFFFFFL;
        lsrNanos = now;
    }

    /** Writes this stream's RFC 3550 report block at {@code b[off]}; 0 when nothing was received yet. */
    public synchronized int writeReportBlock(byte[] b, int off, long now) {
        if (baseExt < 0) {
            return 0;
        }
        long expected = highestExt - baseExt + 1;
        long lost = expected - packets;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = packets - receivedPrior;
        expectedPrior = expected;
        receivedPrior = packets;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = lsr == 0 ? 0 : (now - lsrNanos) * 65_536 / 1_000_000_000L;
        return RtcpWriter.writeReportBlock(b, off, ssrc, fraction, (int) Math.max(0, Math.min(lost, 0x7FFFFF)),
                highestExt & 0xFFFFFFFFL, (long) jitter, lsr, dlsr);
    }

    public synchronized TrackStats snapshot() {
        long lost = baseExt < 0 ? 0 : Math.max(0, highestExt - baseExt + 1 - packets);
        int n = (int) Math.min(delaySamples, DELAY_WINDOW);
        double[] recent = Arrays.copyOf(delays, n);
        Arrays.sort(recent);
        double p50 = n == 0 ? 0 : recent[(int) Math.min(n - 1, Math.round(0.50 * (n - 1)))];
        double p95 = n == 0 ? 0 : recent[(int) Math.min(n - 1, Math.round(0.95 * (n - 1)))];
        return new TrackStats(mid, ssrc, socketId, participantId, kind, source, active, packets, bytes, lost,
                jitter * 1000.0 / clockRate, delaySamples, p50, p95, delayMax,
                firstNanos == 0 ? -1 : (firstNanos - clientStartNanos) / 1_000_000, lastNanos, keyframes, nacksSent,
                retransmissions, senderId, firstNanos);
    }

    private long extend(int seq) {
        if (highestExt < 0) {
            return 0x10000L + seq; // one cycle of headroom so a late packet just before the first stays positive
        }
        long cycle = highestExt & ~0xFFFFL;
        long candidate = cycle | seq;
        if (candidate - highestExt > 0x8000) {
            candidate -= 0x10000;
        } else if (highestExt - candidate > 0x8000) {
            candidate += 0x10000;
        }
        return candidate;
    }
}
