package dev.rendezvous.launcher;

import dev.rendezvous.launcher.StatusReport.Health;
import dev.rendezvous.stack.RepoHome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./rendezvous status [--json] [--data-dir=DIR]}: finds the running stack through its run state
 * ({@link RunState}), and asks every process: its pid, its health (actuator or TCP port), each forwarder's rooms and
 * participants and each gateway's open sockets (their actuators' Prometheus figures). Exit code 0 when everything is
 * up, 1 when something is down or stopped, 2 when no stack runs on that data dir, 64 for bad options.
 */
final class StatusCommand {

    static final int EXIT_ALL_UP = 0;
    static final int EXIT_SOMETHING_DOWN = 1;
    static final int EXIT_NOT_RUNNING = 2;
    static final int EXIT_USAGE = 64;

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: rendezvous status [--json] [--data-dir=DIR]",
            "Shows every process of the stack `rendezvous up` runs on DIR (default: ./data under the repository root):",
            "pid, ports and health, each forwarder's id, rooms and participants, each gateway's open sockets.",
            "",
            "  --json          one JSON object (its shape: docs/operations.md)",
            "  --data-dir=DIR  the data dir the stack was started with",
            "",
            "Exit codes: 0 everything is up, 1 something is down or stopped, 2 no stack runs on DIR, 64 bad options.");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StatusCommand() {}

    static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        boolean json = false;
        Path dataDir = null;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                stdout.println(USAGE);
                return EXIT_ALL_UP;
            } else if (a.startsWith("--data-dir=")) {
                dataDir = Path.of(a.substring("--data-dir=".length()));
            } else {
                stderr.println("error: unknown argument: " + a + " (see status --help)");
                return EXIT_USAGE;
            }
        }
        if (dataDir == null) {
            dataDir = RepoHome.find().map(h -> h.resolve("data")).orElse(Path.of("data"));
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        Optional<RunState> state;
        try {
            state = RunState.read(dataDir);
        } catch (IOException e) {
            stderr.println("error: " + e.getMessage());
            return EXIT_NOT_RUNNING;
        }
        if (state.isEmpty()) {
            stderr.println("no Rendezvous stack is running on " + dataDir + " (no " + RunState.file(dataDir)
                    + "; start one with ./rendezvous up, or name its --data-dir)");
            return EXIT_NOT_RUNNING;
        }
        if (!state.get().launcherAlive()) {
            stderr.println("the Rendezvous stack on " + dataDir + " is not running: its launcher (pid "
                    + state.get().launcherPid() + ") has ended");
            return EXIT_NOT_RUNNING;
        }
        StatusReport report = collect(state.get(), new StatusProbe());
        if (json) {
            stdout.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            printTable(report, stdout);
        }
        return report.healthy() ? EXIT_ALL_UP : EXIT_SOMETHING_DOWN;
    }

    static StatusReport collect(RunState state, StatusProbe probe) {
        List<StatusReport.Process> processes = new ArrayList<>();
        List<StatusReport.Forwarder> forwarders = new ArrayList<>();
        List<StatusReport.Gateway> gateways = new ArrayList<>();
        for (RunState.Entry e : state.processes()) {
            OptionalLong pid = StatusProbe.livePid(e.pidFile() == null ? null : Path.of(e.pidFile()));
            Health health;
            String prometheus = null;
            if (pid.isEmpty()) {
                health = Health.STOPPED;
            } else if (e.managementPort() > 0) {
                health = "UP".equals(probe.health(e.managementPort())) ? Health.UP : Health.DOWN;
                if (health == Health.UP && ("forwarder".equals(e.kind()) || "gateway".equals(e.kind()))) {
                    prometheus = probe.prometheus(e.managementPort());
                }
            } else {
                int first = e.ports().values().iterator().next();
                health = StatusProbe.accepts(first) ? Health.UP : Health.DOWN;
            }
            processes.add(new StatusReport.Process(e.name(), e.kind(), e.id(), pid.isPresent() ? pid.getAsLong() : null,
                    health, e.ports()));
            if ("forwarder".equals(e.kind())) {
                forwarders.add(new StatusReport.Forwarder(e.id(), e.name(), health,
                        figure(StatusProbe.sample(prometheus, "rendezvous_forwarder_load", "figure=\"rooms\"")),
                        figure(StatusProbe.sample(prometheus, "rendezvous_forwarder_load", "figure=\"participants\""))));
            } else if ("gateway".equals(e.kind())) {
                gateways.add(new StatusReport.Gateway(e.id(), e.name(), health,
                        figure(StatusProbe.sample(prometheus, "rendezvous_gateway_sockets_open", null))));
            }
        }
        boolean healthy = processes.stream().allMatch(p -> p.health() == Health.UP);
        return new StatusReport(state.dataDir(), state.publicUrl(), state.launcherPid(), healthy, processes, forwarders,
                gateways);
    }

    private static Integer figure(OptionalDouble v) {
        return v.isPresent() ? (int) Math.round(v.getAsDouble()) : null;
    }

    static void printTable(StatusReport r, PrintStream out) {
        out.println("Rendezvous at " + r.publicUrl() + " (data " + r.dataDir() + ", launcher pid " + r.launcherPid() + ")");
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PROCESS", "ID", "PID", "HEALTH", "PORTS"});
        for (StatusReport.Process p : r.processes()) {
            rows.add(new String[] {p.name(), dash(p.id()), dash(p.pid()), p.health().name(), ports(p.ports())});
        }
        table(rows, out);
        if (!r.forwarders().isEmpty()) {
            out.println();
            List<String[]> fwd = new ArrayList<>();
            fwd.add(new String[] {"FORWARDER", "ROOMS", "PARTICIPANTS", "HEALTH"});
            r.forwarders().forEach(f -> fwd.add(new String[] {f.id(), dash(f.rooms()), dash(f.participants()), f.health().name()}));
            table(fwd, out);
        }
        if (!r.gateways().isEmpty()) {
            out.println();
            List<String[]> gw = new ArrayList<>();
            gw.add(new String[] {"GATEWAY", "OPEN SOCKETS", "HEALTH"});
            r.gateways().forEach(g -> gw.add(new String[] {g.id(), dash(g.openSockets()), g.health().name()}));
            table(gw, out);
        }
        out.println();
        List<String> notUp = r.processes().stream().filter(p -> p.health() != Health.UP)
                .map(p -> p.name() + " " + p.health()).collect(Collectors.toList());
        out.println(notUp.isEmpty() ? "all " + r.processes().size() + " processes are up"
                : "NOT UP: " + String.join(", ", notUp));
    }

    private static String ports(Map<String, Integer> ports) {
        return ports.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static void table(List<String[]> rows, PrintStream out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(i == cols - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
