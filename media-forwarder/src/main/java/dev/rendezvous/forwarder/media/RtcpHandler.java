package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.RetransmitBudget.Decision;
import dev.rendezvous.forwarder.media.bwe.TransportCcSender;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.TransportCc;
import java.nio.ByteBuffer;

/**
 * The RTCP stage after decryption. From a publisher: sender reports feed its producer's statistics and are
 * forwarded, re-addressed, to every consumer. From a subscriber: receiver reports into each consumer's loss
 * and RTT; NACKs answered from the producer's cache within the consumer's {@link RetransmitBudget} (RTX-wrapped
 * on the consumer's RTX SSRC when the subscriber agreed to RTX, {@link Consumer#wrapRetransmission}); PLI and FIR
 * passed to the publisher as keyframe requests (rate limited there); transport-wide feedback into the subscribe
 * connection's downlink estimate ({@link TransportCcFeedback}).
 *
 * <p>Packet thread only; writes into the RTP stage's output buffer.
 */
final class RtcpHandler {

    private static final int SR_LENGTH = 28;

    private final PathCounters counters;
    private final PacketSender sender;
    private final KeyframeService keyframes;
    private final byte[] out;
    private final ByteBuffer outBuffer;
    private final Rtcp.Cursor cursor = new Rtcp.Cursor();
    private final TransportCc.Reader transportFeedback = new TransportCc.Reader();
    private final byte[] sr = new byte[SR_LENGTH];

    RtcpHandler(PathCounters counters, PacketSender sender, KeyframeService keyframes, byte[] out, ByteBuffer outBuffer) {
        this.counters = counters;
        this.sender = sender;
        this.keyframes = keyframes;
        this.out = out;
        this.outBuffer = outBuffer;
    }

    /** A decrypted compound RTCP packet {@code in[0, len)} from {@code t}. */
    void onRtcp(Transport t, byte[] in, int len, long now) {
        if (!cursor.reset(in, 0, len)) {
            counters.rtcpMalformed.increment();
            return;
        }
        counters.rtcpProcessed.increment();
        Peer peer = t.owner;
        do {
            int type = cursor.type();
            int fmt = cursor.fmt();
            if (t.publish()) {
                if (type == Rtcp.SR) {
                    Layer l = peer.layerByInboundSsrc(cursor.senderSsrc());
                    if (l != null) {
                        l.stats.onSenderReport(cursor.srNtp(), now);
                        forwardSenderReport(l, in, now);
                    }
                }
            } else if (type == Rtcp.RR || type == Rtcp.SR) {
                for (int i = 0; i < cursor.reportBlockCount(); i++) {
                    Consumer c = peer.consumerBySsrc(cursor.rbSsrc(i));
                    if (c != null) {
                        c.onReceiverReport(cursor.rbFractionLost(i), cursor.rbLsr(i), cursor.rbDlsr(i), now);
                    }
                }
            } else if (TransportCc.isTransportCc(type, fmt)) {
                onTransportFeedback(t, in, now);
            } else if (Rtcp.isNack(type, fmt)) {
                answerNack(peer, now);
            } else if (Rtcp.isPli(type, fmt)) {
                requestKeyframe(peer, cursor.mediaSsrc(), now);
            } else if (Rtcp.isFir(type, fmt)) {
                for (int i = 0; i < cursor.firCount(); i++) {
                    requestKeyframe(peer, cursor.firSsrc(i), now);
                }
            }
        } while (cursor.next());
    }

    /** A subscriber's transport-wide feedback: into its downlink estimate. */
    private void onTransportFeedback(Transport t, byte[] in, long now) {
        TransportCcSender downlink = t.downlink;
        if (downlink == null || !transportFeedback.reset(in, cursor.offset(), cursor.bodyLength())) {
            return; // not agreed on this connection, or malformed: nothing to learn from it
        }
        downlink.onFeedback(transportFeedback, now);
    }

