package dev.rendezvous.forwarder.media.bwe;

import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.TransportCc;

/**
 * The sending side of transport-wide congestion control for one transport (a subscriber's downlink): numbers
 * every packet sent on it ({@link #stamp}), remembers when, and turns the receiver's feedback into per-packet
 * results for its {@link DownlinkEstimator}, whose feedback timeout it checks at every packet sent. One thread
 * (the packet thread); allocation-free.
 */
public final class TransportCcSender {

    private final SendHistory history = new SendHistory();
    private final DownlinkEstimator estimator;
    private final long epochNanos;
    private int nextSeq;
    private long feedbackPackets;
    private long unknownStatuses;

    public TransportCcSender(DownlinkEstimator estimator, long nowNanos) {
        this.estimator = estimator;
        this.epochNanos = nowNanos;
    }

    /**
     * Stamps the next transport-wide number into the plaintext packet {@code b[off, off+len)} (see
     * {@link Rtp#stampTransportSequence}) and records its send time. False if the packet has no extension block
     * to carry it (then it is sent unnumbered and the estimate does not see it).
     */
    public boolean stamp(byte[] b, int off, int len, int id, long nowNanos) {
        if (!Rtp.stampTransportSequence(b, off, len, id, nextSeq)) {
            return false;
        }
        long now = micros(nowNanos);
        history.onSent(nextSeq, now, len);
        nextSeq = (nextSeq + 1) & 0xFFFF;
        estimator.onTick(now); // feedback that stopped while we keep sending lowers the estimate
        return true;
    }

    /** One feedback packet positioned in {@code reader}; returns the new target (bps). */
    public long onFeedback(TransportCc.Reader reader, long nowNanos) {
        feedbackPackets++;
        while (reader.next()) {
            int seq = reader.sequence();
            long sent = history.sendTimeUs(seq);
            int size = history.size(seq);
            if (sent < 0 || size < 0) {
                unknownStatuses++;
                continue;
            }
            estimator.onPacket(sent, reader.received() ? reader.arrivalUs() : DownlinkEstimator.LOST, size);
        }
        return estimator.onFeedback(micros(nowNanos));
    }

    private long micros(long nanos) {
        return Math.max(0, (nanos - epochNanos) / 1000);
    }

    public DownlinkEstimator estimator() {
        return estimator;
    }

    public long feedbackPackets() {
        return feedbackPackets;
    }

    /** Statuses of packets this sender has no record of (never stamped, or too old). */
    public long unknownStatuses() {
        return unknownStatuses;
    }
}
