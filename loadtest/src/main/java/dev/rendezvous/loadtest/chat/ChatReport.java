package dev.rendezvous.loadtest.chat;

import dev.rendezvous.loadtest.media.MachineInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the chat runs into {@code docs/benchmarks.md} between the {@code chat-e2e} markers: latency of our path
 * and of bare Kafka at each rate (with our path's p50/p99 as a ratio to bare Kafka's), then CPU per message by
 * process.
 */
public final class ChatReport {

    static final String BEGIN = "<!-- chat-e2e:begin -->";
    static final String END = "<!-- chat-e2e:end -->";

    private final int rooms;
    private final Duration duration;
    private final Duration warmup;
    private final List<String> processes;

    public ChatReport(int rooms, Duration duration, Duration warmup, Collection<String> processes) {
        this.rooms = rooms;
        this.duration = duration;
        this.warmup = warmup;
        this.processes = new ArrayList<>(processes);
    }

    public void write(Path file, List<RunResult> results, double pingP50, IdleCpu idle) throws IOException {
        String existing = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        Files.writeString(file, replaceSection(existing, section(results, pingP50, idle)));
        System.out.println("report written to " + file);
    }

    static String replaceSection(String existing, String section) {
        int s = existing.indexOf(BEGIN);
        int e = existing.indexOf(END);
        if (s >= 0 && e > s) {
            int after = e + END.length();
            if (after < existing.length() && existing.charAt(after) == '\n') {
                after++;
            }
            return existing.substring(0, s) + section + existing.substring(after);
        }
        return existing + "\n" + section;
    }

    /** @param idle the stack's CPU before the runs, or null when it was not measured */
    String section(List<RunResult> results, double pingP50, IdleCpu idle) {
        StringBuilder b = new StringBuilder();
        b.append(BEGIN).append('\n');
        b.append("### Chat end to end — ").append(LocalDate.now()).append("\n\n");
        b.append("Machine: ").append(MachineInfo.current().describe()).append("\n\n");
        b.append("Conditions: all-in-one stack (`./rendezvous up`) with this tool as the client on the same cores; ")
                .append(rooms).append(" rooms with one sender and one receiver socket each; open-loop sends round-robin")
                .append(" over the rooms; ").append(duration.toSeconds()).append(" s measured after ")
                .append(warmup.toSeconds()).append(" s warm-up per rate and path; latency from the scheduled send time")
                .append(" to the receiver. **Rendezvous**: WebSocket → gateway → Kafka → stream-apps → Kafka → gateway →")
                .append(" WebSocket. **bare Kafka**: the same two hops through the same broker from this process")
                .append(" (acks=all, idempotent, linger " + dev.rendezvous.topics.KafkaClients.LINGER_MS + " ms like every producer of ours; fetch.max.wait 100 ms), keyed by the same meeting ids, nothing")
                .append(" in between; run right after ours at each rate.\n\n");
        b.append("| target msg/s | path | achieved msg/s | delivered | lost | errors | p50 ms | p99 ms | p99.9 ms | max ms |")
                .append(" p50 ÷ bare | p99 ÷ bare | machine CPU |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (RunResult r : results) {
            Optional<RunResult> bare = bareAt(results, r);
            b.append(String.format("| %d | %s | %.0f | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %s | %s | %.0f %% |%n",
                    r.rate(), shortName(r), r.achievedRate(), r.tally().delivered(), r.tally().lost(), r.tally().errors(),
                    r.ms(50), r.ms(99), r.ms(99.9), r.maxMs(),
                    bare.map(x -> ratio(r.ms(50), x.ms(50))).orElse("–"),
                    bare.map(x -> ratio(r.ms(99), x.ms(99))).orElse("–"), r.machineCpuPct()));
        }
        b.append(String.format("%np99 in each %d-s slot of the measurement (by scheduled send time), ms:%n%n",
                Inflight.SLOT_NANOS / 1_000_000_000L));
        b.append("| target msg/s | path | p99 per slot |\n|---|---|---|\n");
        for (RunResult r : results) {
            b.append("| ").append(r.rate()).append(" | ").append(shortName(r)).append(" | ").append(r.p99PerSlot()).append(" |\n");
        }
        b.append("\nCPU per message (ms of CPU time of each process and its children over the run ÷ messages sent):\n\n");
        b.append("| target msg/s | path | ").append(String.join(" | ", processes)).append(" | total |\n");
        b.append("|---|---|").append("---|".repeat(processes.size() + 1)).append('\n');
        for (RunResult r : results) {
            b.append("| ").append(r.rate()).append(" | ").append(shortName(r)).append(" | ");
            double total = 0;
            for (String p : processes) {
                double v = r.cpuMsPerMsg().getOrDefault(p, 0.0);
                total += v;
                b.append(String.format("%.3f | ", v));
            }
            b.append(String.format("%.3f |%n", total));
        }
        if (idle != null) {
            b.append(String.format("%nIdle stack (no meeting open, measured for %d s before the runs): machine CPU %.1f %%;"
                    + " per process, %% of one core: ", idle.over().toSeconds(), idle.machinePct()));
            b.append(idle.pctOfCore().entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", ")));
            b.append(String.format(" (total %.1f %% of one core).%n", idle.totalPctOfCore()));
        }
        b.append(String.format("%nWebSocket ping/pong round trip through the gateway (no Kafka), p50: %.2f ms.%n", pingP50));
        b.append(END).append('\n');
        return b.toString();
    }

    private static Optional<RunResult> bareAt(List<RunResult> results, RunResult r) {
        if (isBare(r)) {
            return Optional.empty();
        }
        return results.stream().filter(x -> isBare(x) && x.rate() == r.rate()).findFirst();
    }

    private static boolean isBare(RunResult r) {
        return r.path().startsWith("bare");
    }

    private static String shortName(RunResult r) {
        return isBare(r) ? "bare Kafka" : "Rendezvous";
    }

    private static String ratio(double ours, double bare) {
        return bare > 0 && !Double.isNaN(ours) ? String.format("%.2f", ours / bare) : "–";
    }

    /** For the console: "name 0.123, …" of the processes that spent anything. */
    public static String cpuText(Map<String, Double> perMsg) {
        return perMsg.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> String.format("%s %.3f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }
}
