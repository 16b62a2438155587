package dev.rendezvous.loadtest.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run happened on, for the report (figures mean nothing without it), and the whole machine's
 * busy share from {@code /proc/stat}, to tell a saturated machine from a saturated forwarder.
 */
public record MachineInfo(int cores, String cpuModel, long memoryBytes, String os, String java) {

    public static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), memory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    }

    private static String readCpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "unknown CPU";
    }

    private static long memory() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }

    /** {total, idle} jiffies of all CPUs so far; {0, 0} where /proc/stat is missing. */
    public static long[] cpuTicks() {
        for (String line : lines("/proc/stat")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                return new long[] {total, idle};
            }
        }
        return new long[] {0, 0};
    }

    /**
     * UDP datagrams the kernel dropped so far because a socket's receive buffer was full (all sockets of the
     * machine: forwarder and clients), from {@code /proc/net/snmp}; -1 when unknown.
     */
    public static long udpReceiveBufferErrors() {
        List<String> l = lines("/proc/net/snmp");
        for (int i = 0; i + 1 < l.size(); i++) {
            if (l.get(i).startsWith("Udp:") && l.get(i + 1).startsWith("Udp:")) {
                List<String> names = List.of(l.get(i).trim().split("\\s+"));
                String[] values = l.get(i + 1).trim().split("\\s+");
                int at = names.indexOf("RcvbufErrors");
                return at > 0 && at < values.length ? Long.parseLong(values[at]) : -1;
            }
        }
        return -1;
    }

    /** Busy share of the machine between two {@link #cpuTicks()} readings, in percent. */
    public static double busyPercent(long[] before, long[] after) {
        long total = after[0] - before[0];
        return total <= 0 ? Double.NaN : 100.0 * (1 - (double) (after[1] - before[1]) / total);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    public String describe() {
        return cores + " cores (`nproc`), " + cpuModel + ", " + Math.round(memoryBytes / (1024.0 * 1024 * 1024))
                + " GiB RAM, " + os + ", Java " + java;
    }
}
