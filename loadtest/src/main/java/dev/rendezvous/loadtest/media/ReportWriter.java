package dev.rendezvous.loadtest.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a media load run set as markdown between {@code <!-- KEY:begin -->} and {@code <!-- KEY:end -->}
 * (KEY = {@code media-load} or {@code media-load-in-process}, with {@code -polled} when the clients' sockets
 * are polled), replacing what was there, or appending the
 * section when the markers are missing — so the hand-written notes around it survive every run. The machine and
 * conditions come first, as tables: figures without them cannot be compared.
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    public static String key(MediaLoadOptions opt) {
        return (opt.inProcess() ? "media-load-in-process" : "media-load") + (opt.clientPollMicros() > 0 ? "-polled" : "");
    }

    /** The markdown of one run set (between the markers, markers excluded). */
    public static String section(List<RunResult> runs, MachineInfo machine, String source, String chartName,
                                 LocalDate date) {
        MediaLoadOptions first = runs.get(0).options();
        StringBuilder b = new StringBuilder();
        b.append("### Media load (synthetic clients, ").append(first.inProcess() ? "in-process forwarder" : "whole stack")
                .append(") — ").append(date).append("\n\n");
        b.append("| machine | |\n|---|---|\n");
        b.append("| cores (`nproc`) | ").append(machine.cores()).append(" |\n");
        b.append("| CPU (`/proc/cpuinfo`) | ").append(machine.cpuModel()).append(" |\n");
        b.append("| memory | ").append(Math.round(machine.memoryBytes() / (1024.0 * 1024 * 1024))).append(" GiB |\n");
        b.append("| OS | ").append(machine.os()).append(" |\n");
        b.append("| Java | ").append(machine.java()).append(" |\n\n");

        b.append("| conditions | |\n|---|---|\n");
        b.append("| mode | ").append(first.inProcess()
                ? "in-process MediaEngine (loopback UDP; signaling by method calls)"
                : "running stack at " + first.target() + " (gateway WebSocket → Kafka → stream-apps → forwarder)")
                .append(" |\n");
        b.append("| clients | all in one load-tool JVM on the same machine, each publishing and subscribing to everyone else in its room |\n");
        b.append("| client sockets | ").append(first.clientPollMicros() == 0
                ? "a blocked reader thread per socket (each datagram the forwarder sends wakes one)"
                : "two shared threads poll every client socket each " + first.clientPollMicros()
                        + " µs (`--client-poll-us`): no client thread waits on a socket, so the forwarder's sends do not"
                        + " pay for waking one; delay and jitter include up to that much polling")
                .append(" |\n");
        b.append("| audio | Opus-sized, 50 packets/s per publisher |\n");
        b.append("| video | VP8-shaped, ").append(first.fps()).append(" fps, keyframe every 2 s and on PLI; bitrate per run below |\n");
        b.append("| warm-up | an uncounted 2×4 run of 10 s before the first run (class loading, JIT) |\n");
        b.append("| join rate | ").append(fmt(first.joinRate(), 1)).append(" joins/s |\n");
        b.append("| window | ").append(first.durationSeconds()).append(" s measured, after everyone heard everyone (or a deadline) and ")
                .append(first.warmupSeconds()).append(" s warm-up |\n");
        b.append("| forwarder figures | ").append(source).append(" |\n\n");

        b.append("| run | clients (connected) | pairs hearing | clients sent pkt/s | forwarder in pkt/s | forwarder out pkt/s"
                + " | clients received pkt/s | received Mbit/s (payload) | forwarder out Mbit/s | loss % | jitter mean / max ms"
                + " | delay p50 / p99 / max ms | forwarder CPU (cores) | packet thread (cores) | **egress pkt/s per core**"
                + " | per packet-thread core | heap max MiB | GC pauses (n / total ms / max ms) | join → first media p50 / p99 ms (n)"
                + " | machine busy | load tool CPU (cores) | UDP receive-buffer drops/s (machine) |\n");
        b.append("|---".repeat(22)).append("|\n");
        for (RunResult r : runs) {
            b.append("| ").append(r.options().label())
                    .append(" | ").append(r.clientsStarted()).append(" (").append(r.clientsConnected()).append(")")
                    .append(" | ").append(r.pairsHearing()).append(" / ").append(r.pairsExpected())
                    .append(" | ").append(fmt(r.clientSentPps(), 0))
                    .append(" | ").append(fmt(r.fwdPpsIn(), 0))
                    .append(" | ").append(fmt(r.fwdPpsOut(), 0))
                    .append(" | ").append(fmt(r.clientRxPps(), 0))
                    .append(" | ").append(fmt(r.clientRxMbps(), 2))
                    .append(" | ").append(fmt(r.fwdMbpsOut(), 2))
                    .append(" | ").append(fmt(r.lossPct(), 3))
                    .append(" | ").append(fmt(r.jitterMeanMs(), 2)).append(" / ").append(fmt(r.jitterMaxMs(), 1))
                    .append(" | ").append(fmt(r.delayP50Ms(), 2)).append(" / ").append(fmt(r.delayP99Ms(), 2))
                    .append(" / ").append(fmt(r.delayMaxMs(), 1))
                    .append(" | ").append(fmt(r.fwdCpuCores(), 3))
                    .append(" | ").append(fmt(r.packetThreadCores(), 3))
                    .append(" | **").append(fmt(r.ppsPerCore(), 0)).append("**")
                    .append(" | ").append(fmt(r.ppsPerPacketThreadCore(), 0))
                    .append(" | ").append(fmt(r.heapMbMax(), 0))
                    .append(" | ").append(fmt(r.gcPauses(), 0)).append(" / ").append(fmt(r.gcPauseMs(), 0))
                    .append(" / ").append(fmt(r.gcPauseMaxMs(), 0))
                    .append(" | ").append(fmt(r.joinP50Ms(), 0)).append(" / ").append(fmt(r.joinP99Ms(), 0))
                    .append(" (").append(r.joinN()).append(")")
                    .append(" | ").append(fmt(r.machineBusyPct(), 0)).append(" %")
                    .append(" | ").append(fmt(r.toolCpuCores(), 2))
                    .append(" | ").append(fmt(r.udpDropsPerSec(), 0)).append(" |\n");
        }
        b.append("\n");
        if (first.inProcess()) {
            b.append("In-process, the forwarder shares the JVM with every client: \"forwarder CPU\" is the CPU of the forwarder's"
                    + " own threads (packet thread, timer, DTLS handshakes; not the JVM's shared GC and JIT threads), while"
                    + " heap, GC and \"load tool CPU\" are the whole JVM, clients included.\n\n");
        }
        b.append("Forwarder stage counters over each window (packets/s, `stage,outcome`, non-zero only):\n\n");
        for (RunResult r : runs) {
            b.append("- ").append(r.options().label()).append(": ").append(stages(r.stageRates())).append("\n");
        }
        List<String> notes = runs.stream().flatMap(r -> r.notes().stream()).toList();
        if (!notes.isEmpty()) {
            b.append("\nNotes from the tool:\n\n");
            notes.forEach(n -> b.append("- ").append(n).append("\n"));
        }
        if (chartName != null) {
            b.append("\n![egress packets/s against forwarder CPU](").append(chartName).append(")\n");
        }
        return b.toString();
    }

    static String stages(Map<String, Double> rates) {
        if (rates.isEmpty()) {
            return "(none)";
        }
        return rates.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + fmt(e.getValue(), e.getValue() < 10 ? 1 : 0))
                .collect(Collectors.joining("; "));
    }

    /** {@code existing} with the section {@code key} replaced by {@code body}, or the section appended. */
    public static String replaceSection(String existing, String key, String body) {
        String begin = "<!-- " + key + ":begin -->";
        String end = "<!-- " + key + ":end -->";
        String block = begin + "\n" + body.stripTrailing() + "\n" + end;
        int b = existing.indexOf(begin);
        int e = existing.indexOf(end);
        if (b >= 0 && e > b) {
            return existing.substring(0, b) + block + existing.substring(e + end.length());
        }
        String sep = existing.isEmpty() || existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
        return existing + sep + block + "\n";
    }

    public static void write(Path report, String key, String body) throws IOException {
        String existing = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "";
        Files.writeString(report, replaceSection(existing, key, body), StandardCharsets.UTF_8);
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
