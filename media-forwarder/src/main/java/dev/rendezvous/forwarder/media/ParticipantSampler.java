package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-participant quality ({@link ParticipantQuality}) from figures the packet path keeps anyway: each source's
 * receive statistics (bytes, packets, losses, jitter) and each subscription's receiver-report loss and RTT. Rates
 * are the differences of those cumulative counters since the previous sample, kept here per source.
 *
 * <p>Called by the control side only (one thread at a time; synchronized for safety), never by the packet path;
 * reading the counters the packet thread writes gives figures that may be a packet old, which is fine for a
 * 5-second sample.
 */
final class ParticipantSampler {

    /** Cumulative figures of one source at the previous sample. */
    private record Seen(long bytes, long received, long lost) {}

    private Map<Long, Seen> previous = new HashMap<>();
    private long lastNanos = -1;

    synchronized List<ParticipantQuality> sample(Collection<Router> routers, long nowNanos) {
        double seconds = lastNanos < 0 ? 0 : Math.max(0.001, (nowNanos - lastNanos) / 1e9);
        lastNanos = nowNanos;
        Map<Long, Seen> current = new HashMap<>();
        Map<Long, Double> bitrateOf = new HashMap<>();
        // first every source's rate, so that a subscriber's outbound rate can add up the sources it receives
        for (Router router : routers) {
            for (Peer peer : router.peers) {
                for (Producer p : peer.producers) {
                    Seen now = p.expected ? null : seen(p);
                    if (now == null) {
                        continue;
                    }
                    current.put(p.id, now);
                    Seen before = previous.getOrDefault(p.id, new Seen(0, 0, 0));
                    bitrateOf.put(p.id, seconds == 0 ? 0 : Math.max(0, now.bytes() - before.bytes()) * 8 / seconds);
                }
            }
        }
        List<ParticipantQuality> out = new ArrayList<>();
        for (Router router : routers) {
            for (Peer peer : router.peers) {
                ParticipantQuality q = figures(router.meetingId, peer, current, bitrateOf);
                if (q != null) {
                    out.add(q);
                }
            }
        }
        previous = current;
        return seconds == 0 ? List.of() : out;   // the first call only sets the baseline
    }

    /**
     * One participant's figures, or null when nothing was ever measured for them (no media received from them, no
     * report from them about what they receive): zeros there would be no sample but pull their means towards 0.
     */
    private ParticipantQuality figures(String meetingId, Peer peer, Map<Long, Seen> current, Map<Long, Double> bitrateOf) {
        double in = 0, jitter = 0;
        long received = 0, lost = 0;
        int jitterN = 0;
        boolean measured = false;
        for (Producer p : peer.producers) {
            Seen now = current.get(p.id);
            if (now == null) {
                continue;
            }
            measured |= now.received() > 0 || now.lost() > 0;   // ever: a source gone quiet still measures 0
            in += bitrateOf.getOrDefault(p.id, 0.0);
            Seen before = previous.getOrDefault(p.id, new Seen(0, 0, 0));
            received += Math.max(0, now.received() - before.received());
            lost += Math.max(0, now.lost() - before.lost());
            for (Layer layer : p.layers) {   // a simulcast track: each layer is its own stream
                ReceiveStats st = layer.stats;
                if (st != null && st.packetsReceived() > 0) {
                    jitter += st.jitterMs();
                    jitterN++;
                }
            }
        }
        double out = 0, reportedLoss = 0, rtt = 0;
        int lossN = 0, rttN = 0;
        int layer = -1;
        for (Consumer c : peer.consumers) {
            Layer forwarded = c.producer == null || !c.producer.simulcast() ? null : c.currentLayer();
            if (forwarded != null && c.active()) {
                layer = Math.max(layer, forwarded.index); // the highest simulcast layer it receives now
            }
            if (c.forwarding && c.producer != null) {
                out += bitrateOf.getOrDefault(c.producer.id, 0.0);
                measured |= c.currentLayer() != null;   // it has been sent media (and which layer is a figure)
            }
            if (c.lossFraction >= 0) {
                reportedLoss += c.lossFraction;
                lossN++;
            }
            if (c.rttMs >= 0) {
                rtt += c.rttMs;
                rttN++;
            }
        }
        if (!measured && lossN == 0 && rttN == 0) {
            return null;
        }
        double inboundLoss = received + lost == 0 ? 0 : (double) lost / (received + lost);
        double loss = Math.min(1, Math.max(inboundLoss, lossN == 0 ? 0 : reportedLoss / lossN));
        return new ParticipantQuality(meetingId, peer.socketId, peer.participantId, in, out, loss,
                rttN == 0 ? 0 : rtt / rttN, jitterN == 0 ? 0 : jitter / jitterN, layer);
    }

    /** What a track received so far, over its layers (one unless simulcast); null before any stats exist. */
    private static Seen seen(Producer p) {
        long bytes = 0, received = 0, lost = 0;
        boolean any = false;
        for (Layer layer : p.layers) {
            ReceiveStats st = layer.stats;
            if (st != null) {
                any = true;
                bytes += st.bytesReceived();
                received += st.packetsReceived();
                lost += Math.max(0, st.cumulativeLost());
            }
        }
        return any ? new Seen(bytes, received, lost) : null;
    }
}
