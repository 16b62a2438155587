package dev.rendezvous.loadtest;

import dev.rendezvous.loadtest.chat.BareKafkaPath;
import dev.rendezvous.loadtest.chat.ChatPath;
import dev.rendezvous.loadtest.chat.ChatReport;
import dev.rendezvous.loadtest.chat.GatewayChatPath;
import dev.rendezvous.loadtest.chat.IdleCpu;
import dev.rendezvous.loadtest.chat.Inflight;
import dev.rendezvous.loadtest.chat.ProcessCpu;
import dev.rendezvous.loadtest.chat.RunResult;
import dev.rendezvous.loadtest.chat.SlowLog;
import dev.rendezvous.loadtest.chat.StackProcesses;
import dev.rendezvous.loadtest.media.MachineInfo;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Chat end-to-end latency: a message sent on one socket until it is delivered on another socket of the same
 * meeting, through gateway → Kafka → stream-apps → Kafka → gateway ({@link GatewayChatPath}), and, at each rate in
 * the same session, the same two hops through the same broker with nothing in between ({@link BareKafkaPath}): the
 * report gives our path's percentiles as a ratio to bare Kafka's. Open loop: sends are scheduled at the target rate
 * and latency is measured from the scheduled time, so a stall is not hidden (no coordinated omission). CPU per
 * message of each process of the run (from {@code ./rendezvous status --json}, with its children) is measured over
 * each run.
 *
 * <pre>
 *   ./rendezvous up        # in another terminal
 *   java -jar loadtest/target/rendezvous-loadtest-exec.jar --base-url=http://127.0.0.1:8080 \
 *        --rates=100,1000,3000 --duration=PT60S --rooms=100 --report=docs/benchmarks.md
 * </pre>
 */
public final class ChatLoad {

