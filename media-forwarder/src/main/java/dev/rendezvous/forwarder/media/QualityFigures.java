package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.rtp.ReceiveStats;
import java.util.Arrays;
import java.util.Collection;

/**
 * The forwarder's load and quality figures ({@link ForwarderStats.Snapshot}), which placement weighs.
 *
 * <p>Loss and RTT towards subscribers come from each subscriber's own consumers: a subscriber's figure is the
 * mean over its consumers, and the forwarder's is the <em>median</em> over subscribers, so one client's crafted
 * receiver reports (100 % loss, a huge RTT) move it by at most one rank. Inbound loss and jitter come from the
 * forwarder's own receive statistics, which no client report can touch.
 *
 * <p>Read by the metrics thread (once per interval) and the timer; {@link #rttMs()} by the packet thread.
 */
final class QualityFigures {

    private final PathCounters counters;
    private long lastNanos = System.nanoTime();
    private long lastPacketsIn, lastPacketsOut, lastBytesIn, lastBytesOut;
    private volatile double rttMs;

    QualityFigures(PathCounters counters) {
        this.counters = counters;
    }

    /** The median RTT to subscribers as of the last snapshot (0 while unknown). */
    long rttMs() {
        return (long) rttMs;
    }

    synchronized ForwarderStats.Snapshot snapshot(Collection<Router> routers) {
        long now = System.nanoTime();
        double seconds = Math.max(0.001, (now - lastNanos) / 1e9);
        long pin = counters.packetsIn.sum(), pout = counters.packetsOut.sum();
        long bin = counters.bytesIn.sum(), bout = counters.bytesOut.sum();
        double pinRate = (pin - lastPacketsIn) / seconds;
        double poutRate = (pout - lastPacketsOut) / seconds;
        double binRate = (bin - lastBytesIn) * 8 / seconds;
        double boutRate = (bout - lastBytesOut) * 8 / seconds;
        lastNanos = now;
        lastPacketsIn = pin;
        lastPacketsOut = pout;
        lastBytesIn = bin;
        lastBytesOut = bout;

        int rooms = 0, participants = 0, streamsIn = 0, streamsOut = 0, jitterCount = 0, subscribers = 0;
        double jitter = 0;
        long lost = 0, received = 0;
        double[] losses = new double[16];
        double[] rtts = new double[16];
        int rttCount = 0;
        for (Router router : routers) {
            Peer[] peers = router.peers;
            if (peers.length > 0) {
                rooms++;
            }
            participants += peers.length;
            for (Peer peer : peers) {
                for (Producer p : peer.producers) {
                    if (p.expected) {
                        continue;
                    }
                    streamsIn++;
                    for (Layer l : p.layers) {
                        ReceiveStats st = l.stats;
                        if (st != null && st.packetsReceived() > 0) {
                            jitter += st.jitterMs();
                            jitterCount++;
                            lost += Math.max(0, st.cumulativeLost());
                            received += st.packetsReceived();
                        }
                    }
                }
                Consumer[] consumers = peer.consumers;
                double lossSum = 0, rttSum = 0;
                int lossN = 0, rttN = 0;
                for (Consumer c : consumers) {
                    if (c.forwarding) {
                        streamsOut++;
                    }
                    if (c.lossFraction >= 0) {
                        lossSum += c.lossFraction;
                        lossN++;
                    }
                    if (c.rttMs >= 0) {
                        rttSum += c.rttMs;
                        rttN++;
                    }
                }
                if (lossN > 0) {
                    losses = grow(losses, subscribers);
                    losses[subscribers++] = lossSum / lossN;
                }
                if (rttN > 0) {
                    rtts = grow(rtts, rttCount);
                    rtts[rttCount++] = rttSum / rttN;
                }
            }
        }
        double inboundLoss = received + lost == 0 ? 0 : (double) lost / (received + lost);
        double subscriberLoss = median(losses, subscribers);
        double rtt = median(rtts, rttCount);
        rttMs = rtt;
        double loss = Math.min(1, Math.max(0, Math.max(inboundLoss, subscriberLoss)));
        return new ForwarderStats.Snapshot(rooms, participants, streamsIn, streamsOut, pinRate, poutRate, binRate,
                boutRate, loss, jitterCount == 0 ? 0 : jitter / jitterCount, Math.max(0, rtt));
    }

    private static double[] grow(double[] a, int used) {
        return used < a.length ? a : Arrays.copyOf(a, a.length * 2);
    }

    /** The median of the first {@code n} values (0 for none). */
    static double median(double[] values, int n) {
        if (n == 0) {
            return 0;
        }
        double[] v = Arrays.copyOf(values, n);
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