    private void requestKeyframe(Peer subscriber, long ssrc, long now) {
        Consumer c = subscriber.consumerBySsrc(ssrc);
        if (c == null) {
            counters.rtcpUnknownSsrc.increment();
            return;
        }
        keyframes.request(c.keyframeLayer(now), now);
    }

    private void answerNack(Peer subscriber, long now) {
        Consumer c = subscriber.consumerBySsrc(cursor.mediaSsrc());
        Transport st = c == null ? null : c.sendingTransport();
        if (st == null || c.producer.audio()) {
            counters.rtcpUnknownSsrc.increment();
            return;
        }
        RetransmitBudget budget = c.retransmits;
        budget.startNackPacket();
        long rttNanos = (long) (Math.max(0, c.rttMs) * 1_000_000);
        for (int i = 0; i < cursor.nackCount(); i++) {
            int pid = cursor.nackPid(i);
            int blp = cursor.nackBlp(i);
            if (!retransmit(c, st, pid, now, rttNanos)) {
                return;
            }
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0 && !retransmit(c, st, (pid + bit + 1) & 0xFFFF, now, rttNanos)) {
                    return;
                }
            }
        }
    }

    /** False when the budget for this NACK packet (or this second) is spent: the rest is ignored. */
    private boolean retransmit(Consumer c, Transport st, int outSeq, long now, long rttNanos) {
        int seq = c.mapping.producerSequence(outSeq);
        Layer layer = c.mapping.layerOf(outSeq);
        if (layer == null || layer.cache == null) {
            counters.nackMissed.increment();
            return true;
        }
        Decision d = c.retransmits.request(seq, now, rttNanos);
        switch (d) {
            case REPEAT -> {
                counters.nackRepeat.increment();
                return true;
            }
            case PACKET_LIMIT -> {
                counters.nackPacketLimit.increment();
                return false;
            }
            case RATE_LIMIT -> {
                counters.nackRateLimited.increment();
                return false;
            }
            default -> { }
        }
        int n = layer.cache.get(seq, out, 0);
        if (n < 0) {
            counters.nackMissed.increment();
            return true;
        }
        if (c.rewriteResent(out, 0, n, out, outSeq) < 0) {
            return true;
        }
        int wrapped = c.wrapRetransmission(out, 0, n); // RTX when the subscriber agreed to it, else as it was
        boolean rtx = wrapped > 0;
        if (rtx) {
            n = wrapped;
        }
        TransportCcFeedback.stamp(st, out, n, now);
        n = st.srtpOut.protectRtp(out, 0, n);
        if (n > 0 && sender.send(outBuffer, n, st.remote)) {
            counters.nackAnswered.increment();
            if (rtx) {
                counters.rtxSent.increment();
            }
        }
        return true;
    }

    /**
     * A publisher's SR of one layer, re-addressed to each consumer forwarding that layer (its SSRC and
     * timestamp space; report blocks dropped).
     */
    private void forwardSenderReport(Layer l, byte[] in, long now) {
        if (cursor.length() < SR_LENGTH) {
            return;
        }
        System.arraycopy(in, cursor.offset(), sr, 0, SR_LENGTH);
        sr[0] = (byte) 0x80; // V=2, no padding, RC=0
        sr[2] = 0;
        sr[3] = 6; // 7 words - 1
        long lsr = (cursor.srNtp() >>> 16) & 0xFFFFFFFFL;
        long producerTs = l.normalizer.outboundTimestamp(cursor.srRtpTimestamp());
        for (Consumer c : l.producer.consumers) {
            Transport st = c.sendingTransport();
            if (st == null || c.currentLayer() != l) {
                continue;
            }
            System.arraycopy(sr, 0, out, 0, SR_LENGTH);
            writeU32(out, 4, c.ssrc);
            writeU32(out, 16, c.mapping.outboundTimestamp(producerTs));
            c.forwardedLsr = lsr;
            c.forwardedLsrNanos = now;
            int n = st.srtpOut.protectRtcp(out, 0, SR_LENGTH);
            if (n > 0 && sender.send(outBuffer, n, st.remote)) {
                counters.rtcpSrForwarded.increment();
            }
        }
    }

    private static void writeU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
