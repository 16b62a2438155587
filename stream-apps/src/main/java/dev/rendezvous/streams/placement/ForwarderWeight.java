package dev.rendezvous.streams.placement;

import dev.rendezvous.topics.model.ForwarderMetrics;
import java.time.Duration;
import java.time.Instant;

/**
 * A forwarder's placement weight and health, from its latest {@link ForwarderMetrics}.
 *
 * <pre>
 *   weight  = max(ε, capacity − participants) × penalty                       ε = 0.01
 *   penalty = f(lossRatio; 0.05, 1) × f(rttMs; 200, 1) × f(cpuLoad; 0.85, 4) × f(packetsIn+Out/s; 150 000, 2)
 *   f(x; half, p) = 1 / (1 + (x / half)^p)                                     x &lt; 0 or NaN counts as 0
 * </pre>
 *
 * Each factor is 1 for a perfect host and 0.5 at its "half" value: 5 % packet loss, 200 ms RTT, 85 % CPU,
 * 150 k packets/s. Loss and RTT degrade gently (p = 1), CPU hardly counts below ~60 % and then steeply
 * (p = 4), packet rate in between (p = 2). The product is in (0, 1]. A host at capacity keeps the tiny
 * weight ε rather than 0: with nothing else healthy a room still gets a forwarder, but a host with any
 * room to spare wins almost always.
 *
 * <p>Healthy = its latest metrics were taken at most {@code healthyWithin} before {@code now} (the
 * timestamp of the record being processed, never the wall clock, so a replay decides the same). Metrics
 * from the future (skewed clocks) count as fresh.
 */
public final class ForwarderWeight {

    static final double EPSILON = 0.01;
    static final double LOSS_HALF = 0.05;
    static final double RTT_HALF_MS = 200;
    static final double CPU_HALF = 0.85;
    static final double PACKETS_HALF_PER_SEC = 150_000;

    private ForwarderWeight() {}

    public static double weight(ForwarderMetrics m) {
        return Math.max(EPSILON, (double) m.capacity() - m.participants()) * penalty(m);
    }

    /** In (0, 1]; 1 for a perfect host. */
    public static double penalty(ForwarderMetrics m) {
        double p = factor(m.lossRatio(), LOSS_HALF, 1)
                * factor(m.rttMs(), RTT_HALF_MS, 1)
                * factor(m.cpuLoad(), CPU_HALF, 4)
                * factor(m.packetsInPerSec() + m.packetsOutPerSec(), PACKETS_HALF_PER_SEC, 2);
        return Math.max(p, Double.MIN_NORMAL);
    }

    public static boolean healthy(ForwarderMetrics m, Instant now, Duration healthyWithin) {
        return m.at() != null && !m.at().isBefore(now.minus(healthyWithin));
    }

    static double factor(double x, double half, int p) {
        if (!(x > 0)) {   // negative, zero, NaN
            return 1;
        }
        if (Double.isInfinite(x)) {
            return Double.MIN_NORMAL;
        }
        return 1 / (1 + Math.pow(x / half, p));
    }
}
