package dev.rendezvous.loadtest.chat;

import java.time.Duration;
import java.util.Map;

/**
 * The stack's CPU with no meeting open, measured before the runs: the machine's busy share and each process's share of
 * one core (100 % = one core busy the whole time).
 *
 * @param over       how long it was measured
 * @param machinePct the whole machine, 0..100 (all cores)
 * @param pctOfCore  each process (with its children), % of one core
 */
public record IdleCpu(Duration over, double machinePct, Map<String, Double> pctOfCore) {

    /** From two CPU samples (ms per process) taken {@code over} apart. */
    public static IdleCpu between(Duration over, double machinePct, Map<String, Double> cpu0, Map<String, Double> cpu1) {
        Map<String, Double> pct = new java.util.LinkedHashMap<>();
        double ms = Math.max(1, over.toMillis());
        cpu1.forEach((name, v) -> pct.put(name, 100 * (v - cpu0.getOrDefault(name, 0.0)) / ms));
        return new IdleCpu(over, machinePct, pct);
    }

    /** Summed over the processes, % of one core. */
    public double totalPctOfCore() {
        return pctOfCore.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
