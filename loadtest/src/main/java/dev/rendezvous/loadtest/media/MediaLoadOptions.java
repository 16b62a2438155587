package dev.rendezvous.loadtest.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The media load tool's command line. Long flags, as {@code --rooms 4} or {@code --rooms=4}; every option has a
 * default so that a bare run does something small and quick. A {@code --scenario} expands to several runs
 * ({@link #runs()}); explicit flags then change every run of the scenario except the shape the scenario is
 * about (rooms, participants, bitrate).
 *
 * @param target           a running stack's gateway (http://host:port); null with {@code inProcess}
 * @param forwarderMetrics the forwarder's Prometheus endpoint (management port)
 * @param report           markdown file whose delimited section is replaced; null = no report
 * @param chart            PNG written next to the report; null = none
 * @param scenario         a named set of runs, or null
 * @param shapes           an explicit set of runs, {@code ROOMSxPARTICIPANTSxKBPS[,…]}, or null
 * @param clientPollMicros 0: each client socket has a blocked reader thread; else shared threads poll the client
 *                         sockets every this many microseconds (see {@code DatagramPoller})
 */
public record MediaLoadOptions(int rooms, int participants, int videoKbps, int fps, int durationSeconds,
                               int warmupSeconds, double joinRate, String target, boolean inProcess,
                               String forwarderMetrics, Path report, Path chart, String scenario,
                               String shapes, int clientPollMicros) {

    public static final String DEFAULT_TARGET = "http://127.0.0.1:8080";
    public static final String DEFAULT_METRICS = "http://127.0.0.1:9082/actuator/prometheus";
    private static final Set<String> FLAGS = Set.of("in-process", "help", "no-report");
    private static final Set<String> VALUED = Set.of("rooms", "participants", "video-kbps", "fps", "duration",
            "warmup", "join-rate", "target", "forwarder-metrics", "report", "chart", "scenario", "shapes",
            "client-poll-us");

    public MediaLoadOptions {
        if (rooms < 1 || participants < 2) {
            throw new IllegalArgumentException("need at least 1 room and 2 participants per room");
        }
        if (videoKbps < 0 || fps < 1 || durationSeconds < 1 || warmupSeconds < 0 || !(joinRate > 0)) {
            throw new IllegalArgumentException("--video-kbps >= 0, --fps >= 1, --duration >= 1, --warmup >= 0, --join-rate > 0");
        }
        if (clientPollMicros < 0 || clientPollMicros > 100_000) {
            throw new IllegalArgumentException("--client-poll-us is 0 (a reader thread per socket) .. 100000");
        }
        if (durationSeconds > 600) {
            throw new IllegalArgumentException("--duration is at most 600 s (keep load runs bounded)");
        }
    }

    /** Thrown for {@code --help}: the caller prints {@link #usage()} and exits 0. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super("help", null, false, false);
        }
    }

    public static MediaLoadOptions parse(String... args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (try --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                m.put(name, "true");
                continue;
            }
            if (!VALUED.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (try --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            m.put(name, value);
        }
        if (m.containsKey("scenario") && m.containsKey("shapes")) {
            throw new IllegalArgumentException("--scenario and --shapes exclude each other");
        }
        if (m.containsKey("help")) {
            throw new HelpRequested();
        }
        boolean inProcess = m.containsKey("in-process");
        if (inProcess && m.containsKey("target")) {
            throw new IllegalArgumentException("--target and --in-process exclude each other");
        }
        Path report = m.containsKey("no-report") ? null : Path.of(m.getOrDefault("report", "docs/benchmarks.md"));
        String defaultChart = "docs/" + (inProcess ? "media-load-in-process" : "media-load")
                + (m.containsKey("client-poll-us") && !m.get("client-poll-us").equals("0") ? "-polled" : "") + ".png";
        return new MediaLoadOptions(
                integer(m, "rooms", 1), integer(m, "participants", 4), integer(m, "video-kbps", 150),
                integer(m, "fps", 15), integer(m, "duration", 30), integer(m, "warmup", 5),
                decimal(m, "join-rate", 10), inProcess ? null : m.getOrDefault("target", DEFAULT_TARGET), inProcess,
                m.getOrDefault("forwarder-metrics", DEFAULT_METRICS), report,
                report == null ? null : Path.of(m.getOrDefault("chart", defaultChart)), m.get("scenario"),
                m.get("shapes"), integer(m, "client-poll-us", 0));
    }

    /** The runs these options stand for: one, or a scenario's set. */
    public List<MediaLoadOptions> runs() {
        List<MediaLoadOptions> out = new ArrayList<>();
        if (shapes != null) {
            for (String shape : shapes.split(",")) {
                String[] f = shape.trim().toLowerCase(java.util.Locale.ROOT).split("x");
                try {
                    if (f.length != 3) {
                        throw new NumberFormatException();
                    }
                    out.add(shape(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--shapes wants ROOMSxPARTICIPANTSxKBPS, not '" + shape + "'");
                }
            }
            return out;
        }
        if (scenario == null) {
            return List.of(this);
        }
        switch (scenario) {
            case "issue" -> addIssue(out);
            case "small" -> addSmall(out);
            case "all" -> {
                addSmall(out);
                addIssue(out);
            }
            case "smoke" -> out.add(new MediaLoadOptions(2, 3, 100, fps, Math.min(durationSeconds, 5), 1, joinRate,
                    target, inProcess, forwarderMetrics, report, chart, null, null, clientPollMicros));
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "' (issue, small, all, smoke)");
        }
        return out;
    }

    /** The shapes the issue asks for. */
    private void addIssue(List<MediaLoadOptions> out) {
        out.add(shape(1, 50, 0));
        out.add(shape(1, 50, 100));
        out.add(shape(50, 4, 100));
    }

    /** Smaller shapes a 2-core machine running clients and stack together can still carry. */
    private void addSmall(List<MediaLoadOptions> out) {
        out.add(shape(1, 20, 0));
        out.add(shape(1, 20, 100));
        out.add(shape(10, 4, 100));
    }

    private MediaLoadOptions shape(int rooms, int participants, int videoKbps) {
        return new MediaLoadOptions(rooms, participants, videoKbps, fps, durationSeconds, warmupSeconds, joinRate,
                target, inProcess, forwarderMetrics, report, chart, null, null, clientPollMicros);
    }

    public boolean video() {
        return videoKbps > 0;
    }

    public int clients() {
        return rooms * participants;
    }

    public String mode() {
        return inProcess ? "in-process" : "stack " + target;
    }

    /** A short label of the run's shape, for tables and the chart's legend. */
    public String label() {
        return rooms + "×" + participants + (video() ? " " + videoKbps + " kbit/s video" : " audio only");
    }

    public static String usage() {
        return """
                MediaLoad: synthetic WebRTC participants against the media forwarder; reports egress, loss, jitter,
                forwarding delay, the forwarder's CPU, heap and GC, and join -> first media.

                  --rooms N               rooms (default 1)
                  --participants M        participants per room; each publishes and subscribes to all others (default 4)
                  --video-kbps K          video bitrate per publisher, 0 = audio only (default 150)
                  --fps F                 video frame rate (default 15)
                  --duration S            measured seconds per run, at most 600 (default 30)
                  --warmup S              seconds after everyone is connected before measuring (default 5)
                  --join-rate J           joins per second over all rooms (default 10)
                  --target URL            a running stack's gateway (default http://127.0.0.1:8080)
                  --in-process            an in-process MediaEngine instead (no stack needed)
                  --forwarder-metrics URL the forwarder's Prometheus endpoint (default http://127.0.0.1:9082/actuator/prometheus)
                  --scenario NAME         issue: 1x50 audio only, 1x50 and 50x4 with 100 kbit/s video;
                                          small: 1x20 audio only, 1x20 and 10x4 with video; all: small then issue;
                                          smoke: 2x3 for 5 s
                  --shapes LIST           runs of your own, ROOMSxPARTICIPANTSxKBPS[,...], e.g. 1x30x100,20x4x0
                  --client-poll-us U      0 (default): a blocked reader thread per client socket; U > 0: two shared threads
                                          poll all client sockets every U microseconds, so that the forwarder is not
                                          charged for waking client threads on loopback (delay figures then include
                                          up to U of polling)
                  --report FILE           markdown file whose media-load section is replaced (default docs/benchmarks.md)
                  --no-report             write no report and no chart
                  --chart FILE            PNG chart (default docs/media-load[-in-process][-polled].png)
                  --help                  this text
                """;
    }

    private static int integer(Map<String, String> m, String key, int def) {
        String v = m.get(key);
        try {
            return v == null ? def : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a whole number, not '" + v + "'");
        }
    }

    private static double decimal(Map<String, String> m, String key, double def) {
        String v = m.get(key);
        try {
            return v == null ? def : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " needs a number, not '" + v + "'");
        }
    }
}