    record Options(String baseUrl, List<Integer> rates, Duration duration, Duration warmup, int rooms, Path report,
                   boolean bare, String kafka, Path launcher, String dataDir, Duration idle, Path slowLog,
                   double slowMs) {
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String a : args) {
                if (a.equals("--help")) {
                    System.out.println("options: --base-url= --rates=100,1000,3000 --duration=PT30S --warmup=PT5S --rooms=100"
                            + " --report=PATH --bare=true (also the bare-Kafka round trip) --kafka=HOST:PORT (default: from"
                            + " the launcher's status) --launcher=./rendezvous --data-dir=DIR (the stack's, for its status)"
                            + " --idle=PT30S (the stack's CPU with no meeting open, before the runs; PT0S: not measured)"
                            + " --slow-log=PATH (appends every measured message slower than --slow-ms=10, with when it"
                            + " was due, to lay beside GC logs)");
                    System.exit(0);
                }
                int eq = a.indexOf('=');
                if (!a.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("unknown argument " + a + " (try --help)");
                }
                m.put(a.substring(2, eq), a.substring(eq + 1));
            }
            return new Options(
                    m.getOrDefault("base-url", "http://127.0.0.1:8080"),
                    java.util.Arrays.stream(m.getOrDefault("rates", "100,1000,3000").split(",")).map(String::trim).map(Integer::parseInt).toList(),
                    Duration.parse(m.getOrDefault("duration", "PT30S")),
                    Duration.parse(m.getOrDefault("warmup", "PT5S")),
                    Integer.parseInt(m.getOrDefault("rooms", "100")),
                    m.containsKey("report") ? Path.of(m.get("report")) : null,
                    Boolean.parseBoolean(m.getOrDefault("bare", "true")),
                    m.get("kafka"),
                    Path.of(m.getOrDefault("launcher", "./rendezvous")),
                    m.get("data-dir"),
                    Duration.parse(m.getOrDefault("idle", "PT30S")),
                    m.containsKey("slow-log") ? Path.of(m.get("slow-log")) : null,
                    Double.parseDouble(m.getOrDefault("slow-ms", "10")));
        }
    }

    private final Options opt;
    private final HttpClient http = HttpClient.newBuilder().executor(RestClient.daemonThreads(2, "chat-load-http")).build();

    private ChatLoad(Options opt) {
        this.opt = opt;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("logback.configurationFile", "loadtest-logback.xml");
        Options opt = Options.parse(args);
        new ChatLoad(opt).run();
        System.exit(0);
    }

    private void run() throws Exception {
        StackProcesses stack = StackProcesses.discover(opt.launcher(), opt.dataDir());
        Map<String, Long> pids = new LinkedHashMap<>(stack.pids());
        pids.put("load tool", ProcessHandle.current().pid());
        ProcessCpu cpu = new ProcessCpu(pids);
        String kafka = opt.kafka() != null ? opt.kafka() : stack.bootstrap();
        if (opt.bare() && kafka == null) {
            throw new IllegalArgumentException("--bare needs the broker: --kafka=HOST:PORT, or a running ./rendezvous");
        }
        IdleCpu idle = opt.idle().isZero() ? null : idleCpu(cpu, opt.idle());
        List<RunResult> results = new ArrayList<>();
        double pingP50;
        try (SlowLog slow = opt.slowLog() == null ? null : SlowLog.open(opt.slowLog(), opt.slowMs());
             GatewayChatPath ours = GatewayChatPath.open(http, opt.baseUrl(), opt.rooms());
             BareKafkaPath bare = opt.bare() ? BareKafkaPath.open(kafka, ours.meetings()) : null) {
            for (int rate : opt.rates()) {
                results.add(measure(ours, rate, cpu, slow));
                if (bare != null) {
                    results.add(measure(bare, rate, cpu, slow));
                }
            }
            pingP50 = pingRoundTrip(ours.firstSender());
        }
        if (opt.report() != null) {
            new ChatReport(opt.rooms(), opt.duration(), opt.warmup(), cpu.roots().keySet()).write(opt.report(), results, pingP50, idle);
        }
    }

    /** The stack's CPU over {@code d} before any room is opened (this tool sleeps meanwhile). */
    private static IdleCpu idleCpu(ProcessCpu cpu, Duration d) throws InterruptedException {
        System.out.printf("idle stack: measuring %s%n", d);
        long[] machine0 = MachineInfo.cpuTicks();
        Map<String, Double> cpu0 = cpu.sampleMs();
        long t0 = System.nanoTime();
        Thread.sleep(d.toMillis());
        Map<String, Double> cpu1 = cpu.sampleMs();
        Duration over = Duration.ofNanos(System.nanoTime() - t0);
        IdleCpu idle = IdleCpu.between(over, MachineInfo.busyPercent(machine0, MachineInfo.cpuTicks()), cpu0, cpu1);
        System.out.printf("idle stack: machine CPU %.1f%%, processes %.1f%% of one core%n", idle.machinePct(),
                idle.totalPctOfCore());
        return idle;
    }

    private RunResult measure(ChatPath path, int rate, ProcessCpu cpu, SlowLog slow) throws InterruptedException {
        Inflight inflight = path.inflight();
        System.out.printf("%s, %d msg/s: warm-up %s%n", path.name(), rate, opt.warmup());
        drive(path, rate, opt.warmup());
        inflight.awaitDrain(Duration.ofSeconds(5).toNanos());
        inflight.reset();
        if (slow != null) {
            inflight.slowLog(slow.run(path instanceof BareKafkaPath ? "bare" : "rendezvous", rate));
        }
        System.out.printf("%s, %d msg/s: measuring %s%n", path.name(), rate, opt.duration());
        long[] machine0 = MachineInfo.cpuTicks();
        Map<String, Double> cpu0 = cpu.sampleMs();
        long t0 = System.nanoTime();
        long sent = drive(path, rate, opt.duration());
        double seconds = (System.nanoTime() - t0) / 1e9;
        inflight.awaitDrain(Duration.ofSeconds(10).toNanos());
        inflight.slowLog(SlowLog.Run.NONE);
        Map<String, Double> cpu1 = cpu.sampleMs();
        double busy = MachineInfo.busyPercent(machine0, MachineInfo.cpuTicks());
        Map<String, Double> perMsg = new LinkedHashMap<>();
        cpu1.forEach((name, ms) -> perMsg.put(name, (ms - cpu0.getOrDefault(name, 0.0)) / Math.max(1, sent)));
        RunResult r = new RunResult(path.name(), rate, sent / seconds, sent, inflight.tally(), busy, perMsg);
        if (r.tally().errors() > 0) {
            System.out.println("first error: " + inflight.firstError());
        }
        System.out.printf("%d msg/s: sent %d delivered %d errors %d lost %d | p50 %.2f ms p90 %.2f p99 %.2f p99.9 %.2f"
                        + " max %.2f | machine CPU %.0f%% | CPU ms/msg %s%n", rate, sent, r.tally().delivered(),
                r.tally().errors(), r.tally().lost(), r.ms(50), r.ms(90), r.ms(99), r.ms(99.9), r.maxMs(), busy,
                ChatReport.cpuText(perMsg));
        System.out.printf("%d msg/s: p99 per %d s: %s ms%n", rate, Inflight.SLOT_NANOS / 1_000_000_000L, r.p99PerSlot());
        inflight.reset();
        return r;
    }

    /** Sends at {@code rate} msg/s for {@code d}; returns how many were sent. */
    private static long drive(ChatPath path, int rate, Duration d) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + d.toNanos();
        long n = 0;
        for (long next = start; next < end; next += interval, n++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            path.send(n, next);
        }
        return n;
    }

    /** Median of 200 ping/pong round trips: the WebSocket and loopback part of every hop, without Kafka. */
    private static double pingRoundTrip(WsClient c) throws InterruptedException {
        Histogram h = new Histogram(3);
        var box = new java.util.concurrent.SynchronousQueue<Long>();
        c.onFrame(f -> {
            if (f.type().equals("pong")) {
                box.offer(f.receivedNanos());
            }
        });
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            c.send(Map.of("type", "ping"));
            Long t1 = box.poll(2, java.util.concurrent.TimeUnit.SECONDS);
            if (t1 != null) {
                h.recordValue(t1 - t0);
            }
        }
        return h.getValueAtPercentile(50) / 1e6;
    }
}
