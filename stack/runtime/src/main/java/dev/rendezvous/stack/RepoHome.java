package dev.rendezvous.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the repository root (which holds the apps' built jars). */
public final class RepoHome {

    /** System property that names the repository root explicitly. */
    public static final String PROPERTY = "rendezvous.home";

    private RepoHome() {}

    /**
     * {@code -Drendezvous.home}, else the first folder holding both {@code pom.xml} and
     * {@code topics/pom.xml} walking up from the current directory, else from where this class was loaded.
     */
    public static Optional<Path> find() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop).toAbsolutePath().normalize());
        }
        Optional<Path> fromCwd = walkUp(Path.of("").toAbsolutePath());
        if (fromCwd.isPresent()) {
            return fromCwd;
        }
        try {
            var src = RepoHome.class.getProtectionDomain().getCodeSource();
            if (src != null && src.getLocation() != null && "file".equals(src.getLocation().getProtocol())) {
                return walkUp(Path.of(src.getLocation().toURI()).toAbsolutePath());
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // no usable code source: fall through
        }
        return Optional.empty();
    }

    /** Like {@link #find()}, failing with a clear message. */
    public static Path require() {
        return find().orElseThrow(() -> new StackException("cannot find the Rendezvous repository root (a folder with "
                + "pom.xml and topics/pom.xml) from " + Path.of("").toAbsolutePath()
                + ": run from inside the repository or pass -D" + PROPERTY + "=<path>"));
    }

    static Optional<Path> walkUp(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("topics").resolve("pom.xml"))) {
                return Optional.of(p.normalize());
            }
        }
        return Optional.empty();
    }

    /** {@code <home>/<module>/target/<module>-exec.jar}, whether it exists or not. */
    public static Path execJar(Path home, App app) {
        return home.resolve(app.module()).resolve("target").resolve(app.module() + "-exec.jar");
    }

    /** The app's executable jar, failing with how to build it if it is missing. */
    public static Path requireExecJar(Path home, App app) {
        Path jar = execJar(home, app);
        if (!Files.isRegularFile(jar)) {
            throw new StackException(app.module() + " is not built: " + jar + " is missing; build the apps first with "
                    + "`mvn -DskipTests install` in " + home + " (or `./rendezvous up --build`)");
        }
        return jar;
    }
}
