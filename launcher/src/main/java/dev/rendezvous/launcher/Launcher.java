package dev.rendezvous.launcher;

import dev.rendezvous.stack.App;
import dev.rendezvous.stack.PortInUseException;
import dev.rendezvous.stack.RepoHome;
import dev.rendezvous.stack.StackBuilder;
import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackException;
import dev.rendezvous.stack.StackListener;
import dev.rendezvous.topics.TopicProvisioner;
import java.io.PrintStream;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs all of Rendezvous on one machine: the embedded stack (Kafka, PostgreSQL, S3, ClickHouse if installed)
 * and the four apps as child processes, until Ctrl-C or SIGTERM, which stop everything in order.
 */
public final class Launcher {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_PORT_IN_USE = 2;
    static final int EXIT_USAGE = 64;

    private static final Logger out = LoggerFactory.getLogger("rendezvous");

    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("status")) {
            System.exit(StatusCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        int code = run(args, System.out, System.err, builder -> { }, true);
        if (!shuttingDown()) {
            System.exit(code);
        }
        // else: Ctrl-C/SIGTERM arrived; the stack's shutdown hook is stopping everything and the JVM exits after it
    }

    /**
     * Starts the stack; with {@code block}, waits until it is closed (by the shutdown hook). Returns the exit
     * code. {@code tweak} lets tests adjust the stack (e.g. free ports) after the options are applied.
     */
    static int run(String[] args, PrintStream stdout, PrintStream stderr, Consumer<StackBuilder> tweak, boolean block) {
        return run(args, stdout, stderr, tweak, block ? Stack::awaitClosed : stack -> { });
    }

    /**
     * Starts the stack, runs {@code whileRunning} (the launcher itself waits there until Ctrl-C closes the stack;
     * tests look at the running stack), then stops the stack if it still runs. Returns the exit code.
     */
    static int run(String[] args, PrintStream stdout, PrintStream stderr, Consumer<StackBuilder> tweak,
                   Consumer<Stack> whileRunning) {
        LauncherOptions o;
        try {
            o = LauncherOptions.parse(args, RepoHome.find());
        } catch (LauncherOptions.UsageException e) {
            stderr.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (o.help()) {
            stdout.println(LauncherOptions.USAGE);
            return EXIT_OK;
        }
        StackBuilder b = Stack.builder(o.dataDir())
                .appPort(App.EDGE_GATEWAY, o.httpPort())
                .publicUrl(o.publicUrl())
                .instances(App.EDGE_GATEWAY, o.gateways())
                .instances(App.MEDIA_FORWARDER, o.forwarders())
                .victoriaMetrics(true)
                .listener(new ConsoleListener())
                .afterInfrastructure(Launcher::createTopics);
        if (o.postgresUrl() != null) {
            b.externalPostgres(o.postgresUrl(), o.postgresUser(), o.postgresPassword());
        }
        tweak.accept(b);
        Stack stack;
        try {
            out.info("Rendezvous: data in {}, logs in {}", o.dataDir(), o.dataDir().resolve("logs"));
            stack = b.start();
        } catch (PortInUseException e) {
            stderr.println("error: " + e.getMessage());
            return EXIT_PORT_IN_USE;
        } catch (StackException | IllegalArgumentException | IllegalStateException e) {
            if (shuttingDown()) {
                return EXIT_OK;
            }
            stderr.println("error: " + e.getMessage());
            return EXIT_FAILED;
        }
        if (o.gateways() > 1 && stack.aerospikeHosts() == null) {
            out.warn("WARNING: {} gateways without Aerospike: each keeps its own rate limits, token revocations and socket"
                    + " presence (set {} to an asd binary to share them)", o.gateways(), "RENDEZVOUS_ASD");
        }
        try {
            RunState.of(stack).write(stack.dataDir());
        } catch (java.io.IOException | RuntimeException e) {
            out.warn("WARNING: cannot write {} (./rendezvous status will not find this stack): {}",
                    RunState.file(stack.dataDir()), e.toString());
        }
        out.info("");
        out.info("Rendezvous is ready: open {}/", o.publicUrl());
        if (stack.victoriaMetricsUrl() != null) {
            out.info("Metrics: {}/vmui (VictoriaMetrics, scraping every app; dashboard and alert rules for it in"
                    + " helm/rendezvous/files)", stack.victoriaMetricsUrl());
        }
        out.info("(Ctrl-C stops it; data stays in {}; ./rendezvous status shows its processes)", o.dataDir());
        out.info("");
        try {
            whileRunning.accept(stack);
        } finally {
            RunState.delete(stack.dataDir());
            stack.close();
        }
        return EXIT_OK;
    }

    /** Belt and braces: the apps provision topics on their own start too. */
    private static void createTopics(Stack stack) {
        out.info("creating Kafka topics");
        try (Admin admin = stack.newKafkaAdmin()) {
            TopicProvisioner.Result r = TopicProvisioner.ensure(admin, 1);
            out.info("Kafka topics ready ({} created, {} updated)", r.created().size(),
                    r.repartitioned().size() + r.reconfigured().size());
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Progress lines on the console. */
    private static final class ConsoleListener implements StackListener {
        @Override
        public void onProgress(String message) {
            out.info(message);
        }

        @Override
        public void onWarning(String message) {
            out.warn("WARNING: {}", message);
        }
    }
}
