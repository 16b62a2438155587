package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.RtcpWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Keyframes for subscribers: asking a publisher for one (PLI, at most every {@value #PLI_MIN_INTERVAL_MS} ms per
 * track, from any thread), and replaying the latest one from the producer's cache to a consumer that just
 * started, so its first picture needs no PLI round trip.
 */
final class KeyframeService {

    static final long PLI_MIN_INTERVAL_MS = 300;
    static final long PLI_MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(PLI_MIN_INTERVAL_MS);
    /** A keyframe older than this (or followed by more packets than that) is not replayed; a PLI is sent instead. */
    static final long REPLAY_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    static final int REPLAY_MAX_PACKETS = 160;

    private final PathCounters counters;
    private final PacketSender sender;
    private final byte[] pliOut = new byte[64];
    private final ByteBuffer pliBuffer = ByteBuffer.wrap(pliOut);

    KeyframeService(PathCounters counters, PacketSender sender) {
        this.counters = counters;
        this.sender = sender;
    }

    /** Asks the publisher of {@code p} for a keyframe of each of its layers (PLI), rate limited per layer. Any thread. */
    void request(Producer p, long now) {
        for (Layer l : p.layers) {
            request(l, now);
        }
    }

    /** Asks the publisher for a keyframe of one layer (PLI on its SSRC), rate limited per layer. Any thread. */
    void request(Layer l, long now) {
        Producer p = l.producer;
        if (p.audio() || p.closed) {
            return;
        }
        Transport pc = p.owner.publish;
        long ssrc = l.inboundSsrc;
        if (pc == null || !pc.ready() || ssrc < 0) {
            return;
        }
        synchronized (pliOut) {
            if (l.lastPliNanos != 0 && now - l.lastPliNanos < PLI_MIN_INTERVAL_NANOS) {
                counters.pliRateLimited.increment();
                l.keyframeOwed = true;   // a consumer may be waiting: the timer asks again once allowed
                return;
            }
            l.lastPliNanos = now;
            l.keyframeOwed = false;
            int n = RtcpWriter.writePli(pliOut, 0, pc.localSsrc, ssrc);
            n = pc.srtpOut.protectRtcp(pliOut, 0, n);
            if (n > 0 && sender.send(pliBuffer, n, pc.remote)) {
                counters.pliForwarded.increment();
            }
        }
    }

    /** Timer: sends a keyframe request the rate limit dropped earlier, once it allows one. Any thread. */
    void settleOwed(Producer p, long now) {
        for (Layer l : p.layers) {
            boolean owed;
            synchronized (pliOut) {
                owed = l.keyframeOwed && now - l.lastPliNanos >= PLI_MIN_INTERVAL_NANOS;
            }
            if (owed) {
                request(l, now);
            }
        }
    }

    /**
     * Packet thread: sends a just-started video consumer the latest keyframe of the layer it should get and
     * the packets after it (when the keyframe is recent and the run short), else asks the publisher for one.
     */
    void startConsumer(Consumer c, long now, byte[] out, ByteBuffer outBuffer) {
        Producer p = c.producer;
        if (p.audio() || p.closed || p.muted) {
            return;
        }
        Layer l = p.bestLayer(c.preferredLayer, now);
        if (l.cache == null) {
            return;
        }
        if (!replay(c, l, now, out, outBuffer)) {
            request(l, now);
        }
    }

    private boolean replay(Consumer c, Layer l, long now, byte[] out, ByteBuffer outBuffer) {
        Transport t = c.subscriber.subscribe;
        int first = l.keyframeSeq;
        int last = l.highestCachedSeq;
        if (t == null || !t.ready() || first < 0 || last < 0 || now - l.keyframeNanos > REPLAY_MAX_AGE_NANOS) {
            return false;
        }
        int count = ((last - first) & 0xFFFF) + 1;
        if (count > REPLAY_MAX_PACKETS || count > l.cache.slots()) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (!l.cache.contains((first + i) & 0xFFFF)) {
                return false;
            }
        }
        c.startOn(l, first);
        for (int i = 0; i < count; i++) {
            int n = l.cache.get((first + i) & 0xFFFF, out, 0);
            if (n < 0) {
                return i > 0;
            }
            if (c.rewrite(out, 0, n, out, now) < 0) {
                return false;
            }
            TransportCcFeedback.stamp(t, out, n, now);
            n = t.srtpOut.protectRtp(out, 0, n);
            if (n > 0 && sender.send(outBuffer, n, t.remote)) {
                counters.keyframeReplayed.increment();
            }
        }
        return true;
    }
}
