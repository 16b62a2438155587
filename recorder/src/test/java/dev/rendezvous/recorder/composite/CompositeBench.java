package dev.rendezvous.recorder.composite;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU cost of the composite, run by hand (not a test): {@code participants} files of {@code seconds} each
 * (640×480 @ 30 fps VP8 + mono Opus, made by Debian's ffmpeg, moving test pictures), rendered with the default
 * settings; prints CPU seconds per recording minute (process CPU, which includes every FFmpeg thread).
 *
 * <pre>
 * mvn -q -o test-compile -pl recorder -am
 * java -cp recorder/target/test-classes:recorder/target/classes:$(cat cp.txt) \
 *     dev.rendezvous.recorder.composite.CompositeBench 60 2 4
 * </pre>
 */
public final class CompositeBench {

    private static final String[] PATTERNS = {"testsrc2", "smptebars", "rgbtestsrc", "testsrc", "mandelbrot",
            "life", "yuvtestsrc", "cellauto", "smptehdbars"};

    private CompositeBench() {
    }

    /** Resident memory of this process (native included): flat from run to run when nothing leaks. */
    private static long rssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path dir = Files.createTempDirectory("composite-bench-");
        List<Path> files = new ArrayList<>();
        for (int n = 1; n < args.length; n++) {
            int participants = Integer.parseInt(args[n]);
            while (files.size() < participants) {
                int i = files.size();
                Path f = dir.resolve("p" + i + ".webm");
                CompositeFixtures.run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        PATTERNS[i % PATTERNS.length] + "=size=640x480:rate=30", "-f", "lavfi", "-i",
                        "sine=frequency=" + (300 + 110 * i) + ":sample_rate=48000", "-t", String.valueOf(seconds),
                        "-pix_fmt", "yuv420p", "-c:v", "libvpx", "-b:v", "600k", "-g", "60", "-deadline", "realtime", "-cpu-used", "8",
                        "-c:a", "libopus", "-ac", "1", "-b:a", "32k", f.toString());
                files.add(f);
            }
            List<CompositeRenderer.Input> inputs = new ArrayList<>();
            for (int i = 0; i < participants; i++) {
                inputs.add(new CompositeRenderer.Input("p" + i, files.get(i), 0.0, seconds));
            }
            Path out = dir.resolve("composite-" + participants + ".webm");
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double loadBefore = os.getSystemLoadAverage();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            CompositeRenderer.render(inputs, out, CompositeSettings.DEFAULT);
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double wall = (System.nanoTime() - wall0) / 1e9;
            System.out.printf("participants=%d recording=%ds cpu=%.1fs wall=%.1fs cpu-per-recording-minute=%.1fs"
                            + " size=%dKB load(1 min) before=%.2f after=%.2f rss=%dMB%n", participants, seconds, cpu,
                    wall, cpu * 60 / seconds, Files.size(out) / 1024, loadBefore, os.getSystemLoadAverage(), rssMb());
        }
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
