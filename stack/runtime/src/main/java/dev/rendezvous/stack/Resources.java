package dev.rendezvous.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/** Reads what the stack-kafka-broker and stack-s3-server jars carry: class paths and logging configs. */
final class Resources {

    private static final String BASE = "dev/rendezvous/stack/";

    private Resources() {}

    private static InputStream open(String name, String artifact) {
        InputStream in = Resources.class.getClassLoader().getResourceAsStream(BASE + name);
        if (in == null) {
            throw new StackException("resource " + BASE + name + " not found: the " + artifact
                    + " jar must be on the class path (build it with `mvn -DskipTests install`)");
        }
        return in;
    }

    /**
     * The class path a server JVM needs, as resolved by Maven when {@code artifact} was built; every entry
     * must still exist (a cleaned ~/.m2 needs a rebuild).
     */
    static String classpath(String name, String artifact) {
        try (InputStream in = open(name, artifact)) {
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String missing = Arrays.stream(cp.split(java.io.File.pathSeparator))
                    .filter(e -> !Files.exists(Path.of(e))).findFirst().orElse(null);
            if (missing != null) {
                throw new StackException("the " + artifact + " class path names " + missing
                        + ", which does not exist: rebuild with `mvn -DskipTests install` (online once)");
            }
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a resource to {@code target} (replacing it). */
    static void copy(String name, String artifact, Path target) {
        try (InputStream in = open(name, artifact)) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
