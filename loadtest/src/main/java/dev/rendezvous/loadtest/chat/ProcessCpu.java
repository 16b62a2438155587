package dev.rendezvous.loadtest.chat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of named processes, each with its descendants (PostgreSQL serves every connection in a child process),
 * from {@code /proc/<pid>/stat}: user + system time, in clock ticks of 10 ms (Linux's USER_HZ). Linux only; on other
 * systems, or for a pid that is gone, a process counts 0.
 */
public final class ProcessCpu {

    /** Linux reports {@code /proc} times in USER_HZ, 100 on every architecture the JDK runs on. */
    static final double MS_PER_TICK = 10;

    private final Map<String, Long> roots;

    /** {@code roots}: a name for the report → its pid. */
    public ProcessCpu(Map<String, Long> roots) {
        this.roots = new LinkedHashMap<>(roots);
    }

    public Map<String, Long> roots() {
        return Collections.unmodifiableMap(roots);
    }

    /** Now: each name's CPU time in ms, its process tree summed. */
    public Map<String, Double> sampleMs() {
        Map<Long, Stat> all = readAll();
        Map<Long, List<Long>> children = new HashMap<>();
        all.forEach((pid, s) -> children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(pid));
        Map<String, Double> out = new LinkedHashMap<>();
        roots.forEach((name, pid) -> out.put(name, treeTicks(pid, all, children) * MS_PER_TICK));
        return out;
    }

    private static long treeTicks(long pid, Map<Long, Stat> all, Map<Long, List<Long>> children) {
        Stat s = all.get(pid);
        long ticks = s == null ? 0 : s.ticks();
        for (long child : children.getOrDefault(pid, List.of())) {
            ticks += treeTicks(child, all, children);
        }
        return ticks;
    }

    record Stat(long ppid, long ticks) {}

    private static Map<Long, Stat> readAll() {
        Map<Long, Stat> all = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                Stat s = parse(d.resolve("stat"));
                if (s != null) {
                    all.put(Long.parseLong(d.getFileName().toString()), s);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to report
        }
        return all;
    }

    /** The fields after the command name (which may hold spaces and parentheses): state ppid … utime stime. */
    static Stat parse(Path stat) {
        try {
            return parse(Files.readString(stat));
        } catch (IOException e) {
            return null;   // the process ended meanwhile
        }
    }

    static Stat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = line.substring(close + 2).trim().split(" ");
        if (f.length < 13) {
            return null;
        }
        return new Stat(Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }
}
