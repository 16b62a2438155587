package dev.rendezvous.streams.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes local state stores that the current topology no longer has (a store renamed or dropped by an upgrade)
 * from a Kafka Streams state directory, before Kafka Streams opens it. Kafka Streams 4.4 opens every store it finds
 * under {@code <state-dir>/<application-id>/<task>/rocksdb/} at start-up, and one the topology does not know made it
 * fail ("Metrics recorder is re-initialised with different task"), so stream-apps would not start on a data
 * directory kept from an older version. A task's directory is named {@code <sub-topology>_<partition>}, and a
 * store in it is stale when the current topology's sub-topology of that number does not have it: a version that adds
 * a sub-topology renumbers the later ones, so {@code 1_0} may hold the stores of what is now sub-topology 2 (which
 * is how stream-apps failed to start on a kept data directory); a task directory of a sub-topology that makes no tasks
 * now (gone, or become a global store's, as {@code gateway-heartbeats} did) goes whole. In the {@code global}
 * directory a store is stale when it is not a global store. Such a store is dead weight: nothing reads it, and the current stores restore from their
 * changelogs. Stores the topology has where it has them are never touched, and directories of other shapes are left.
 */
final class StaleStores {

    private StaleStores() {}

    /** The directory Kafka Streams keeps global stores in, beside the task directories. */
    static final String GLOBAL_DIR = "global";

    /**
     * Deletes the stale stores under {@code appDir} ({@code <state-dir>/<application-id>}); returns the paths it
     * removed. {@code taskStores}: each sub-topology's stores by its number; {@code globalStores}: the global ones.
     */
    static List<Path> prune(Path appDir, java.util.Map<Integer, Set<String>> taskStores, Set<String> globalStores) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(appDir)) {
            return removed;
        }
        try (Stream<Path> tasks = Files.list(appDir)) {
            for (Path task : tasks.filter(Files::isDirectory).toList()) {
                String name = task.getFileName().toString();
                Integer sub = name.equals(GLOBAL_DIR) ? null : subTopologyOf(name);
                if (sub != null && !taskStores.containsKey(sub)) {
                    // a task of a sub-topology that makes no tasks now (gone, or a global store's): Kafka Streams would
                    // still open it as one of that sub-topology's tasks
                    deleteTree(task);
                    removed.add(task);
                    continue;
                }
                Set<String> known = name.equals(GLOBAL_DIR) ? globalStores : sub == null ? null : taskStores.get(sub);
                Path rocksdb = task.resolve("rocksdb");
                if (known == null || !Files.isDirectory(rocksdb)) {
                    continue;   // not a directory of ours to judge, or nothing in it
                }
                try (Stream<Path> stores = Files.list(rocksdb)) {
                    for (Path store : stores.filter(Files::isDirectory).toList()) {
                        if (!known.contains(store.getFileName().toString())) {
                            deleteTree(store);
                            removed.add(store);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the state directory " + appDir, e);
        }
        return removed;
    }

    /** The sub-topology number of a task directory ("2_5" → 2); null when the name is not a task's. */
    private static Integer subTopologyOf(String dirName) {
        int sep = dirName.indexOf('_');
        if (sep <= 0) {
            return null;
        }
        try {
            int sub = Integer.parseInt(dirName.substring(0, sep));
            Integer.parseInt(dirName.substring(sep + 1));
            return sub;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
