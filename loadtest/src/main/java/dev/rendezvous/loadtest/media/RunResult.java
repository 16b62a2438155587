package dev.rendezvous.loadtest.media;

import java.util.List;
import java.util.Map;

/**
 * The figures of one run (one shape: rooms × participants × bitrate), measured over its window.
 *
 * @param pairsHearing    (receiver, sender) pairs that received anything by the end; of {@code pairsExpected}
 * @param clientRxMbps    RTP payload bits per second the clients received (headers not counted)
 * @param fwdMbpsOut      mean of the forwarder's per-second {@code bitrate_out_bps} gauge (NaN if unknown)
 * @param fwdCpuCores     the forwarder's CPU, in cores: its whole JVM on a stack; in-process the forwarder's own
 *                        threads (packet thread, timer, DTLS handshakes), since the JVM there is mostly clients
 * @param packetThreadCores the forwarder's packet thread, in cores
 * @param gcPauseMaxMs    the longest recent GC pause (Micrometer's decaying max, ~2 min) when the window had any;
 *                        NaN when it had none or the source cannot tell
 * @param joinP50Ms       join → first media, over clients that joined a room someone was already in
 * @param machineBusyPct  the whole machine from /proc/stat, 100 % = every core busy
 * @param toolCpuCores    this load tool's JVM (all clients; in-process also the forwarder)
 * @param udpDropsPerSec  datagrams/s the kernel dropped for full receive buffers, machine-wide (NaN unknown)
 * @param stageRates      the forwarder's stage counters over the window, packets/s, non-zero only
 * @param perSecond       one point per second of the window, for the chart
 */
public record RunResult(MediaLoadOptions options, int clientsStarted, int clientsConnected, long pairsHearing,
                        long pairsExpected, double seconds, double clientSentPps, double clientRxPps,
                        double clientRxMbps, double lossPct, double jitterMeanMs, double jitterMaxMs,
                        double delayP50Ms, double delayP99Ms, double delayMaxMs, long delaySamples, double fwdPpsIn,
                        double fwdPpsOut, double fwdMbpsOut, double fwdCpuCores, double packetThreadCores,
                        double heapMbMax, double gcPauses, double gcPauseMs, double gcPauseMaxMs, double joinP50Ms,
                        double joinP99Ms, int joinN, double machineBusyPct, double toolCpuCores,
                        double udpDropsPerSec,
                        Map<String, Double> stageRates, List<Point> perSecond, List<String> notes) {

    /** One second of a run: the forwarder's egress and CPU (% of one core). */
    public record Point(double cpuPct, double packetThreadPct, double ppsOut) {}

    public RunResult {
        stageRates = Map.copyOf(stageRates);
        perSecond = List.copyOf(perSecond);
        notes = List.copyOf(notes);
    }

    /** Egress packets per second per core of forwarder CPU. */
    public double ppsPerCore() {
        return fwdCpuCores > 0 ? fwdPpsOut / fwdCpuCores : Double.NaN;
    }

    /** The same per core of the packet thread alone. */
    public double ppsPerPacketThreadCore() {
        return packetThreadCores > 0 ? fwdPpsOut / packetThreadCores : Double.NaN;
    }
}
