package dev.rendezvous.loadtest;

import dev.rendezvous.loadtest.media.ChartWriter;
import dev.rendezvous.loadtest.media.ForwarderSample;
import dev.rendezvous.loadtest.media.GatewayPath;
import dev.rendezvous.loadtest.media.InProcessPath;
import dev.rendezvous.loadtest.media.LoadRun;
import dev.rendezvous.loadtest.media.MachineInfo;
import dev.rendezvous.loadtest.media.MediaLoadOptions;
import dev.rendezvous.loadtest.media.ReportWriter;
import dev.rendezvous.loadtest.media.RunResult;
import dev.rendezvous.loadtest.media.SignalingPath;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Media load: many synthetic WebRTC participants ({@code webrtc-client}) against the forwarder, through a
 * running stack's real signaling path or an in-process engine, with the figures that say what the forwarder
 * costs — egress packets/s per core of forwarder CPU above all — written into docs/benchmarks.md with the
 * machine and conditions, plus a PNG chart. Run {@code --help} for the options; README.md and
 * docs/benchmarks.md show the commands.
 */
public final class MediaLoad {

    private MediaLoad() {
    }

    public static void main(String[] args) throws Exception {
        MediaLoadOptions opt;
        List<MediaLoadOptions> runs;
        try {
            opt = MediaLoadOptions.parse(args);
            runs = opt.runs();
        } catch (MediaLoadOptions.HelpRequested h) {
            System.out.print(MediaLoadOptions.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("media-load: " + e.getMessage());
            System.exit(64);
            return;
        }
        List<RunResult> results = new ArrayList<>();
        String source = null;
        warmUp(opt);
        for (MediaLoadOptions run : runs) {
            try (SignalingPath path = opt.inProcess() ? new InProcessPath()
                    : new GatewayPath(opt.target(), opt.forwarderMetrics())) {
                source = path.probe().describe();
                awaitForwarderEmpty(path);
                results.add(new LoadRun(run, path).run());
                awaitForwarderEmpty(path);
            }
        }
        if (opt.report() != null) {
            MachineInfo machine = MachineInfo.current();
            String chartName = null;
            if (opt.chart() != null) {
                List<ChartWriter.Series> series = results.stream()
                        .map(r -> new ChartWriter.Series(r.options().label(), r.perSecond())).toList();
                ChartWriter.write(opt.chart(), "Forwarder egress vs CPU, one point per second ("
                        + (opt.inProcess() ? "in-process" : "stack") + ", " + machine.cores() + " cores)", series,
                        opt.inProcess());
                java.nio.file.Path rel = opt.report().toAbsolutePath().getParent()
                        .relativize(opt.chart().toAbsolutePath());
                chartName = rel.toString();
            }
            ReportWriter.write(opt.report(), ReportWriter.key(opt),
                    ReportWriter.section(results, machine, source, chartName, LocalDate.now()));
            LoadRun.log("wrote %s%s", opt.report(), opt.chart() == null ? "" : " and " + opt.chart());
        }
        System.exit(0);
    }

    /**
     * An uncounted 2×4 run of {@value #WARMUP_SECONDS} s first: the first run of a fresh JVM otherwise pays for
     * class loading and JIT compilation (the tool's, and in-process the forwarder's) in its figures.
     */
    private static void warmUp(MediaLoadOptions opt) throws Exception {
        MediaLoadOptions w = new MediaLoadOptions(2, 4, opt.videoKbps() == 0 ? 100 : opt.videoKbps(), opt.fps(),
                WARMUP_SECONDS, 0, opt.joinRate(), opt.target(), opt.inProcess(), opt.forwarderMetrics(), null, null,
                null, null, opt.clientPollMicros());
        LoadRun.log("warm-up (not reported): %s for %d s", w.label(), WARMUP_SECONDS);
        try (SignalingPath path = opt.inProcess() ? new InProcessPath()
                : new GatewayPath(opt.target(), opt.forwarderMetrics())) {
            new LoadRun(w, path).run();
            awaitForwarderEmpty(path);
        }
    }

    private static final int WARMUP_SECONDS = 10;

    /**
     * Between runs the stack's forwarder must have let the previous clients go (their LEAVE travels through
     * Kafka), or its participant cap refuses the next run's joins. Bounded: 30 s.
     */
    private static void awaitForwarderEmpty(SignalingPath path) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            ForwarderSample s;
            try {
                s = path.probe().sample();
            } catch (RuntimeException e) {
                LoadRun.log("cannot read the forwarder's figures yet: %s", e.getMessage());
                Thread.sleep(1000);
                continue;
            }
            if (!(s.participants() > 0)) {
                return;
            }
            LoadRun.log("waiting for the forwarder to drop %.0f participants", s.participants());
            Thread.sleep(1000);
        }
    }
}
