package dev.rendezvous.stack;

import static dev.rendezvous.stack.Parallel.awaitAll;
import static dev.rendezvous.stack.Parallel.daemonThreads;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The apps of a {@link Stack}: which processes run (one of each app, or several gateways or forwarders) on which
 * ports, their start in parallel, control of one process by its instance name, and their stop. The stack wires
 * each process ({@link AppWiring}) and decides when; this class owns the processes.
 */
final class AppFleet {

    private final Map<App, Integer> appPorts;
    private final Map<App, Integer> managementPorts;
    private final Set<App> apps;
    private final Map<App, List<AppInstance>> instances;
    private final Map<App, List<String>> jvmOptions;
    private final Map<App, List<String>> extraArgs;
    private final Path logDir;
    private final Path runDir;
    private final Clock clock;
    private final StackListener listener;
    private final StartLog log;
    /** By instance name, in start order; filled once by {@link #create}. */
    private final Map<String, AppProcess> processes = Collections.synchronizedMap(new LinkedHashMap<>());

    AppFleet(StackBuilder b, Map<String, Integer> ports, Path logDir, Path runDir, StartLog log) {
        this.logDir = logDir;
        this.runDir = runDir;
        this.clock = b.clock;
        this.listener = b.listener;
        this.log = log;
        Map<App, Integer> ap = new EnumMap<>(App.class);
        Map<App, Integer> mp = new EnumMap<>(App.class);
        for (App a : App.values()) {
            ap.put(a, ports.get(a.module()));
            mp.put(a, ports.get(a.module() + App.MANAGEMENT));
        }
        this.appPorts = Collections.unmodifiableMap(ap);
        this.managementPorts = Collections.unmodifiableMap(mp);
        this.apps = Collections.unmodifiableSet(EnumSet.copyOf(b.apps.isEmpty() ? EnumSet.noneOf(App.class) : b.apps));
        Map<App, List<AppInstance>> plan = new EnumMap<>(App.class);
        for (App a : apps) {
            int count = b.instances.getOrDefault(a, 1);
            List<AppInstance> list = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = AppInstance.name(a, i, count);
                int udp = a != App.MEDIA_FORWARDER ? -1 : b.freePorts ? 0 : AppInstance.defaultMediaUdpPort(i);
                list.add(count == 1
                        ? new AppInstance(a, i, name, AppInstance.id(a, i), ap.get(a), mp.get(a), udp)
                        : new AppInstance(a, i, name, AppInstance.id(a, i), ports.get(name), ports.get(name + App.MANAGEMENT), udp));
            }
            plan.put(a, List.copyOf(list));
        }
        this.instances = Collections.unmodifiableMap(plan);
        this.jvmOptions = copy(b.jvmOptions);
        this.extraArgs = copy(b.extraArgs);
    }

    private static Map<App, List<String>> copy(Map<App, List<String>> m) {
        Map<App, List<String>> out = new EnumMap<>(App.class);
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------------------------------ the plan

    Set<App> apps() {
        return apps;
    }

    /** The processes of an app this stack runs; empty if it runs none. */
    List<AppInstance> instances(App app) {
        return instances.getOrDefault(app, List.of());
    }

    /** The app's first process, or what it would be when the stack does not run the app. */
    AppInstance first(App app) {
        List<AppInstance> list = instances.get(app);
        if (list == null) {
            return new AppInstance(app, 1, app.module(), AppInstance.id(app, 1), appPorts.get(app), managementPorts.get(app),
                    app == App.MEDIA_FORWARDER ? Stack.DEFAULT_MEDIA_UDP_PORT : -1);
        }
        return list.get(0);
    }

    /** The app's own port: with one process, that process's; with several, the entry in front of them. */
    int appPort(App app) {
        return appPorts.get(app);
    }

    /** True when the stack runs more than one process of the app. */
    boolean several(App app) {
        return apps.contains(app) && instances.get(app).size() > 1;
    }

    /** Adds every port the processes will bind, with who wants it. */
    void addPorts(Map<Integer, String> m) {
        for (App a : apps) {
            for (AppInstance i : instances.get(a)) {
                m.put(i.port(), i.name() + " HTTP");
                m.put(i.managementPort(), i.name() + " management");
            }
        }
    }

    List<String> jvmOptions(App app) {
        return jvmOptions.getOrDefault(app, List.of());
    }

    /** The caller's extra {@code --key=value} arguments for the app (they replace the wiring's same keys). */
    List<String> extraArgs(App app) {
        return extraArgs.getOrDefault(app, List.of());
    }

    // ------------------------------------------------------------------------------------------ start and stop

    /**
     * Creates every process (not started yet), each from its app's jar and its wiring. The stack calls it under its
     * lock, so that a concurrent {@link Stack#close()} sees either none or all of them.
     */
    void create(Map<App, Path> jars, Function<AppInstance, AppLaunch> launch) {
        for (App a : apps) {
            for (AppInstance i : instances.get(a)) {
                processes.put(i.name(), new AppProcess(i, jars.get(a), jvmOptions(a), launch.apply(i), logDir, runDir, clock,
                        listener));
            }
        }
    }

    /** Starts every created process in parallel and waits until each is healthy; throws the first failure. */
    void startAll(Duration timeout) {
        List<AppProcess> all = created();
        if (all.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(all.size(), daemonThreads("rendezvous-stack-apps"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (AppProcess p : all) {
                // a fleet's processes say their id too: "edge-gateway-2 (gw-2)"
                boolean fleet = !p.name().equals(p.app().module());
                String what = p.name() + (fleet && p.instance().id() != null ? " (" + p.instance().id() + ")" : "");
                futures.add(pool.submit(() -> log.timed(what, "on " + p.baseUrl(), () -> p.start(timeout))));
            }
            RuntimeException failure = awaitAll(futures);
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The processes created so far. */
    List<AppProcess> created() {
        synchronized (processes) {
            return new ArrayList<>(processes.values());
        }
    }

    /** Stops the given processes in parallel ({@code stop} closes one and reports its failure) and waits for all. */
    static void stopAll(List<AppProcess> running, BiConsumer<String, AutoCloseable> stop) {
        List<Thread> threads = new ArrayList<>();
        for (AppProcess p : running) {
            Thread t = new Thread(() -> stop.accept(p.name(), p), "rendezvous-stop-" + p.name());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ one process

    boolean isRunning(String instance) {
        AppProcess p = processes.get(instance);
        return p != null && p.isRunning();
    }

    /** The process's pid, -1 if it is not running. */
    long pid(String instance) {
        AppProcess p = processes.get(instance);
        return p == null || !p.isRunning() ? -1 : p.pid();
    }

    List<String> command(String instance) {
        return require(instance).command();
    }

    void stop(String instance, boolean hard) {
        AppProcess p = require(instance);
        listener.onProgress((hard ? "killing " : "stopping ") + instance);
        p.stop(hard);
    }

    void start(String instance, Duration timeout) {
        AppProcess p = require(instance);
        log.timed(instance, "on " + p.baseUrl(), () -> p.start(timeout));
    }

    private AppProcess require(String instance) {
        AppProcess p = processes.get(instance);
        if (p == null) {
            throw new IllegalArgumentException(instance + " is not part of this stack (processes: " + processes.keySet() + ")");
        }
        return p;
    }
}
