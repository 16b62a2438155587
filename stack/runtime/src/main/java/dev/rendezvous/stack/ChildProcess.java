package dev.rendezvous.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child process of the stack: output appended to a log file, a pid file in the data dir (so that a
 * later run can clean up after a launcher that was killed hard), a new session (so that Ctrl-C in a
 * terminal reaches only the launcher, which then stops the children in order), and a stop that leaves
 * no descendant behind.
 */
final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Optional<Path> SETSID = findOnPath("setsid");

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Path pidFile;
    private volatile boolean stopping;

    private ChildProcess(String name, Process process, Path logFile, Path pidFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /**
     * Starts {@code command} with umask 077, so that files it creates are readable by their owner only; its
     * log file is mode 600 and the log and run folders mode 700. {@code onUnexpectedExit} is called with the
     * exit code if the process ends without {@link #stop} having been called.
     */
    static ChildProcess start(String name, List<String> command, Path workDir, Path logFile, Path runDir,
                              IntConsumer onUnexpectedExit) {
        return start(name, command, workDir, logFile, runDir, true, onUnexpectedExit);
    }

    /**
     * Like {@link #start(String, List, Path, Path, Path, IntConsumer)}; with {@code privateFiles} the process
     * runs with umask 077, so that files it creates are readable by their owner only.
     */
    static ChildProcess start(String name, List<String> command, Path workDir, Path logFile, Path runDir,
                              boolean privateFiles, IntConsumer onUnexpectedExit) {
        try {
            PrivateFiles.directory(logFile.getParent());
            PrivateFiles.directory(runDir);
            Files.createDirectories(workDir);
            PrivateFiles.file(logFile);
            Files.writeString(logFile, "---- " + Instant.now() + " starting " + name + ": "
                            + printable(command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> cmd = new ArrayList<>();
            SETSID.ifPresent(p -> cmd.add(p.toString()));
            if (privateFiles) {
                // the shell sets the umask and replaces itself with the command (same pid)
                cmd.addAll(List.of("/bin/sh", "-c", "umask 077 && exec \"$0\" \"$@\""));
            }
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Process p = pb.start();
            p.getOutputStream().close(); // children read nothing from stdin
            Path pidFile = runDir.resolve(name + ".pid");
            ChildProcess child = new ChildProcess(name, p, logFile, pidFile);
            Files.writeString(pidFile, p.pid() + " " + startMillis(p.toHandle()).orElse(0L) + System.lineSeparator());
            p.onExit().thenAccept(ended -> {
                if (!child.stopping) {
                    onUnexpectedExit.accept(ended.exitValue());
                }
            });
            return child;
        } catch (IOException e) {
            throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    ProcessHandle toHandle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Throws if the process has ended, with the tail of its log. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new StackException(name + " exited with code " + process.exitValue() + " while starting; last lines of "
                    + logFile + ":" + System.lineSeparator() + tail(40));
        }
    }

    /**
     * Stops the process and its descendants: SIGTERM and up to {@code grace} to exit, then SIGKILL; with
     * {@code hard}, SIGKILL at once (a crash).
     */
    void stop(Duration grace, boolean hard) {
        stopping = true;
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        if (hard) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        if (!waitFor(process.toHandle(), grace)) {
            log.warn("{} (pid {}) did not stop within {}; killing it", name, process.pid(), Poll.seconds(grace));
            process.destroyForcibly();
            waitFor(process.toHandle(), Duration.ofSeconds(10));
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroy();
                if (!waitFor(d, Duration.ofSeconds(5))) {
                    d.destroyForcibly();
                    waitFor(d, Duration.ofSeconds(5));
                }
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            log.debug("cannot delete {}", pidFile, e);
        }
    }

    /** The last {@code lines} lines of the log file. */
    String tail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 64 * 1024);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\\R");
            return Arrays.stream(all, Math.max(0, all.length - lines), all.length)
                    .map(l -> "    " + l).collect(Collectors.joining(System.lineSeparator()));
        } catch (IOException e) {
            return "    (cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * If {@code pidFile} names a process that is still alive and is the very process that was started then
     * (same start time), it is a leftover of a run that ended without stopping its children (the launcher was
     * killed hard). Callers hold the data dir's lock, so no live stack owns it. The pid file is removed.
     */
    static Optional<ProcessHandle> leftover(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            String[] parts = Files.readString(pidFile).trim().split("\\s+");
            long pid = Long.parseLong(parts[0]);
            long started = parts.length > 1 ? Long.parseLong(parts[1]) : -1;
            Files.deleteIfExists(pidFile);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(ph -> startMillis(ph).orElse(-2L) == started);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot check leftover process in {}: {}", pidFile, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Stops processes we did not start in this JVM, all at once: SIGTERM (or {@code signals}' own signal,
     * e.g. INT for a postmaster's fast shutdown) to each and its descendants, up to {@code grace} for all
     * to end, then SIGKILL.
     */
    static void stopAll(Map<ProcessHandle, String> signals, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        signals.forEach((ph, signal) -> {
            all.add(ph);
            all.addAll(ph.descendants().collect(Collectors.toList()));
            if (signal == null || !signal(ph.pid(), signal)) {
                ph.destroy();
            }
        });
        Instant deadline = Instant.now().plus(grace);
        for (ProcessHandle ph : all) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!waitFor(ph, left.isNegative() ? Duration.ZERO : left)) {
                ph.destroyForcibly();
                waitFor(ph, Duration.ofSeconds(5));
            }
        }
    }

    /** Sends a named signal with {@code kill -SIG pid}; false if that could not be done. */
    static boolean signal(long pid, String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return k.waitFor(5, TimeUnit.SECONDS) && k.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits (on the process's exit future, not by sleeping) for a process to end; true if it did. */
    static boolean waitFor(ProcessHandle ph, Duration timeout) {
        try {
            ph.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !ph.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !ph.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !ph.isAlive();
        }
    }

    private static Optional<Long> startMillis(ProcessHandle ph) {
        return ph.info().startInstant().map(Instant::toEpochMilli);
    }

    /**
     * An optional server binary: the one {@code envVar} names in {@code environment} (nothing if that is not
     * executable), else {@code usual} (Debian's place), else {@code executable} on PATH.
     */
    static Optional<Path> findBinary(java.util.Map<String, String> environment, String envVar, Path usual,
                                     String executable) {
        String env = environment.get(envVar);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (Files.isExecutable(usual)) {
            return Optional.of(usual);
        }
        return findOnPath(executable);
    }

    static Optional<Path> findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The command for a log line, with long class paths shortened. */
    private static String printable(List<String> command) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            out.add(a);
            if ((a.equals("-cp") || a.equals("-classpath")) && i + 1 < command.size()) {
                String cp = command.get(++i);
                out.add(cp.length() > 120 ? cp.substring(0, 120) + "...(" + cp.split(java.io.File.pathSeparator).length + " entries)" : cp);
            }
        }
        return String.join(" ", out);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
