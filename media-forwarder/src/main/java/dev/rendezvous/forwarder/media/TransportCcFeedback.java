package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.bwe.DownlinkEstimator;
import dev.rendezvous.forwarder.media.bwe.TransportCcSender;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.TransportCcRecorder;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Transport-wide congestion control feedback to publishers: on a publish transport that agreed the
 * transport-wide sequence number extension, every RTP packet's number and arrival time goes into the
 * transport's {@link TransportCcRecorder}, and at most every {@value #INTERVAL_MS} ms (sooner once
 * {@value #MAX_PENDING} packets wait) the packet thread sends the feedback, so that the browser's own congestion
 * control (send-side GCC) sees the uplink's delay and loss. The REMB of {@link MediaTimers} stays: Chromium takes
 * it as an upper bound on its estimate.
 *
 * <p>The other direction too: a subscribe transport that agreed it numbers every packet sent to it
 * ({@link #stamp}) and feeds the subscriber's feedback into a {@link DownlinkEstimator} ({@link RtcpHandler}).
 *
 * <p>Feedback goes out when a packet arrives, not by a timer: the recorder stays on the packet thread, and a
 * publisher that stopped sending has nothing new to report.
 */
final class TransportCcFeedback {

    static final long INTERVAL_MS = 50;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);
    static final int MAX_PENDING = 200;
    /** A subscriber's downlink estimate starts here and stays within [min, max] (bits per second). */
    static final long DOWNLINK_INITIAL_BPS = 1_000_000;
    static final long DOWNLINK_MIN_BPS = 30_000;
    static final long DOWNLINK_MAX_BPS = 50_000_000;
    /** Feedback packets stay below a typical MTU with the SRTCP trailer. */
    private static final int MAX_FEEDBACK_BYTES = 1200;

    private final PathCounters counters;
    private final PacketSender sender;
    private final byte[] out = new byte[1500];
    private final ByteBuffer outBuffer = ByteBuffer.wrap(out);

    TransportCcFeedback(PathCounters counters, PacketSender sender) {
        this.counters = counters;
        this.sender = sender;
    }

    /** Control side, under the room's lock: what the publish negotiation agreed ({@code id} -1: not agreed). */
    static void negotiated(Transport t, int id) {
        if (t == null) {
            return;
        }
        if (id > 0 && t.transportCc == null) {
            t.transportCc = new TransportCcRecorder();
        }
        t.transportCcId = id;
    }

    /**
     * Control side, under the room's lock: whether the subscriber's answer agreed the transport-wide sequence
     * number (the id it answered with, -1 if not). The sender and its estimator are created once per transport.
     */
    static void subscriberAnswered(Transport t, int id, long now) {
        if (id > 0 && t.downlink == null) {
            t.downlink = new TransportCcSender(
                    new DownlinkEstimator(DOWNLINK_INITIAL_BPS, DOWNLINK_MIN_BPS, DOWNLINK_MAX_BPS), now);
        }
        t.transportCcId = id;
    }

    /**
     * Packet thread, after a packet for a subscriber was rewritten into {@code out} and before it is encrypted:
     * numbers it if the subscriber agreed transport-wide congestion control.
     */
    static void stamp(Transport st, byte[] out, int len, long now) {
        TransportCcSender downlink = st.downlink;
        int id = st.transportCcId;
        if (downlink != null && id > 0) {
            downlink.stamp(out, 0, len, id, now);
        }
    }

    /** The sorted downlink estimates of the subscribe transports that have one (metrics; allocates). */
    static long[] downlinkEstimates(Iterable<Router> routers) {
        long[] out = new long[16];
        int n = 0;
        for (Router router : routers) {
            for (Peer p : router.peers) {
                Transport t = p.subscribe;
                TransportCcSender downlink = t == null ? null : t.downlink;
                if (downlink != null && !t.closed && downlink.feedbackPackets() > 0) {
                    if (n == out.length) {
                        out = java.util.Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = downlink.estimator().targetBps();
                }
            }
        }
        long[] sorted = java.util.Arrays.copyOf(out, n);
        java.util.Arrays.sort(sorted);
        return sorted;
    }

    /** A decrypted, valid RTP packet from a publish transport. Packet thread. */
    void onRtp(Transport t, byte[] in, int len, long now) {
        TransportCcRecorder recorder = t.transportCc;
        int id = t.transportCcId;
        if (recorder == null || id <= 0) {
            return;
        }
        int seq = Rtp.transportSequence(in, 0, len, id);
        if (seq < 0) {
            return;
        }
        recorder.onPacket(seq, Rtp.ssrc(in, 0), now);
        if (recorder.due(now, INTERVAL_NANOS) || recorder.pending() >= MAX_PENDING) {
            send(t, recorder, now);
        }
    }

    private void send(Transport t, TransportCcRecorder recorder, long now) {
        if (!t.ready()) {
            return;
        }
        int n = recorder.writeFeedback(out, 0, MAX_FEEDBACK_BYTES, t.localSsrc, now);
        if (n <= 0) {
            return;
        }
        n = t.srtpOut.protectRtcp(out, 0, n);
        if (n > 0 && sender.send(outBuffer, n, t.remote)) {
            counters.transportCcSent.increment();
        }
    }
}
