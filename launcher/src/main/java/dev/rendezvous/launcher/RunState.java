package dev.rendezvous.launcher;

import dev.rendezvous.stack.Stack;
import dev.rendezvous.stack.StackProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code ./rendezvous status} needs to find a running stack: written by the launcher once the stack is ready
 * into {@code <dataDir>/run/state.json} (mode 600; nothing secret in it), removed when it stops. Pids are not in it:
 * each process's pid file is read when asked (a restarted process has a new pid).
 *
 * @param launcherPid       the launcher's pid
 * @param launcherStartedAt when the launcher process started (with the pid: not a recycled pid)
 * @param dataDir           the data dir
 * @param publicUrl         the URL people open
 * @param processes         every process of the stack
 */
record RunState(long launcherPid, long launcherStartedAt, String dataDir, String publicUrl, List<Entry> processes) {

    static final String FILE = "state.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One process: see {@link StackProcess}. */
    record Entry(String name, String kind, String id, String pidFile, Map<String, Integer> ports, int managementPort) {
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("run").resolve(FILE);
    }

    static RunState of(Stack stack) {
        ProcessHandle self = ProcessHandle.current();
        List<Entry> entries = stack.processes().stream()
                .map(p -> new Entry(p.name(), p.kind().name().toLowerCase(java.util.Locale.ROOT), p.id(),
                        p.pidFile().toString(), p.ports(), p.managementPort()))
                .toList();
        return new RunState(self.pid(), startMillis(self), stack.dataDir().toString(), stack.publicUrl(), entries);
    }

    /** Writes the file atomically, private to its owner. */
    void write(Path dataDir) throws IOException {
        Path target = file(dataDir);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<RunState> read(Path dataDir) throws IOException {
        Path f = file(dataDir);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readString(f), RunState.class));
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException(f + " is not a run state: " + e.getOriginalMessage(), e);
        }
    }

    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(file(dataDir));
        } catch (IOException e) {
            // status then finds the launcher gone and says so
        }
    }

    /** True while the launcher that wrote this still runs (same pid, same start time). */
    boolean launcherAlive() {
        return ProcessHandle.of(launcherPid).filter(ProcessHandle::isAlive)
                .map(ph -> launcherStartedAt == 0 || startMillis(ph) == launcherStartedAt).orElse(false);
    }

    static long startMillis(ProcessHandle ph) {
        return ph.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
