package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.Rtcp;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The RTP stages after decryption: {@code track} (SSRC to producer; receive statistics, NACKs to the publisher,
 * audio level, mute) → {@code rewrite} (into producer space, into the cache with its keyframe index) →
 * {@code fan-out} (per consumer: rewrite to the subscriber's SSRC and sequence, encrypt, send).
 *
 * <p>Packet thread only; owns the thread's output buffer, which the RTCP stage and keyframe replays share.
 */
final class RtpForwarder {

    private static final long NACK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final PathCounters counters;
    private final PacketSender sender;
    /** The current round-trip estimate in ms, for how long to wait before NACKing a gap again. */
    private final LongSupplier rttMs;
    final byte[] out = new byte[2048];
    final ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private final int[] nackSeqs = new int[64];
    private final byte[] nackOut = new byte[512];
    private final ByteBuffer nackBuffer = ByteBuffer.wrap(nackOut);
    private final TransportCcFeedback transportCc;

    RtpForwarder(PathCounters counters, PacketSender sender, LongSupplier rttMs) {
        this.counters = counters;
        this.sender = sender;
        this.rttMs = rttMs;
        this.transportCc = new TransportCcFeedback(counters, sender);
    }

    /** A decrypted, valid RTP packet {@code in[0, len)} from {@code t}. */
    void onRtp(Transport t, byte[] in, int len, long now) {
        if (!t.publish()) {
            counters.rtpFromSubscriber.increment();
            return;
        }
        transportCc.onRtp(t, in, len, now); // every packet counts for congestion control, forwarded or not
        Peer peer = t.owner;
        long ssrc = Rtp.ssrc(in, 0);
        Producer p = peer.producerByInboundSsrc(ssrc);
        if (p == null) {
            p = adoptSsrc(peer, ssrc, Rtp.payloadType(in, 0));
            if (p == null) {
                counters.trackUnknownSsrc.increment();
                return;
            }
        }
        int header = Rtp.headerLength(in, 0, len);
        int seq = Rtp.sequence(in, 0);
        p.stats.onPacket(seq, Rtp.timestamp(in, 0), now, Math.max(0, len - header));
        if (p.audio()) {
            int id = p.audioLevelId;
            if (id > 0) {
                int level = Rtp.audioLevel(in, 0, len, id);
                if (level >= 0 && !p.muted) {
                    peer.router.speakers.onLevel(peer.socketId, level, Rtp.audioLevelVad(in, 0, len, id), now);
                }
            }
        } else {
            p.nacks.onPacket(seq, now);
            if (now - p.lastNackCheckNanos >= NACK_INTERVAL_NANOS) {
                p.lastNackCheckNanos = now;
                sendNacks(t, p, now);
            }
        }
        if (p.muted) {
            // not forwarded, and no gap either: subscribers must not NACK what was never meant for them
            p.normalizer.skip(in, 0, len, now, p.clockRate);
            counters.trackMuted.increment();
            return;
        }
        if (!p.normalizer.rewrite(in, 0, len, now, p.clockRate)) {
            counters.rewriteTooOld.increment();
            return;
        }
        if (p.cache != null) {
            int normalized = Rtp.sequence(in, 0);
            p.cache.put(normalized, in, 0, len);
            int payloadLen = len - header - Rtp.paddingLength(in, 0, len);
            p.cached(normalized, payloadLen > 0
                    && Keyframes.isKeyframeStart(p.family(Rtp.payloadType(in, 0)), in, header, payloadLen), now);
        }
        counters.trackForwarded.increment();
        RecordingCapture.Tap tap = peer.router.recording;
        if (tap != null) {
            tap.capture(p, in, 0, len, now);
        }
        fanOut(p, in, len, now);
    }

    private void fanOut(Producer p, byte[] in, int len, long now) {
        for (Consumer c : p.consumers) {
            Transport st = c.sendingTransport();
            if (st == null) {
                if (c.paused) {
                    counters.fanOutPaused.increment();
                }
                continue;
            }
            if (c.rewrite(in, 0, len, out, now) < 0) {
                counters.fanOutNoCodec.increment();
                continue;
            }
            TransportCcFeedback.stamp(st, out, len, now);
            int n = st.srtpOut.protectRtp(out, 0, len);
            if (n > 0 && sender.send(outBuffer, n, st.remote)) {
                counters.fanOutSent.increment();
            } else {
                counters.fanOutFailed.increment();
            }
        }
    }

    /** A packet with an SSRC the offer did not announce: bind it to the producer of its payload type that has none. */
    private static Producer adoptSsrc(Peer peer, long ssrc, int payloadType) {
        for (Producer p : peer.producers) {
            if (p.inboundSsrc < 0 && p.hasPayloadType(payloadType)) {
                p.inboundSsrc = ssrc;
                return p;
            }
        }
        return null;
    }

    private void sendNacks(Transport publisher, Producer p, long now) {
        if (!publisher.ready()) {
            return;
        }
        long wait = TimeUnit.MILLISECONDS.toNanos(Math.max(20, rttMs.getAsLong() + 10));
        int count = p.nacks.collect(now, wait, nackSeqs);
        if (count <= 0) {
            return;
        }
        int n = Rtcp.writeNack(nackOut, 0, publisher.localSsrc, p.inboundSsrc, nackSeqs, count);
        n = publisher.srtpOut.protectRtcp(nackOut, 0, n);
        if (n > 0 && sender.send(nackBuffer, n, publisher.remote)) {
            counters.nackSent.increment();
        }
    }
}
