package dev.rendezvous.forwarder.media;

import static dev.rendezvous.forwarder.media.rtp.Bytes.seqDiff;

import dev.rendezvous.forwarder.media.rtp.Keyframes;
import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import dev.rendezvous.forwarder.media.rtp.Rtp;
import dev.rendezvous.forwarder.media.rtp.Rtx;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The RTP stages after decryption: {@code track} (SSRC to producer; receive statistics, NACKs to the publisher,
 * audio level, mute) → {@code rewrite} (into producer space, into the cache with its keyframe index) →
 * {@code fan-out} (per consumer: rewrite to the subscriber's SSRC and sequence, encrypt, send). A simulcast track's
 * packets are of one of its {@link Layer}s (by SSRC, learnt from the rid header extension); each consumer takes
 * one layer ({@link Consumer#admit}), and a consumer waiting to switch gets the publisher asked for a keyframe.
 *
 * <p><b>RTX.</b> A packet on a layer's RTX SSRC (RFC 4588; known from the offer's FID group or adopted by its
 * repaired-rtp-stream-id) is unwrapped in place into the original packet and goes the same way, late: it stops
 * the gap's NACKs, enters the cache and is forwarded to the consumers whose mapping covers it. Padding-only RTX
 * packets (probes) and packets the cache already holds (redundant payloads) are counted and dropped.
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
    private final KeyframeService keyframes;

    RtpForwarder(PathCounters counters, PacketSender sender, LongSupplier rttMs, KeyframeService keyframes) {
        this.counters = counters;
        this.keyframes = keyframes;
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
        Layer l = peer.layerByInboundSsrc(ssrc);
        boolean repaired = false;
        if (l == null) {
            Layer rtx = peer.layerByRtxSsrc(ssrc);
            if (rtx == null) {
                rtx = adoptRtxSsrc(peer, ssrc, in, len);
            }
            if (rtx != null) {
                len = unwrapRtx(rtx, in, len);
                if (len < 0) {
                    return;
                }
                l = rtx;
                repaired = true;
            } else {
                l = adoptSsrc(peer, ssrc, in, len);
                if (l == null) {
                    counters.trackUnknownSsrc.increment();
                    return;
                }
            }
        }
        Producer p = l.producer;
        int header = Rtp.headerLength(in, 0, len);
        int seq = Rtp.sequence(in, 0);
        if (!repaired) {
            // a retransmission on the RTX SSRC neither shows the layer alive nor counts in the original stream's
            // reports (RFC 4588: they describe the stream before repair)
            if (len - header - Rtp.paddingLength(in, 0, len) > 0) {
                l.lastPacketNanos = now; // media, not padding (a browser probes with padding on a media SSRC)
            }
            l.stats.onPacket(seq, Rtp.timestamp(in, 0), now, Math.max(0, len - header));
        }
        if (p.audio()) {
            int id = p.audioLevelId;
            if (id > 0) {
                int level = Rtp.audioLevel(in, 0, len, id);
                if (level >= 0 && !p.muted) {
                    peer.router.speakers.onLevel(peer.socketId, level, Rtp.audioLevelVad(in, 0, len, id), now);
                }
            }
        } else {
            l.nacks.onPacket(seq, now);
            if (now - l.lastNackCheckNanos >= NACK_INTERVAL_NANOS) {
                l.lastNackCheckNanos = now;
                sendNacks(t, l, now);
            }
        }
        if (p.muted) {
            // not forwarded, and no gap either: subscribers must not NACK what was never meant for them
            l.normalizer.skip(in, 0, len, now, p.clockRate);
            counters.trackMuted.increment();
            return;
        }
        if (!l.normalizer.rewrite(in, 0, len, now, p.clockRate)) {
            counters.rewriteTooOld.increment();
            return;
        }
        int normalized = Rtp.sequence(in, 0);
        boolean keyframe = false;
        boolean late = false;
        if (l.cache != null) {
            if (repaired) {
                // held already (a redundant payload), or older than the cache reaches (its slot cannot tell)
                boolean outOfReach = l.highestCachedSeq >= 0 && seqDiff(l.highestCachedSeq, normalized) >= l.cache.slots();
                if (outOfReach || l.cache.contains(normalized)) {
                    counters.rtxDuplicate.increment();
                    return;
                }
                counters.rtxRecovered.increment();
            }
            late = l.highestCachedSeq >= 0 && seqDiff(normalized, l.highestCachedSeq) < 0;
            l.cache.put(normalized, in, 0, len);
            int payloadLen = len - header - Rtp.paddingLength(in, 0, len);
            Keyframes.Codec family = p.family(Rtp.payloadType(in, 0));
            keyframe = payloadLen > 0 && Keyframes.isKeyframeStart(family, in, header, payloadLen);
            if (keyframe && family == Keyframes.Codec.VP8) {
                int width = Keyframes.vp8Width(in, header, payloadLen);
                if (width > 0 && width != l.width) {
                    l.width = width; // the allocator caps layers by tile width
                }
            }
            l.cached(normalized, keyframe, now);
        }
        counters.trackForwarded.increment();
        RecordingCapture.Tap tap = peer.router.recording;
        if (tap != null && l.index == p.layers.length - 1) {
            tap.capture(p, in, 0, len, now); // a simulcast track is recorded at its top layer
        }
        fanOut(p, l, normalized, keyframe, late, in, len, now);
    }

    /**
     * {@code late}: the packet is older than the newest of its layer (recovered by RTX, or reordered); it goes
     * only to consumers whose current mapping already covers it ({@link OutboundMapping#admitsLate}).
     */
    private void fanOut(Producer p, Layer l, int seq, boolean keyframe, boolean late, byte[] in, int len, long now) {
        for (Consumer c : p.consumers) {
            Transport st = c.sendingTransport();
            if (st == null) {
                if (c.paused || c.viewPaused) {
                    counters.fanOutPaused.increment();
                }
                continue;
            }
            if (late) {
                if (!c.mapping.admitsLate(l, seq)) {
                    counters.fanOutLate.increment();
                    continue;
                }
            } else if (!admitOrCount(c, l, seq, keyframe, now)) {
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

    /** A live packet: whether the consumer takes it (asking for the keyframe a pending layer switch waits for). */
    private boolean admitOrCount(Consumer c, Layer l, int seq, boolean keyframe, long now) {
        boolean admitted = c.admit(l, seq, keyframe, now);
        Layer wanted = c.takeKeyframeWanted();
        if (wanted != null) {
            keyframes.request(wanted, now);
        }
        if (!admitted) {
            counters.fanOutOtherLayer.increment();
        }
        return admitted;
    }

    /**
     * A packet with an SSRC the offer did not announce. With a rid header extension (simulcast): the layer of
     * that rid, of the producer its mid extension names (else of one whose payload types fit), takes the SSRC,
     * also in place of an older one (a new PeerConnection). Without: the single stream of the producer of its
     * payload type that has no SSRC yet. No allocation.
     */
    private static Layer adoptSsrc(Peer peer, long ssrc, byte[] in, int len) {
        int payloadType = Rtp.payloadType(in, 0);
        for (Producer p : peer.producers) {
            int ridId = p.ridExtensionId;
            if (ridId <= 0 || !p.hasPayloadType(payloadType)) {
                continue;
            }
            int ridAt = Rtp.findExtension(in, 0, len, ridId);
            if (ridAt < 0) {
                continue;
            }
            int midId = p.midExtensionId;
            int midAt = midId > 0 ? Rtp.findExtension(in, 0, len, midId) : -1;
            if (midAt >= 0 && !sameAscii(in, midAt, Rtp.extensionLength(in, 0, len, midId), p.mid)) {
                continue;
            }
            int ridLen = Rtp.extensionLength(in, 0, len, ridId);
            for (Layer l : p.layers) {
                if (l.ridIs(in, ridAt, ridLen)) {
                    l.inboundSsrc = ssrc;
                    return l;
                }
            }
        }
        for (Producer p : peer.producers) {
            Layer only = p.layers[0];
            if (!p.simulcast() && only.inboundSsrc < 0 && p.hasPayloadType(payloadType)) {
                only.inboundSsrc = ssrc;
                return only;
            }
        }
        return null;
    }

    /**
     * A packet on the RTX SSRC of layer {@code l}, turned in place into the original packet it carries (OSN,
     * payload type by {@code apt}, the layer's media SSRC). Returns its new length, or -1 when it was dropped
     * (padding only, malformed, or the media stream not known yet), counted. No allocation.
     */
    private int unwrapRtx(Layer l, byte[] in, int len) {
        counters.rtxReceived.increment();
        if (Rtx.isPadding(in, 0, len)) {
            counters.rtxPadding.increment();
            return -1;
        }
        int apt = l.producer.associatedPayloadType(Rtp.payloadType(in, 0));
        long media = l.inboundSsrc;
        int n = apt < 0 || media < 0 ? -1 : Rtx.unwrap(in, 0, len, apt, media);
        if (n < 0) {
            counters.rtxMalformed.increment();
        }
        return n;
    }

    /**
     * A packet with an unknown SSRC and an RTX payload type of one of the peer's tracks: with a
     * repaired-rtp-stream-id extension (simulcast) the layer of that rid (of the producer its mid extension names)
     * takes it as its RTX SSRC, also in place of an older one; without, the single stream of such a producer
     * that has no RTX SSRC yet. Null when it is none of those. No allocation.
     */
    private static Layer adoptRtxSsrc(Peer peer, long ssrc, byte[] in, int len) {
        int payloadType = Rtp.payloadType(in, 0);
        for (Producer p : peer.producers) {
            if (p.associatedPayloadType(payloadType) < 0) {
                continue;
            }
            if (p.simulcast()) {
                int rridId = p.repairedRidExtensionId;
                int at = rridId > 0 ? Rtp.findExtension(in, 0, len, rridId) : -1;
                if (at < 0 || !midMatches(p, in, len)) {
                    continue;
                }
                int ridLen = Rtp.extensionLength(in, 0, len, rridId);
                for (Layer l : p.layers) {
                    if (l.ridIs(in, at, ridLen)) {
                        l.rtxSsrc = ssrc;
                        return l;
                    }
                }
            } else if (p.layers[0].rtxSsrc < 0 && !p.rtxCodecs.isEmpty()) {
                p.layers[0].rtxSsrc = ssrc;
                return p.layers[0];
            }
        }
        return null;
    }

    /** Whether the packet's sdes:mid extension, if the producer has one agreed and the packet carries it, names it. */
    private static boolean midMatches(Producer p, byte[] in, int len) {
        int midId = p.midExtensionId;
        int midAt = midId > 0 ? Rtp.findExtension(in, 0, len, midId) : -1;
        return midAt < 0 || sameAscii(in, midAt, Rtp.extensionLength(in, 0, len, midId), p.mid);
    }

    private static boolean sameAscii(byte[] b, int off, int len, String s) {
        if (s == null || len != s.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void sendNacks(Transport publisher, Layer l, long now) {
        if (!publisher.ready()) {
            return;
        }
        long wait = TimeUnit.MILLISECONDS.toNanos(Math.max(20, rttMs.getAsLong() + 10));
        int count = l.nacks.collect(now, wait, nackSeqs);
        if (count <= 0) {
            return;
        }
        int n = RtcpWriter.writeNack(nackOut, 0, publisher.localSsrc, l.inboundSsrc, nackSeqs, count);
        n = publisher.srtpOut.protectRtcp(nackOut, 0, n);
        if (n > 0 && sender.send(nackBuffer, n, publisher.remote)) {
            counters.nackSent.increment();
        }
    }
}
