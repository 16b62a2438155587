package dev.rendezvous.loadtest.chat;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One path at one rate.
 *
 * @param path          which {@link ChatPath}
 * @param rate          target messages/s
 * @param achievedRate  sent / measured seconds
 * @param sent          messages sent while measuring
 * @param tally         latencies (ns) and counts
 * @param machineCpuPct the whole machine's busy share over the measurement
 * @param cpuMsPerMsg   per process (tree): CPU ms spent per message sent, over the measurement
 */
public record RunResult(String path, int rate, double achievedRate, long sent, Inflight.Tally tally,
                        double machineCpuPct, Map<String, Double> cpuMsPerMsg) {

    public double ms(double percentile) {
        Histogram h = tally.latency();
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMs() {
        return tally.latency().getMaxValue() / 1e6;
    }

    /** The p99 of each slot of the run ({@link Inflight#SLOT_NANOS}), "–" for a slot with no message, joined by " · ". */
    public String p99PerSlot() {
        return tally.slots().stream()
                .map(h -> h.getTotalCount() == 0 ? "–" : String.format("%.1f", h.getValueAtPercentile(99) / 1e6))
                .collect(java.util.stream.Collectors.joining(" · "));
    }
}
