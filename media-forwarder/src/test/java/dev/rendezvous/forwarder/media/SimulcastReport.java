package dev.rendezvous.forwarder.media;

import dev.rendezvous.forwarder.media.SimulcastBenchmark.Meeting;
import dev.rendezvous.forwarder.media.SimulcastBenchmark.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@link SimulcastBenchmark}'s results as a dated Markdown section of {@code docs/benchmarks.md}, between the
 * markers {@value #BEGIN} and {@value #END} (replaced when present, else appended), with the machine and the
 * conditions of the run.
 */
final class SimulcastReport {

    static final String BEGIN = "<!-- simulcast:begin -->";
    static final String END = "<!-- simulcast:end -->";

    private SimulcastReport() {
    }

    static void write(Path doc, String section) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String block = BEGIN + "\n" + section + END;
        if (b >= 0 && e > b) {
            text = text.substring(0, b) + block + text.substring(e + END.length());
        } else {
            text = text + (text.endsWith("\n") ? "" : "\n") + "\n" + block + "\n";
        }
        Files.writeString(doc, text, StandardCharsets.UTF_8);
    }

    static String section(List<Step> steps, List<Meeting> meetings, int reps, int measureS, double[] loadBefore,
                          double[] loadAfter, double wallSeconds) {
        StringBuilder s = new StringBuilder();
        s.append("### Simulcast and downlink adaptation — ").append(LocalDate.now(ZoneOffset.UTC)).append("\n\n");
        s.append("| machine | |\n|---|---|\n");
        s.append("| cores (`nproc`) | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        s.append("| CPU | ").append(cpuModel()).append(" |\n");
        s.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append(" |\n");
        s.append("| Java | ").append(System.getProperty("java.version")).append(" (").append(System.getProperty("java.vm.name")).append(") |\n");
        s.append(String.format(Locale.ROOT, "| load average (1 min) before / after | %.1f / %.1f |%n", loadBefore[0], loadAfter[0]));
        s.append(String.format(Locale.ROOT, "| wall time of the whole run | %.0f s |%n%n", wallSeconds));

        s.append("**Convergence after a bandwidth step** (").append(reps).append(" repetitions; one publisher sending")
                .append(" 150 k / 500 k / 1.5 Mbit/s layers and audio, one page with a 1280×720 tile behind a token-bucket")
                .append(" shaper — 3,000-byte bucket, ").append(SimulcastBenchmark.QUEUE_BYTES)
                .append("-byte queue, tail drop — and 20 ms each way; transport-wide feedback every 50 ms;")
                .append(" 2.5 Mbit/s for 8–9 s, 600 kbit/s for " + SimulcastBenchmark.LOW_SECONDS + " s, then 2.5 Mbit/s again). Times are simulated,")
                .append(" so they do not depend on the machine's load: from the step to the first packet of the")
                .append(" new layer reaching the page.\n\n");
        long[] down = Arrays.stream(steps.toArray(new Step[0])).mapToLong(Step::downNanos).filter(v -> v >= 0).sorted().toArray();
        long[] up = Arrays.stream(steps.toArray(new Step[0])).mapToLong(Step::upNanos).filter(v -> v >= 0).sorted().toArray();
        s.append("| | p50 | p95 | max | runs that got there |\n|---|---|---|---|---|\n");
        s.append(row("2.5 M → 600 k: to a lower layer", down, steps.size()));
        s.append(row("600 k → 2.5 M: back to the top layer", up, steps.size()));
        s.append('\n');
        s.append("| run | layer before the drop | lowest layer while limited | layer switches while limited | time on layer 0 / 1 / 2 while limited | packets the shaper dropped while limited | to lower (s) | back to top (s) |\n");
        s.append("|---|---|---|---|---|---|---|---|\n");
        double[] mean = new double[3];
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            double[] on = st.timeOnLayer();
            for (int l = 0; l < 3; l++) {
                mean[l] += on[l] / steps.size();
            }
            s.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %.0f %% / %.0f %% / %.0f %% | %d | %s | %s |%n", i + 1,
                    st.layerBeforeStep(), st.lowestWhileLow(), st.switchesWhileLow(), 100 * on[0], 100 * on[1], 100 * on[2],
                    st.droppedWhileLow(), secs(st.downNanos()), secs(st.upNanos())));
        }
        s.append(String.format(Locale.ROOT, "%nWhile limited to 600 kbit/s the page was sent, on average, layer 0 %.0f %%,"
                + " layer 1 %.0f %% and layer 2 %.0f %% of the time.%n", 100 * mean[0], 100 * mean[1], 100 * mean[2]));
        s.append('\n');

        s.append("**Forwarder capacity with simulcast, and the downlink saved by small tiles** (everyone publishes a")
                .append(" camera — three layers, or today's one 1.5 Mbit/s stream — and audio, and receives everyone;")
                .append(" a keyframe every 2 s; ").append(measureS).append(" simulated seconds measured after 3).")
                .append(" Packets go straight into the packet path and what it sends is counted and dropped:")
                .append(" no sockets, so the CPU is the forwarder's own work (decrypt, choose, rewrite, encrypt; its")
                .append(" once-a-second work included), without the ~3.9 µs of CPU a `sendto` costs on this VM")
                .append(" (see the polled media-load notes above). Egress Mbit/s is SRTP over UDP, without IP/UDP headers.\n\n");
        s.append("| participants | run | in pkt/s | egress pkt/s | egress Mbit/s | egress per page Mbit/s | forwarder CPU (cores) | egress pkt per CPU-second | video consumers |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Meeting m : meetings) {
            s.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.1f | %.2f | %.3f | **%,.0f** | %s |%n",
                    m.participants(), m.name(), m.inPps(), m.outPps(), m.outMbps(), m.outMbps() / m.participants(),
                    m.cpuCores(), m.egressPerCpuSecond(), consumers(m.consumers())));
        }
        s.append('\n');
        for (int n : meetings.stream().mapToInt(Meeting::participants).distinct().toArray()) {
            List<Meeting> of = meetings.stream().filter(m -> m.participants() == n).toList();
            if (of.size() == 3) {
                double top = of.get(1).outMbps();
                double small = of.get(2).outMbps();
                s.append(String.format(Locale.ROOT, "- %d-person meeting: 320×180 tiles take %.1f Mbit/s of egress"
                                + " against %.1f with every consumer on the top layer (%.1f against %.1f per page):"
                                + " **%.0f %% saved**. Simulcast costs %.0f %% more inbound packets than one stream"
                                + " (%,.0f against %,.0f/s) for the same egress at the top layer.%n", n, small, top,
                        small / n, top / n, 100 * (1 - small / top), 100 * (of.get(1).inPps() / of.get(0).inPps() - 1),
                        of.get(1).inPps(), of.get(0).inPps()));
            }
        }
        s.append('\n');
        return s.toString();
    }

    private static String consumers(java.util.Map<String, Integer> counts) {
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> {
            if (v > 0) {
                b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v);
            }
        });
        return b.toString();
    }

    private static String row(String name, long[] sorted, int runs) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d of %d |%n", name, secs(percentile(sorted, 50)),
                secs(percentile(sorted, 95)), secs(sorted.length == 0 ? -1 : sorted[sorted.length - 1]), sorted.length, runs);
    }

    /** Nearest rank. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String secs(long nanos) {
        return nanos < 0 ? "–" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
